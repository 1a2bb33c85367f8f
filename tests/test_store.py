"""The scenario store: round trips, unsafe names, concurrency, corrupt files, the folder."""
from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

import pytest
import yaml

from sim.analysis.compare import _flatten
from sim.model.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_dict
from sim.store.scenario_store import (
    DEFAULT_FOLDER,
    ENV_VAR,
    MAX_FILE_BYTES,
    InvalidName,
    InvalidScenarioFile,
    ScenarioExists,
    ScenarioNotFound,
    ScenarioStore,
    StoreError,
    UnreadableEntry,
    UploadTooLarge,
    safe_filename,
)

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"


def rich_scenario() -> Scenario:
    """The baseline with a non-default value in every field the schema has."""
    d = scenario_to_dict(load_scenario(BASELINE))
    d.update(name="全字段方案 every field", description="多行\n说明: with 'quotes' and # hash", description_zh="中文说明", description_en="English note",
             start_date="2026-03-01", horizon_months=18, warmup_days=45, seed=987654321, replications=7,
             assignment="least_loaded", queue_discipline="edf", long_pending_months=18)
    d["demand"].update(disputes_per_year=13333.5, annual_growth=0.07, year_end_freeze_from_day=20,
                       monthly_profile=[1.1, 0.6, 1.0, 1.0, 0.9, 1.05, 1.0, 0.95, 1.0, 0.95, 1.15, 1.4])
    d["mediation"].update(share_offered=0.55, success_rate=0.6, max_days=45, mediators=12,
                          duration={"dist": "gamma", "mean": 21.5, "cv": 0.4})
    for i, ct in enumerate(d["case_types"]):
        ct.update(settlement_effort_factor=0.4 + 0.05 * i, public_notice_rate=0.03 + 0.01 * i,
                  appraisal_rate=0.01 + 0.02 * i, settlement_rate=0.25 + 0.02 * i)
        ct["effort"]["cv"] = 0.65 + 0.01 * i
        ct["waiting"]["dist"] = "lognormal"
    d["case_types"][0]["effort"]["dist"] = "exponential"
    d["case_types"][1]["waiting"]["dist"] = "deterministic"
    d["case_types"][0]["waiting"].update(dist="gamma", cv=0.45)
    d["triage"].update(accuracy=0.9, conversion_rate=0.05, misrouted_conversion_rate=0.7, conversion_effort_share=0.25)
    d["procedures"]["simple"].update(extension_days=10, limit_days=5)
    d["procedures"]["criminal_speedy"] = {"label_zh": "刑事速裁", "label_en": "Criminal speedy",
                                          "limit_months": 0, "limit_days": 10, "extension_months": 0,
                                          "extension_days": 5}
    d["excluded"].update(public_notice_days=60, appraisal={"dist": "lognormal", "mean": 75, "cv": 0.7})
    d["teams"][0]["changes"] = [
        {"start": "2026-06-01", "end": "2026-11-30", "judges": 2, "assistants": 1, "clerks": -1,
         "ramp_up_months": 3, "ramp_start_share": 0.4, "note": "借调 secondment"},
        {"start": "2027-01-01", "end": None, "judges": 1, "assistants": 0, "clerks": 2,
         "ramp_up_months": 0, "ramp_start_share": 1.0, "note": ""},
    ]
    d["teams"][1]["changes"] = [{"start": "2026-04-01", "end": "2026-04-30", "judges": -1, "assistants": 0,
                                 "clerks": 0, "ramp_up_months": 0, "ramp_start_share": 0.5, "note": "产假"}]
    d["procedures"]["ordinary"].update(extension_months=5, label_zh="普通程序（一审）")
    d["support"].update(max_reduction=0.6, assistant_weight=1.2, clerk_weight=0.7, scale=1.5)
    d["calendar"].update(hours_per_day=7.0, working_weekdays=[1, 2, 3, 4, 5, 6], push_months=[6, 12], push_factor=1.15,
                         public_holidays="none", holidays=["2026-10-01", "2026-10-02"],
                         extra_working_days=["2026-09-27"])
    d["docket"] = {"mode": "lightest", "specialised": True, "hand_over": "rotation"}
    d["initial_pending"].update(simple=1500, complex=900,
                                age_profile=[{"max_months": 2, "share": 0.5}, {"max_months": 8, "share": 0.4},
                                             {"max_months": 30, "share": 0.1}])
    d["targets"] = {"within_limit_rate": 0.97, "clearance_rate": 1.05, "long_pending_end": 5,
                    "overdue_pending_end": 10, "pending_end": 2000, "disposition_days_mean": 60,
                    "mediation_resolution_share": 0.3, "within_limit_rate_simple": 0.98,
                    "within_limit_rate_complex": 0.9, "overdue_pending_end_simple": 3, "overdue_pending_end_complex": 7}
    return scenario_from_dict(d)


def rich_listed_scenario() -> Scenario:
    """The rich scenario as a calibrated court writes it (issue 22): its recorded filings replayed
    and its open cases listed one by one (a table of open cases excludes the groups, so the two
    cannot both be set in one scenario)."""
    d = scenario_to_dict(rich_scenario())
    d["demand"]["filings"] = [{"procedure": "simple", "filed": ["2026-03-02", "2026-03-02", "2026-04-15"]},
                              {"procedure": "ordinary", "filed": ["2026-05-06"]}]
    d["initial_pending"].update(simple=3, complex=2, groups=[], cases=[
        {"team": d["teams"][0]["name"], "judge": "J01", "procedure": "simple",
         "filed": ["2025-12-01", "2026-01-20", "2026-02-27"], "excluded_days": [0.0, 15.0, 2.5]},
        {"team": d["teams"][1]["name"], "judge": None, "procedure": "ordinary", "filed": ["2025-06-30", "2025-11-11"],
         "excluded_days": []}])
    return scenario_from_dict(d)


def test_rich_scenario_really_sets_every_field_away_from_its_default():
    # guards the round-trip test below: a field left at its default would not be tested
    minimal = scenario_from_dict({
        "demand": {"disputes_per_year": 1},
        "case_types": [{"name": "x", "share": 1, "track": "simple", "procedure": "simple",
                        "effort": {"mean": 1}, "waiting": {"mean": 1}}],
        "teams": [{"name": "t", "track": "simple", "judges": 1}, {"name": "c", "track": "complex", "judges": 1}],
    })
    rich = _flatten(scenario_to_dict(rich_scenario()))
    default = _flatten(scenario_to_dict(minimal))
    # the recorded filings and the table of open cases are set in the listed variant (the table
    # and the groups exclude each other)
    listed = scenario_to_dict(rich_listed_scenario())
    assert default["demand.filings"] == default["initial_pending.cases"] == []
    assert len(listed["demand"]["filings"]) == 2 and len(listed["initial_pending"]["cases"]) == 2
    in_listed = ("demand.filings", "initial_pending.cases")
    same = [k for k in default if k in rich and rich[k] == default[k] and k not in in_listed
            and not k.startswith(("procedures.", "case_types.0.name", "case_types.0.track", "case_types.0.procedure",
                                  "teams.0.track", "teams.1.track", "initial_pending.age_profile"))]
    assert same == []
    for section in ("procedures", "teams", "case_types", "initial_pending"):
        assert scenario_to_dict(rich_scenario())[section] != scenario_to_dict(minimal)[section]


@pytest.mark.parametrize("make", [rich_scenario, rich_listed_scenario], ids=["groups", "listed"])
def test_round_trip_of_every_field(tmp_path, make):
    st = ScenarioStore(tmp_path)
    scn = make()
    note = "两名法官 + 三名助理\nsecond line\twith tab, 'quotes', \"double\", # hash, \u2028 separator"
    e = st.save(scn, scn.name, note=note)
    back = st.get(scn.name)
    # a saved copy is the user's: a built-in scenario's names in each language are not kept
    scn = scn.model_copy(update={"name_zh": "", "name_en": ""})
    assert scenario_to_dict(back.scenario) == scenario_to_dict(scn)
    assert back.note == note and back.name == scn.name and back.saved_at == e.saved_at
    # a fresh store (another session) reads the same, and the file is an ordinary scenario file
    assert scenario_to_dict(ScenarioStore(tmp_path).load(scn.name)) == scenario_to_dict(scn)
    assert scenario_to_dict(load_scenario(e.file)) == scenario_to_dict(scn)
    # download then upload elsewhere gives the same scenario, name and note
    other = ScenarioStore(tmp_path / "other")
    up = other.upload(st.download(scn.name))
    assert (up.name, up.note) == (scn.name, note)
    assert scenario_to_dict(up.scenario) == scenario_to_dict(scn)
    # only the date differs: an upload is a new save
    assert other.download(scn.name).split(b"\n", 1)[1] == st.download(scn.name).split(b"\n", 1)[1]


def test_save_uses_display_name_as_scenario_name(tmp_path):
    st = ScenarioStore(tmp_path)
    base = load_scenario(BASELINE)
    st.save(base, "  方案A  ")
    loaded = st.load("方案A")
    assert loaded.name == "方案A"
    # the English page shows the user's name too, not the built-in scenario's English name
    assert base.name_in("en") == "Baseline county court" and loaded.name_in("en") == loaded.name_in("zh") == "方案A"
    assert scenario_to_dict(loaded) | {"name": base.name, "name_zh": base.name_zh, "name_en": base.name_en} \
        == scenario_to_dict(base)


def test_chinese_names(tmp_path):
    st = ScenarioStore(tmp_path)
    base = load_scenario(BASELINE)
    names = ["速裁团队扩编方案", "方案乙：一名法官＋三名助理", "扩大诉前调解 (plan C)"]
    for n in names:
        st.save(base, n, note=f"备注 {n}")
    listed = st.list()
    assert sorted(e.name for e in listed) == sorted(names)
    assert all(e.ok for e in listed)
    assert any("速裁团队扩编方案" in e.file.name for e in listed)  # readable file names, not just hashes
    for n in names:
        assert st.get(n).note == f"备注 {n}"
        assert st.load(n).name == n


@pytest.mark.parametrize("name", ["../escape", "../../etc/passwd", "a/b", "/abs/path", "..", ".", ".hidden",
                                  "a\\b", "CON", "nul", "COM1.yaml", "what?*<>|:\"", "x" * 100, "空 格\u3000名"])
def test_unsafe_names_are_made_safe_and_stay_in_the_folder(tmp_path, name):
    folder = tmp_path / "store"
    st = ScenarioStore(folder)
    e = st.save(load_scenario(BASELINE), name)
    assert e.file.parent == folder.resolve()
    assert set(os.listdir(folder)) - {".store.lock"} == {e.file.name}
    assert list(tmp_path.iterdir()) == [folder]
    fn = e.file.name
    assert "/" not in fn and "\\" not in fn and not fn.startswith(".") and len(fn.encode()) <= 120
    assert fn.split(".")[0].split("-")[0].upper() not in {"CON", "NUL", "COM1"}
    assert st.get(name).name == name.strip()
    st.delete(name)
    assert set(os.listdir(folder)) == {".store.lock"}


@pytest.mark.parametrize("name", ["a\x00b", "x" * 300, "", "   ", "tab\there", "line\nbreak", "bad\ud800"])
def test_bad_names_are_refused(tmp_path, name):
    st = ScenarioStore(tmp_path)
    with pytest.raises(InvalidName):
        st.save(load_scenario(BASELINE), name)
    assert [p for p in tmp_path.iterdir() if p.suffix == ".yaml"] == []


def test_distinct_names_that_look_alike_get_distinct_files(tmp_path):
    st = ScenarioStore(tmp_path)
    base = load_scenario(BASELINE)
    names = ["a/b", "a:b", "a_b", "a b", "A/B", "x" * 110 + "1", "x" * 110 + "2"]
    files = {st.save(base, n).file for n in names}
    assert len(files) == len(names)
    assert sorted(st.names()) == sorted(names)
    assert safe_filename("a/b") != safe_filename("a:b")


def test_overwrite_requires_the_flag(tmp_path):
    st = ScenarioStore(tmp_path)
    base = load_scenario(BASELINE)
    st.save(base, "方案", note="first")
    changed = base.model_copy(update={"horizon_months": 12})
    with pytest.raises(ScenarioExists) as ei:
        st.save(changed, "方案", note="second")
    assert ei.value.name == "方案" and isinstance(ei.value, StoreError)
    assert st.get("方案").note == "first" and st.load("方案").horizon_months == base.horizon_months
    st.save(changed, "方案", note="second", overwrite=True)
    assert st.get("方案").note == "second" and st.load("方案").horizon_months == 12
    assert len(st.list()) == 1


def test_corrupt_and_invalid_files_are_listed_with_their_error_and_skipped(tmp_path):
    st = ScenarioStore(tmp_path)
    base = load_scenario(BASELINE)
    st.save(base, "good one")
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n  - :", encoding="utf-8")
    (tmp_path / "half.yaml").write_bytes(st.download("good one")[:700])  # truncated mid-write
    bad = scenario_to_dict(base)
    bad["teams"][0]["judges"] = -3
    (tmp_path / "invalid.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "notes.txt").write_text("not a scenario")
    entries = {e.file.name: e for e in st.list()}
    assert set(entries) == {"broken.yaml", "half.yaml", "invalid.yaml", "binary.yaml", safe_filename("good one")}
    assert entries[safe_filename("good one")].ok
    assert "teams.0.judges" in entries["invalid.yaml"].error
    assert "UTF-8" in entries["binary.yaml"].error
    assert not entries["half.yaml"].ok  # a truncated file lacks required fields
    for n in ("broken.yaml", "half.yaml", "invalid.yaml", "binary.yaml"):
        assert entries[n].error, n
    assert st.names() == ["good one"]  # unreadable files are listed, never offered as names
    assert st.load("good one").name == "good one"
    with pytest.raises(UnreadableEntry, match="teams.0.judges"):
        st.load(entries["invalid.yaml"].name)
    st.delete("broken")  # an unreadable file can still be deleted by its listed name
    assert not (tmp_path / "broken.yaml").exists()


def test_plain_scenario_files_dropped_in_the_folder_are_listed(tmp_path):
    (tmp_path / "copied.yaml").write_bytes(BASELINE.read_bytes())
    st = ScenarioStore(tmp_path)
    [e] = st.list()
    assert e.ok and e.name == load_scenario(BASELINE).name and e.saved_at
    with pytest.raises(ScenarioExists):
        st.save(load_scenario(BASELINE), e.name)


def test_upload_refuses_large_and_invalid_files(tmp_path):
    st = ScenarioStore(tmp_path)
    text = BASELINE.read_text(encoding="utf-8")
    big = (text + "\n# " + "x" * (MAX_FILE_BYTES + 10)).encode()
    with pytest.raises(UploadTooLarge, match="1 MB"):
        st.upload(big, name="big")
    bad = text.replace("disputes_per_year: 14300", "disputes_per_year: -5")
    with pytest.raises(InvalidScenarioFile) as ei:
        st.upload(bad.encode(), name="bad")
    assert "demand.disputes_per_year" in str(ei.value)
    assert [e.path for e in ei.value.errors] == ["demand.disputes_per_year"]
    with pytest.raises(InvalidScenarioFile, match="UTF-8"):
        st.upload(b"\xff\xfe\xfa", name="bin")
    with pytest.raises(InvalidScenarioFile, match="not valid YAML"):
        st.upload(b"a: [", name="yaml")
    assert st.list() == []
    e = st.upload(text.encode("utf-8-sig"), name="上传方案", note="从文件")
    assert (e.name, e.note) == ("上传方案", "从文件")
    e2 = st.upload(text.encode())  # no name given: the scenario's own name
    assert e2.name == load_scenario(BASELINE).name


def test_env_var_moves_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "shared"))
    st = ScenarioStore()
    assert st.folder == (tmp_path / "shared").resolve()
    st.save(load_scenario(BASELINE), "共享")
    assert (tmp_path / "shared" / safe_filename("共享")).is_file()
    monkeypatch.delenv(ENV_VAR)
    assert ScenarioStore().folder == DEFAULT_FOLDER
    assert DEFAULT_FOLDER == ROOT / "scenarios" / "saved"


def test_default_folder_does_not_depend_on_cwd(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    assert ScenarioStore().folder == ROOT / "scenarios" / "saved"


def test_rename_duplicate_delete(tmp_path):
    st = ScenarioStore(tmp_path)
    base = load_scenario(BASELINE)
    first = st.save(base, "方案A", note="原始")
    st.save(base, "方案B")
    r = st.rename("方案A", "方案A（修订）")
    assert r.name == "方案A（修订）" and r.note == "原始" and r.saved_at == first.saved_at
    assert st.load("方案A（修订）").name == "方案A（修订）"
    assert not first.file.exists()
    with pytest.raises(ScenarioNotFound):
        st.load("方案A")
    with pytest.raises(ScenarioExists):
        st.rename("方案A（修订）", "方案B")
    d = st.duplicate("方案B")
    assert d.name == "方案B (copy)"
    assert st.duplicate("方案B").name == "方案B (copy 2)"
    d3 = st.duplicate("方案B", "方案C", note="副本")
    assert d3.note == "副本" and st.load("方案C").name == "方案C"
    with pytest.raises(ScenarioExists):
        st.duplicate("方案B", "方案C")
    assert sorted(st.names()) == sorted(["方案A（修订）", "方案B", "方案B (copy)", "方案B (copy 2)", "方案C"])
    removed = st.delete("方案B (copy)")
    assert not removed.exists()
    with pytest.raises(ScenarioNotFound):
        st.delete("方案B (copy)")
    with pytest.raises(ScenarioNotFound):
        st.delete("../方案B")
    assert len(st.list()) == 4


def test_delete_never_leaves_the_folder(tmp_path):
    outside = tmp_path / "precious.yaml"
    outside.write_bytes(BASELINE.read_bytes())
    st = ScenarioStore(tmp_path / "store")
    st.save(load_scenario(BASELINE), "x")
    for n in ("../precious", "../precious.yaml", str(outside), load_scenario(BASELINE).name):
        with pytest.raises(StoreError):
            st.delete(n)
    assert outside.exists()


def _saver(folder: str, prefix: str, n: int, same_names: bool) -> None:
    st = ScenarioStore(folder)
    base = load_scenario(BASELINE)
    for i in range(n):
        name = f"共享 {i}" if same_names else f"{prefix} {i}"
        try:
            st.save(base.model_copy(update={"seed": i + 1}), name, note=prefix, overwrite=same_names)
        except ScenarioExists:
            pass


@pytest.mark.timeout(120)
@pytest.mark.parametrize("same_names", [False, True])
def test_two_processes_saving_at_once_lose_and_corrupt_nothing(tmp_path, same_names):
    # fork: the children need no fresh import of the engine (seconds); the store shares no state
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_saver, args=(str(tmp_path), p, 50, same_names)) for p in ("甲", "乙")]
    for p in procs:
        p.start()
    # a third session lists while they save: it must never see a half-written file
    seen_errors, lists = [], 0
    reader = ScenarioStore(tmp_path)
    while any(p.is_alive() for p in procs):
        seen_errors += [(e.file.name, e.error) for e in reader.list() if not e.ok]
        lists += 1
    for p in procs:
        p.join(100)
        assert p.exitcode == 0
    assert seen_errors == []
    assert lists > 1
    entries = ScenarioStore(tmp_path).list()
    assert all(e.ok for e in entries), [e.error for e in entries if not e.ok]
    expected = {f"共享 {i}" for i in range(50)} if same_names else {f"{p} {i}" for p in ("甲", "乙") for i in range(50)}
    assert {e.name for e in entries} == expected
    assert len(entries) == len(expected)
    for e in entries:
        assert e.scenario.seed == int(e.name.split()[-1]) + 1
        assert e.note in ("甲", "乙") and (same_names or e.name.startswith(e.note))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_a_scenario_that_would_not_load_back_exactly_is_refused(tmp_path):
    # PyYAML writes U+0085 (NEL) raw and reads it back as a line break
    st = ScenarioStore(tmp_path)
    scn = load_scenario(BASELINE).model_copy(update={"description": "x\x85y"})
    with pytest.raises(StoreError, match="cannot be saved exactly"):
        st.save(scn, "nel")
    assert st.list() == []


def test_default_folders_are_the_repository_scenarios():
    """The shipped scenarios and the default store live in the repository's scenarios/ folder
    (not beside the store's module, wherever the engine's packages are arranged)."""
    from sim.store.scenario_store import BUILTIN_FOLDER, DEFAULT_FOLDER

    root = Path(__file__).resolve().parent.parent
    assert BUILTIN_FOLDER == root / "scenarios" and (BUILTIN_FOLDER / "baseline.yaml").is_file()
    assert DEFAULT_FOLDER == root / "scenarios" / "saved"
