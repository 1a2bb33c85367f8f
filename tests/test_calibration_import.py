"""Importing a court's records (issue 12 part 1): formats and encodings, headers and mapping,
every quality-report reason, pseudonyms, party names never read, bounds, the command line."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from sim.calibration import readers
from sim.calibration.example import CASE_HEADER, csv_bytes, xlsx_bytes
from sim.calibration.monthly import derive_monthly
from sim.calibration.readers import RecordsFileError, read_table
from sim.calibration.records import import_cases
from sim.calibration.totals import import_monthly, import_staffing
from sim.model.errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
PARTY = ["张三丰（原告）", "某某银行股份有限公司", "李四光", "王五"]
JUDGES = ["赵审判", "钱审判", "孙审判"]


def _rows() -> list[list]:
    """Six good cases (header CASE_HEADER), party and judge names included."""
    base = [
        ["（2024）豫0403民初1号", D(2024, 1, 3), D(2024, 2, 1), "简易程序", "否", "速裁团队", JUDGES[1], "调解", "否", 0],
        ["(2024)豫0403民初2号", D(2024, 1, 5), None, "普通程序", "是", "民一庭", JUDGES[0], "", "是", 30],
        ["（2024）豫0403民初3号", D(2024, 1, 9), D(2024, 3, 20), "小额诉讼程序", "否", "速裁团队", JUDGES[1], "判决", "否", 0],
        ["（2024）豫0403民初4号", D(2024, 2, 1), D(2024, 2, 29), "速裁", "否", "速裁团队", JUDGES[2], "撤诉", "否", 0],
        ["（2023）豫0403民初900号", D(2023, 11, 20), D(2024, 1, 15), "普通程序", "否", "民一庭", JUDGES[0], "判决", "否", 0],
        ["（2024）豫0403民初6号", D(2024, 3, 1), D(2024, 3, 30), "简易程序", "否", "速裁团队", "", "驳回起诉", "否", 0],
    ]
    return [[i + 1, r[0], PARTY[i % 4], PARTY[(i + 1) % 4], *r[1:]] for i, r in enumerate(base)]


def _assert_the_six(imp) -> None:
    assert imp.report.rows_kept == 6 and imp.report.rows_refused == 0, imp.report.to_dict()
    by_no = {c.case_number: c for c in imp.cases}
    c2 = by_no["（2024）豫0403民初2号"]  # half-width brackets normalised
    assert c2.closing is None and c2.converted and c2.governing_procedure == "ordinary" and c2.excluded_days == 30
    assert c2.extended is True
    assert by_no["（2024）豫0403民初4号"].procedure == "simple"  # 速裁 runs under simple procedure
    assert by_no["（2024）豫0403民初3号"].closing == D(2024, 3, 20)


@pytest.mark.parametrize("fmt", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "xlsx", "utf-8.gz", "gbk.gz",
                                 "xlsx.gz", "tab"])
def test_every_format_and_encoding_reads_the_same_cases(fmt: str, tmp_path: Path) -> None:
    rows = _rows()
    if fmt.startswith("xlsx"):
        data = xlsx_bytes(CASE_HEADER, rows)
    elif fmt == "tab":
        data = csv_bytes(CASE_HEADER, rows).decode("utf-8-sig").replace(",", "\t").encode("utf-8")
    else:
        data = csv_bytes(CASE_HEADER, rows, fmt.split(".")[0], "slash" if "gb" in fmt else "iso")
    if fmt.endswith(".gz"):
        data = gzip.compress(data)
    path = tmp_path / "export.dat"  # the name says nothing: the format comes from the bytes
    path.write_bytes(data)
    imp = import_cases(path)
    _assert_the_six(imp)
    assert imp.report.compressed == fmt.endswith(".gz")
    if not fmt.startswith("xlsx") and fmt != "tab":
        assert imp.report.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030",
                                       "gb18030": "gb18030", "utf-16": "utf-16"}[fmt.split(".")[0]]


def test_xlsx_serial_numbers_and_text_dates(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["案号", "立案日期", "结案日期", "程序"])
    ws.append(["（2024）豫0403民初1号", 45294, "2024年2月1日", "简易程序"])  # a serial in a General cell
    ws.append(["（2024）豫0403民初2号", "20240105", 45356.0, "普通程序"])
    buf = io.BytesIO()
    wb.save(buf)
    imp = import_cases(buf.getvalue())
    assert [(c.filing, c.closing) for c in imp.cases] == [(D(2024, 1, 3), D(2024, 2, 1)), (D(2024, 1, 5), D(2024, 3, 5))]


def test_english_headers_and_a_mapping() -> None:
    text = ("Case No.,Filing date,Closing date,Procedure,Division,Judge,Outcome\n"
            "（2024）豫0403民初1号,2024-01-03,2024-02-01,simple,A,X,judgment\n")
    imp = import_cases(text.encode())
    assert imp.cases[0].procedure == "simple" and imp.cases[0].team == "A" and imp.cases[0].closing_method == "judgment"
    custom = "编号,收到日子,完结日子,走的程序,备注\n（2024）豫0403民初1号,2024-01-03,2024-02-01,简易程序,随便\n"
    with pytest.raises(ScenarioError) as e:
        import_cases(custom.encode())
    assert {(x.code, x.params["field"]) for x in e.value.errors} == {
        ("rec_missing_column", "filing_date"), ("rec_missing_column", "closing_date"),
        ("rec_missing_column", "procedure")}
    imp = import_cases(custom.encode(), mapping={"收到日子": "filing_date", "完结日子": "closing_date",
                                                 "走的程序": "procedure", "编号": "case_number", "备注": None})
    assert imp.cases[0].filing == D(2024, 1, 3) and imp.report.columns["filing_date"] == "收到日子"


def test_mapping_mistakes_are_named() -> None:
    text = "案号,立案日期,结案日期,程序,原告\n（2024）豫0403民初1号,2024-01-03,2024-02-01,简易程序,张三\n"
    with pytest.raises(ScenarioError) as e:
        import_cases(text.encode(), mapping={"案号": "case_no", "不存在": "team", "原告": "team"})
    assert [x.code for x in e.value.errors] == ["rec_mapping_field", "rec_mapping_column", "rec_mapping_party"]
    two = "立案日期,收案日期,结案日期,程序\n2024-01-03,2024-01-03,2024-02-01,简易程序\n"
    with pytest.raises(ScenarioError) as e:
        import_cases(two.encode())
    assert e.value.errors[0].code == "rec_duplicate_column"
    assert len(import_cases(two.encode(), mapping={"收案日期": None}).cases) == 1


def test_every_quality_reason_is_reported_by_row_without_stopping() -> None:
    H = "案号,立案日期,结案日期,适用程序,简转普,扣除审限天数,结案方式,延长审限\n"
    lines = [
        "（2024）豫0403民初1号,2024-01-03,2024-02-01,简易程序,否,0,判决,否",     # 2 good
        "（2024）豫0403民初2号,2024-03-05,2024-03-01,简易程序,否,0,判决,否",     # 3 closing before filing
        "（2024）豫0403民初3号,2024-01-03,2024-02-01,特别程序,否,0,判决,否",     # 4 unknown procedure
        "（2024）豫0403民初1号,2024-01-04,2024-02-02,简易程序,否,0,判决,否",     # 5 duplicate of row 2
        "（2024）豫0403民初5号,1998-01-03,2024-02-01,简易程序,否,0,判决,否",     # 6 too early
        "（2024）豫0403民初6号,2024-02-30,2024-03-01,简易程序,否,0,判决,否",     # 7 no such date
        "（2024）豫0403民终7号,2024-01-03,2024-02-01,简易程序,否,0,判决,否",     # 8 appeal, filtered
        "2024豫0403民初8号,2024-01-03,2024-02-01,简易程序,否,0,判决,否",         # 9 not a case number
        ",2024-01-03,2024-02-01,简易程序,否,0,判决,否",                           # 10 no case number
        "（2024）豫0403民初10号,,2024-02-01,简易程序,否,0,判决,否",               # 11 no filing date
        "（2024）豫0403民初11号,2024-01-03,2024-02-01,,否,0,判决,否",             # 12 no procedure
        "（2024）豫0403民初12号,2024-01-03,2024-02-01,简易程序,也许,0,判决,否",   # 13 not yes/no
        "（2024）豫0403民初13号,2024-01-03,2024-02-01,简易程序,否,2.5,判决,否",   # 14 fractional days
        "（2024）豫0403民初14号,2024-01-03,2024-01-10,简易程序,否,30,判决,否",    # 15 excluded > duration
        "（2024）豫0403民初15号,2024-01-03,2024-02-01,简易程序,否,0,和解了,否",   # 16 closing method unknown: kept
        "（2024）豫0403民初16号,2024-03-05,2024-02-01,神秘程序,否,0,判决,否",     # 17 two problems
        "（2024）豫0403民初17号,2024-01-03,2024-06-30,简易程序,否,0,判决,否",     # 18 after export date
    ]
    imp = import_cases((H + "\n".join(lines) + "\n").encode(), export_date=D(2024, 4, 30))
    rep = imp.report
    got = {(i.row, i.code) for i in rep.issues}
    assert got == {(3, "rec_closing_before_filing"), (4, "rec_procedure_unknown"), (5, "rec_duplicate"),
                   (6, "rec_date_too_early"), (7, "rec_date_unparseable"), (8, "rec_case_type"),
                   (9, "rec_case_number"), (10, "rec_case_number_missing"), (11, "rec_filing_missing"),
                   (12, "rec_procedure_missing"), (13, "rec_flag_unparseable"), (14, "rec_count_invalid"),
                   (15, "rec_excluded_too_long"), (16, "rec_closing_unknown"), (17, "rec_closing_before_filing"),
                   (17, "rec_procedure_unknown"), (18, "rec_date_after_export")}
    assert sorted(c.row for c in imp.cases) == [2, 16]
    assert rep.rows_refused == 15 and rep.rows_kept == 2 and rep.rows_read == 17
    dup = next(i for i in rep.issues if i.code == "rec_duplicate")
    assert dup.params["first_row"] == 2 and dup.column == "案号"
    warn = next(i for i in rep.issues if i.code == "rec_closing_unknown")
    assert not warn.refused and imp.cases[1].closing_method == "other"
    for i in rep.issues:  # every reason reads in both languages, naming what is wrong
        assert i.text("zh") and i.text("en") and "?" not in i.text("en")
    # with every type kept, the appeal is imported
    assert 8 in {c.row for c in import_cases((H + "\n".join(lines)).encode(), case_types=None,
                                             export_date=D(2024, 4, 30)).cases}


def test_pseudonyms_are_stable_and_no_name_or_party_text_is_kept(tmp_path: Path) -> None:
    rows = _rows()
    a = import_cases(csv_bytes(CASE_HEADER, rows))
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    b = import_cases(xlsx_bytes(CASE_HEADER, shuffled))
    pa = {c.case_number: c.judge for c in a.cases}
    assert pa == {c.case_number: c.judge for c in b.cases}
    # numbered by each judge's first case: 赵 (2023-11-20) J01, 钱 (2024-01-03) J02, 孙 (2024-02-01) J03
    assert pa["（2023）豫0403民初900号"] == "J01" and pa["（2024）豫0403民初1号"] == "J02"
    assert pa["（2024）豫0403民初4号"] == "J03" and pa["（2024）豫0403民初6号"] is None
    assert a.judges == 3
    blob = json.dumps({"cases": [c.to_dict() for c in a.cases], "report": a.report.to_dict()}, ensure_ascii=False)
    blob += repr(a)
    for name in PARTY + JUDGES + ["张三丰", "某某银行"]:
        assert name not in blob, name
    assert a.report.party_columns == ["原告", "被告"]


def test_party_cells_are_never_parsed(monkeypatch) -> None:
    """The cells of party columns are not even looked at: the parsers never see them."""
    import sim.calibration.records as rec

    seen: list = []
    real = rec.text
    monkeypatch.setattr(rec, "text", lambda c: seen.append(c) or real(c))
    import_cases(csv_bytes(CASE_HEADER, _rows()))
    assert not any(isinstance(s, str) and any(p in s for p in PARTY) for s in seen)


def test_bounded_size(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 10_000)
    big = b"a,b\n" + b"1,2\n" * 5000
    with pytest.raises(RecordsFileError) as e:
        read_table(big)
    assert e.value.code == "rec_too_large"
    (tmp_path / "big.csv").write_bytes(big)
    with pytest.raises(RecordsFileError):
        read_table(tmp_path / "big.csv")
    bomb = gzip.compress(b"a,b\n" + b"0" * 5_000_000)  # small on disk, large inflated
    assert len(bomb) < 10_000
    with pytest.raises(RecordsFileError) as e:
        read_table(bomb)
    assert e.value.code == "rec_too_large"
    monkeypatch.setattr(readers, "MAX_ROWS", 100)
    with pytest.raises(RecordsFileError) as e:
        read_table(b"a,b\n" + b"1,2\n" * 101)
    assert e.value.code == "rec_too_many_rows" and "100" in e.value.text("en")
    with pytest.raises(RecordsFileError) as e:
        read_table(xlsx_bytes(["a"], [[i] for i in range(150)]))
    assert e.value.code == "rec_too_many_rows"


@pytest.mark.parametrize("data,code", [(b"", "rec_no_header"), (b"\n\n ,\n", "rec_no_header"),
                                       (b"\x00\x01\x02binary", "rec_not_table"),
                                       (b"\xff\xfe\x00\xd8", "rec_encoding"),
                                       (b"\x1f\x8b\x08\x00garbage", "rec_bad_gzip"),
                                       (b"PK\x03\x04 not really a zip", "rec_bad_workbook"),
                                       (b"a,b\n\x81\x30\x81", "rec_encoding")])
def test_unusable_files_have_a_coded_reason(data: bytes, code: str) -> None:
    with pytest.raises(RecordsFileError) as e:
        read_table(data)
    assert e.value.code == code
    assert e.value.text("zh") and e.value.text("en")


def test_monthly_totals_and_their_checks() -> None:
    text = ("月份,程序,旧存,新收,结案,未结,审限内结案,诉前调解,诉前调解成功\n"
            "2024年1月,合计,100,50,40,110,38,30,10\n"
            "2024-02,合计,110,45,60,95,70,20,5\n"        # within > closed: refused
            "2024-02,合计,110,45,60,95,58,20,5\n"        # the same month again, after a refusal: kept
            "202403,合计,95,50,40,100,40,20,30\n"        # settled > received: refused
            "2024-03,合计,96,50,40,105,40,20,5\n"        # flow: 96+50-40=106 ≠ 105; carry 95 ≠ 96
            "2024-05,合计,105,10,10,105,10,,\n"          # April missing
            "2024-05,合计,105,10,10,105,10,,\n"          # duplicate month
            "2024-06,简易程序,60,5,5,60,5,,\n"
            "2024-06,普通程序,45,5,5,45,5,,\n"
            "十三月,合计,1,1,1,1,1,,\n")                # not a month
    mon = import_monthly(text.encode())
    codes = {(i.row, i.code) for i in mon.report.issues}
    assert codes == {(3, "rec_within_exceeds"), (5, "rec_mediation_exceeds"), (6, "rec_flow_balance"),
                     (6, "rec_carry_mismatch"), (7, "rec_month_gap"), (8, "rec_month_duplicate"),
                     (11, "rec_month_unparseable")}
    assert [r.month for r in mon.rows] == ["2024-01", "2024-02", "2024-03", "2024-05"]
    assert set(mon.by_procedure) == {"simple", "ordinary"}
    assert not next(i for i in mon.report.issues if i.code == "rec_flow_balance").refused
    procs_only = import_monthly("month,procedure,filed,closed\n2024-01,simple,5,4\n2024-01,ordinary,3,2\n".encode())
    assert [(r.filed, r.closed) for r in procs_only.rows] == [(8, 6)]
    assert procs_only.report.facts["totals_summed_from_procedures"]


def test_staffing() -> None:
    text = ("月份,审判团队,员额法官,法官助理,书记员\n2024-01,速裁团队,4,2,3\n2024-01,民一庭,3,,2\n"
            "2024-01,速裁团队,5,2,3\n2024-02,速裁团队,-1,2,3\n2024-02,民一庭,,1,1\n")
    st = import_staffing(text.encode())
    assert [(r.month, r.team, r.judges, r.assistants) for r in st.rows] == [
        ("2024-01", "民一庭", 3, None), ("2024-01", "速裁团队", 4, 2)]
    assert {(i.row, i.code) for i in st.report.issues} == {(4, "rec_staff_duplicate"), (5, "rec_count_invalid"),
                                                          (6, "rec_count_invalid")}


def test_batch_filings_are_detected() -> None:
    from sim.calibration.quality import detect_batches

    rng = random.Random(1)
    days = []
    for day in range(1, 29):
        days += [D(2024, 2, day)] * (rng.randint(8, 12))
    days += [D(2024, 2, 19)] * 150
    found = detect_batches(days)
    assert [b.date for b in found] == [D(2024, 2, 19)] and found[0].filed >= 158 and 8 <= found[0].expected <= 12
    assert detect_batches([D(2024, 2, d) for d in range(1, 29) for _ in range(10)]) == []


def test_censoring_in_the_derived_table() -> None:
    imp = import_cases(csv_bytes(CASE_HEADER, _rows()), export_date=D(2024, 4, 15))
    mt = derive_monthly(imp.cases, imp.export_date)
    assert mt.start == D(2024, 1, 1) and mt.start_inferred  # the earliest closing is in January
    assert [r.month for r in mt.rows] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert mt.rows[-1].partial and not mt.rows[0].partial
    assert mt.pending_at_export == 1 and mt.rows[-1].pending == 1
    jan = mt.rows[0]
    assert (jan.carried_over, jan.filed, jan.closed, jan.pending, jan.filed_still_pending) == (1, 3, 1, 3, 1)
    for r in mt.rows:
        assert r.carried_over + r.filed - r.closed == r.pending
    from sim.calibration.durations import by_procedure

    d = by_procedure(imp.cases, imp.export_date)
    assert d["all"].censored == 1 and d["ordinary"].censored == 1
    # the closed-only mean of ordinary cases ignores the case open for 100 days; Kaplan–Meier does not
    assert d["ordinary"].closed_mean == 56 and d["ordinary"].km_median == 56 and d["ordinary"].km_p90 is None


def test_command_line(tmp_path: Path) -> None:
    f = tmp_path / "cases.csv"
    f.write_bytes(csv_bytes(CASE_HEADER, _rows() + [[7, "（2024）豫0403民初7号", "x", "y", D(2024, 3, 5), D(2024, 3, 1),
                                                     "简易程序", "否", "速裁团队", "某", "判决", "否", 0]]))
    out = tmp_path / "r.json"
    cmd = [sys.executable, "-m", "sim", "import-records", str(f), "--json", str(out), "--lang", "en"]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "1 refused" in p.stdout and "row 8" in p.stdout and "closing date before the filing date" in p.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["cases"]["report"]["counts"] == {"rec_closing_before_filing": 1}
    assert len(data["cases"]["monthly"]["months"]) == 3
    for name in PARTY + JUDGES:
        assert name not in p.stdout and name not in out.read_text(encoding="utf-8")
    zh = subprocess.run(cmd[:-1] + ["zh"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "结案日期早于立案日期" in zh.stdout and "审限内结案率" in zh.stdout
    bad = subprocess.run([sys.executable, "-m", "sim", "import-records", str(tmp_path / "none.csv"), "--mapping",
                          "{not json", "--lang", "en"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "JSON" in bad.stderr
    g = tmp_path / "g.csv"
    g.write_text("编号,日子\n1,2\n", encoding="gbk")
    bad = subprocess.run([sys.executable, "-m", "sim", "import-records", str(g), "--lang", "zh"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 3 and "缺少 filing_date 列" in bad.stderr
