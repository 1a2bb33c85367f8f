"""``python -m sim scenarios list|show|save|rename|duplicate|delete`` over the scenario store.

Exit status as in :mod:`sim.cli.main`: 0 on success, 2 on bad input with a one-line message.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from ..model.errors import ScenarioError, printable
from ..model.loader import decode_text, read_file_bytes
from ..model.scenario import dump_yaml
from ..store.scenario_store import ScenarioStore, StoreError, UnreadableEntry, builtin_scenarios
from .errors import EXIT_OK, cli_lang, fail, print_errors


def _store(a: argparse.Namespace) -> ScenarioStore:
    return ScenarioStore(a.dir) if getattr(a, "dir", None) else ScenarioStore()


def _guarded(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn a store error into one line per problem and exit status 2 instead of a traceback."""
    def run(a: argparse.Namespace) -> int:
        try:
            return fn(a)
        except (StoreError, ScenarioError) as exc:
            return print_errors(exc, cli_lang(a))
    run.__doc__ = fn.__doc__
    return run


def _one_line(text: str, width: int) -> str:
    t = printable(" ".join(text.split()))
    return t if len(t) <= width else t[: width - 1] + "…"


def _shown_path(p: Path) -> str:
    """``p`` relative to the working folder when it is inside it (what one would type), else absolute."""
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


@_guarded
def cmd_list(a: argparse.Namespace) -> int:
    """Print the saved scenarios (and any unreadable file with its error), then the built-in ones."""
    st = _store(a)
    entries = st.list()
    builtin = builtin_scenarios()
    if a.json:
        print(json.dumps([{**e.as_dict(), "builtin": False} for e in entries]
                         + [{**e.as_dict(), "builtin": True} for e in builtin], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        print(f"no saved scenarios in {st.folder}")
    else:
        print(f"{len(entries)} saved in {st.folder}")
    for e in entries:
        if e.ok:
            note = f"  {_one_line(e.note, 60)}" if e.note else ""
            print(f"{e.saved_at[:16].replace('T', ' '):<17} {printable(e.name)}{note}  [{printable(e.file.name)}]")
        else:
            print(f"{'UNREADABLE':<17} {printable(e.name)}  [{printable(e.file.name)}]: "
                  f"{_one_line(e.error or '', 200)}")
    if builtin:
        # the shipped scenarios: run, compare and advise take their path; the store cannot change them
        print(f"\n{len(builtin)} built-in (read-only), run them by path:")
        for e in builtin:
            status = "" if e.ok else f": {_one_line(e.error or '', 200)}"
            print(f"{'built-in':<17} {printable(e.name)}  [{printable(_shown_path(e.file))}]{status}")
    return EXIT_OK


@_guarded
def cmd_show(a: argparse.Namespace) -> int:
    """Print one saved scenario: its name, note and date, then its YAML.

    An unreadable file is shown as its raw text (at most 64 KB), with its reason on stderr and
    exit status 2.
    """
    st = _store(a)
    try:
        e = st.get(a.name)
    except UnreadableEntry as exc:
        text, cut = st.raw_text(a.name)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        if cut:
            print("# … (cut: the file is longer)")
        return print_errors(exc, cli_lang(a))
    print(f"# name: {printable(e.name)}\n# saved: {e.saved_at}\n# file: {printable(str(e.file))}")
    for line in (e.note.split("\n") if e.note else []):
        print(f"# note: {printable(line)}")
    assert e.scenario is not None
    sys.stdout.write(dump_yaml(e.scenario))
    return EXIT_OK


@_guarded
def cmd_save(a: argparse.Namespace) -> int:
    """Save a scenario file into the store under a name."""
    try:
        data = read_file_bytes(a.file)
        decode_text(data)
    except ScenarioError as exc:
        return print_errors(ScenarioError([e.model_copy(update={"path": printable(a.file)}) for e in exc.errors]),
                            cli_lang(a))
    e = _store(a).upload(data, name=a.name, note=a.note, overwrite=a.overwrite, source=a.file)
    print(f"saved {printable(repr(e.name))} as {printable(str(e.file))}")
    return EXIT_OK


@_guarded
def cmd_rename(a: argparse.Namespace) -> int:
    """Rename a saved scenario."""
    e = _store(a).rename(a.name, a.new_name, overwrite=a.overwrite)
    print(f"renamed to {printable(repr(e.name))} ({printable(e.file.name)})")
    return EXIT_OK


@_guarded
def cmd_duplicate(a: argparse.Namespace) -> int:
    """Copy a saved scenario under a new name."""
    e = _store(a).duplicate(a.name, a.new_name)
    print(f"saved a copy as {printable(repr(e.name))} ({printable(e.file.name)})")
    return EXIT_OK


@_guarded
def cmd_delete(a: argparse.Namespace) -> int:
    """Delete a saved scenario, after confirmation on a terminal unless --yes."""
    st = _store(a)
    lang = cli_lang(a)
    if not st.exists(a.name):
        return fail("not_found", lang, name=printable(a.name))
    if not a.yes:
        if not sys.stdin.isatty():
            return fail("delete_unconfirmed", lang)
        try:
            answer = input(f"delete saved scenario {printable(repr(a.name))}? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("not deleted")
            return EXIT_OK
    p = st.delete(a.name)
    print(f"deleted {printable(repr(a.name))} ({printable(p.name)})")
    return EXIT_OK


def add_store_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``scenarios`` and its sub-commands to the main parser's sub-commands."""
    sc = subparsers.add_parser(
        "scenarios", help="saved scenarios: list, show, save, rename, duplicate, delete",
        description="Manage the saved scenarios (folder: $COURT_SIM_SCENARIO_DIR or scenarios/saved/).")
    ssub = sc.add_subparsers(dest="store_command", required=True, metavar="ACTION")

    def folder(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--dir", metavar="FOLDER", help="scenario folder (default: $COURT_SIM_SCENARIO_DIR or scenarios/saved/)")

    p = ssub.add_parser("list", help="list saved scenarios, then the built-in ones")
    p.add_argument("--json", action="store_true", help="print JSON")
    folder(p)
    p.set_defaults(func=cmd_list)

    p = ssub.add_parser("show", help="print a saved scenario's YAML")
    p.add_argument("name")
    folder(p)
    p.set_defaults(func=cmd_show)

    p = ssub.add_parser("save", help="save a scenario file under a name")
    p.add_argument("file", help="scenario YAML file")
    p.add_argument("--name", required=True, help="display name (any text, e.g. 速裁团队扩编方案)")
    p.add_argument("--note", default=None, help="a note shown with the name")
    p.add_argument("--overwrite", action="store_true", help="replace a saved scenario of the same name")
    folder(p)
    p.set_defaults(func=cmd_save)

    p = ssub.add_parser("rename", help="rename a saved scenario")
    p.add_argument("name")
    p.add_argument("new_name")
    p.add_argument("--overwrite", action="store_true", help="replace a saved scenario that has the new name")
    folder(p)
    p.set_defaults(func=cmd_rename)

    p = ssub.add_parser("duplicate", help="copy a saved scenario under a new name")
    p.add_argument("name")
    p.add_argument("new_name", nargs="?", help="name of the copy (default: NAME (copy))")
    folder(p)
    p.set_defaults(func=cmd_duplicate)

    p = ssub.add_parser("delete", help="delete a saved scenario")
    p.add_argument("name")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    folder(p)
    p.set_defaults(func=cmd_delete)
