"""How fast hostile and broken input is refused: prints figures, asserts nothing.

    python benchmarks/hostile.py [--repeat 5]

The requirements these figures stand for (tests/test_hostile.py checks that each case is
refused with its message; it asserts only margins a slow machine cannot miss):
- the parse path refuses each bomb of ``tests/test_hostile.BOMBS`` in under 2 s (in-process);
- listing a store folder poisoned with one file of each kind takes under 2 s;
- a value expanded to 100,000 items is refused without being written out (under 2 s);
- the command line refuses a bomb and exits in under 10 s, Python start-up included.

Each figure is the median of ``--repeat`` runs (these machines share their cores).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sim.model.errors import ScenarioError  # noqa: E402
from sim.model.loader import parse_yaml  # noqa: E402
from sim.model.scenario import load_scenario, load_yaml_text, scenario_from_dict  # noqa: E402
from sim.store.scenario_store import ENV_VAR, ScenarioStore  # noqa: E402
from test_hostile import BASE, BOMBS  # noqa: E402  (the same files the tests refuse)

PARSE_S, CLI_S = 2.0, 10.0   # the requirements


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _refused(fn) -> None:
    try:
        fn()
    except ScenarioError:
        return
    raise AssertionError("not refused")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows: list[tuple[str, float, float]] = []
    for name, (text, _code) in sorted(BOMBS.items()):
        rows.append((f"parse: {name}", _median(lambda: _refused(lambda: load_yaml_text(text)), args.repeat), PARSE_S))

    big = parse_yaml("a: &a [" + ", ".join(["x" * 50] * 300) + "]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n")
    data = load_scenario(BASE).model_dump(mode="json")
    data["description"] = big["b"]
    rows.append(("a 100,000-item value refused", _median(lambda: _refused(lambda: scenario_from_dict(data)),
                                                         args.repeat), PARSE_S))

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "shared"
        ScenarioStore(folder).save(load_scenario(BASE).model_copy(update={"horizon_months": 3}), "好方案")
        for name in ("laughs", "recursive", "deep_flow", "bad_date", "duplicate_key", "syntax"):
            (folder / f"{name}.yaml").write_text(BOMBS[name][0], encoding="utf-8")
        (folder / "binary.yaml").write_bytes(b"\xff\xfe\x00bad")
        with (folder / "huge.yaml").open("wb") as fh:
            fh.truncate(5_000_000)
        rows.append(("listing a poisoned folder", _median(lambda: ScenarioStore(folder).list(), args.repeat), PARSE_S))

        bomb = Path(tmp) / "laughs.yaml"
        bomb.write_text(BOMBS["laughs"][0], encoding="utf-8")
        env = {**os.environ, ENV_VAR: str(folder), "PYTHONPATH": str(ROOT)}
        rows.append(("command line refuses a bomb (with start-up)", _median(
            lambda: subprocess.run([sys.executable, "-m", "sim", "run", str(bomb)], cwd=ROOT, env=env,
                                   capture_output=True), args.repeat), CLI_S))

    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'median s':>9}  {'required':>8}")
    for name, sec, req in rows:
        print(f"{name:<{width}}  {sec:9.3f}  {'< ' + format(req, 'g') + ' s':>8}{'' if sec < req else '  OVER'}")


if __name__ == "__main__":
    main()
