"""The one safe way to read a scenario: bounded in size, time and memory, strict about YAML.

Every path that reads a scenario (a file on the command line, ``--set`` values, the scenario
store, an upload in the app) goes through :func:`read_file_bytes` and/or :func:`parse_yaml`:

- only regular files are opened (checked with ``stat`` before opening, opened non-blocking and
  checked again), and at most :data:`MAX_BYTES` + 1 bytes are read: no FIFO, no ``/dev/zero``,
  no 50 MB file;
- YAML is parsed by libyaml (when installed) but composed here, counting as it goes: nesting
  deeper than :data:`MAX_DEPTH` levels, aliases that would expand to more than
  :data:`MAX_NODES` values ("billion laughs") and aliases that refer to themselves fail at
  once, before anything is expanded; a key repeated in one mapping is refused, naming its path;
- dates that do not exist (``2025-02-30``) are kept as text, so validation reports them as a
  field error instead of the YAML library raising;
- every failure is a :class:`sim.model.errors.ScenarioError` with a code, a line and a column;
- the parse runs in a child process under a memory and a time limit (:mod:`sim.model.sandbox`),
  so whatever libyaml does with a file, the server or the command line only gets a message
  (``parse_memory``, ``parse_time``, ``parse_crashed``). The same text is parsed once: its
  result (or its errors) is kept by the text's hash, so a built-in or saved file read again
  costs no child.
"""
from __future__ import annotations

import collections
import copy
import errno
import hashlib
import os
import stat
import threading
from typing import Any, Optional

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ScenarioError
from .sandbox import SandboxError, run_isolated

#: the largest scenario file read (the store's cap, too): a real scenario is a few KB
MAX_BYTES = 1_000_000
#: deepest nesting of mappings and lists (a scenario needs about 6)
MAX_DEPTH = 50
#: values a document may hold once its aliases are expanded (a scenario has a few hundred)
MAX_NODES = 100_000
#: parsed texts kept (by hash) so the same text is not parsed in a child again
CACHE_ENTRIES = 256
#: texts longer than this are not kept (copying a large result would cost more than it saves)
CACHE_TEXT_CHARS = 256_000

_Base: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


def _mark(m: Any) -> dict[str, int]:
    return {"line": (m.line + 1) if m is not None else 0, "column": (m.column + 1) if m is not None else 0}


class _Refused(Exception):
    """Raised inside the loader; turned into a ScenarioError by :func:`parse_yaml`."""

    def __init__(self, code: str, path: str = "", **params: Any):
        super().__init__(code)
        self.code, self.path, self.params = code, path, params


class _BoundedLoader(_Base):  # type: ignore[misc, valid-type]
    """libyaml's (or PyYAML's) safe parser with a composer that counts what it builds."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.anchors: dict[str, Node] = {}
        self._sizes: dict[int, int] = {}
        self._open: set[int] = set()
        self._total = 0
        self._depth = 0
        self._path: list[str] = []

    # -- composing (replaces yaml.composer.Composer, which has no limits) --
    def get_single_node(self) -> Optional[Node]:
        self.get_event()  # stream start
        document = None
        if not self.check_event(StreamEndEvent):
            self.get_event()  # document start
            document = self._compose()
            self.get_event()  # document end
        if not self.check_event(StreamEndEvent):
            raise _Refused("yaml_multiple_documents", **_mark(self.peek_event().start_mark))
        self.get_event()
        self.anchors = {}
        return document

    def _count(self, n: int) -> None:
        self._total += n
        if self._total > MAX_NODES:
            raise _Refused("yaml_aliases", limit=MAX_NODES)

    def _compose(self) -> Node:
        if self.check_event(AliasEvent):
            event = self.get_event()
            node = self.anchors.get(event.anchor)
            if node is None:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            if id(node) in self._open:
                raise _Refused("yaml_recursive_alias", ".".join(self._path), anchor=event.anchor,
                               **_mark(event.start_mark))
            self._count(self._sizes[id(node)])
            return node
        event = self.peek_event()
        anchor = event.anchor
        self._count(1)
        if self.check_event(ScalarEvent):
            event = self.get_event()
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)
            node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            size = 1
        else:  # mappings and lists nest; stop before the Python stack or a validator would
            if self._depth >= MAX_DEPTH:
                raise _Refused("yaml_depth", ".".join(self._path), limit=MAX_DEPTH, **_mark(event.start_mark))
            self._depth += 1
            try:
                node, size = self._compose_collection(anchor)
            finally:
                self._depth -= 1
        self._sizes[id(node)] = size
        if anchor is not None:
            self.anchors[anchor] = node
            self._open.discard(id(node))
        return node

    def _compose_collection(self, anchor: Optional[str]) -> tuple[Node, int]:
        start = self.get_event()
        tag = start.tag
        is_seq = isinstance(start, SequenceStartEvent)
        if tag is None or tag == "!":
            tag = self.resolve(SequenceNode if is_seq else MappingNode, None, start.implicit)
        node: Node = (SequenceNode if is_seq else MappingNode)(tag, [], start.start_mark, None,
                                                              flow_style=start.flow_style)
        if anchor is not None:  # registered now, so an alias inside it is seen as recursive
            self.anchors[anchor] = node
            self._open.add(id(node))
        size = 1
        if is_seq:
            i = 0
            while not self.check_event(SequenceEndEvent):
                self._path.append(str(i))
                try:
                    child = self._compose()
                finally:
                    self._path.pop()
                node.value.append(child)
                size += self._sizes[id(child)]
                i += 1
        else:
            seen: dict[tuple[str, str], int] = {}
            while not self.check_event(MappingEndEvent):
                key = self._compose()
                if isinstance(key, ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    ident = (key.tag, key.value)
                    if ident in seen:
                        raise _Refused("yaml_duplicate_key", ".".join(self._path + [key.value]),
                                       key=key.value, **_mark(key.start_mark))
                    seen[ident] = 1
                self._path.append(key.value if isinstance(key, ScalarNode) else "?")
                try:
                    value = self._compose()
                finally:
                    self._path.pop()
                node.value.append((key, value))
                size += self._sizes[id(key)] + self._sizes[id(value)]
        end = self.get_event()
        node.end_mark = end.end_mark
        return node, size

    # -- constructing --
    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:  # type: ignore[override]
        """A date that does not exist stays text, so validation names the field."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return node.value


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _BoundedLoader.construct_yaml_timestamp)


_CACHE: "collections.OrderedDict[tuple[bytes, str], tuple[bool, Any]]" = collections.OrderedDict()
_CACHE_LOCK = threading.Lock()


def parse_yaml(text: str, path: str = "") -> Any:
    """Plain data from YAML ``text``, within the limits above; raises :class:`ScenarioError`.

    ``path`` prefixes the field path of a duplicate key (used for ``--set`` values). The parse
    runs in a child process under a memory and a time limit (:mod:`sim.model.sandbox`).
    """
    if len(text) > MAX_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError.one(path, "file_too_large", size_mb=len(text.encode("utf-8", "surrogatepass")) / 1e6,
                                limit_mb=MAX_BYTES / 1e6)
    key = _cache_key(text, path)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None:
        return _replay(hit)
    try:
        outcome: tuple[bool, Any] = (True, run_isolated(parse_yaml_here, text, path))
    except ScenarioError as exc:
        outcome = (False, exc.errors)
    except SandboxError as exc:
        raise ScenarioError.one(path, exc.code, **exc.params) from None
    if len(text) <= CACHE_TEXT_CHARS:
        with _CACHE_LOCK:
            _CACHE[key] = (outcome[0], copy.deepcopy(outcome[1]))
            while len(_CACHE) > CACHE_ENTRIES:
                _CACHE.popitem(last=False)
    return _replay(outcome)


def prefetch(texts: "list[str]") -> None:
    """Parse, in one child process, every text of ``texts`` not parsed yet, keeping the results
    for :func:`parse_yaml` (a folder of saved scenarios costs one child, not one per file). A
    child that is stopped leaves each text to be parsed, and refused, on its own."""
    todo = [t for t in dict.fromkeys(texts)
            if len(t) <= CACHE_TEXT_CHARS and _cache_key(t, "") not in _CACHE]
    if len(todo) < 2:
        return
    try:
        outcomes = run_isolated(_parse_many, todo)
    except SandboxError:
        return
    with _CACHE_LOCK:
        for text, outcome in zip(todo, outcomes, strict=True):
            _CACHE[_cache_key(text, "")] = outcome
        while len(_CACHE) > CACHE_ENTRIES:
            _CACHE.popitem(last=False)


def _parse_many(texts: "list[str]") -> "list[tuple[bool, Any]]":
    out: list[tuple[bool, Any]] = []
    for text in texts:
        try:
            out.append((True, parse_yaml_here(text)))
        except ScenarioError as exc:
            out.append((False, exc.errors))
    return out


def _cache_key(text: str, path: str) -> tuple[bytes, str]:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), path


def _replay(outcome: tuple[bool, Any]) -> Any:
    """A parse's result as new objects (callers may change it), or its errors raised again."""
    ok, value = outcome
    if ok:
        return copy.deepcopy(value)
    raise ScenarioError([e.model_copy(deep=True) for e in value])


def parse_yaml_here(text: str, path: str = "") -> Any:
    """:func:`parse_yaml` in this process (bounded, but not isolated): the child's work."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        where = ".".join(p for p in (path, exc.path) if p) if exc.code == "yaml_duplicate_key" else path
        raise ScenarioError.one(where, exc.code, **exc.params) from None
    except yaml.constructor.ConstructorError as exc:
        if exc.problem and "could not determine a constructor" in exc.problem:
            tag = (exc.problem.split("tag", 1)[-1].strip() or "?")[:80]
            raise ScenarioError.one(path, "yaml_tag", tag=tag, **_mark(exc.problem_mark)) from None
        raise ScenarioError.one(path, "yaml_syntax", problem=str(exc.problem or exc)[:200],
                                **_mark(exc.problem_mark)) from None
    except yaml.MarkedYAMLError as exc:
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())[:200]
        raise ScenarioError.one(path, "yaml_syntax", problem=problem,
                                **_mark(exc.problem_mark or exc.context_mark)) from None
    except (yaml.YAMLError, ValueError) as exc:  # reader errors (control characters), odd scalars
        raise ScenarioError.one(path, "yaml_syntax", problem=" ".join(str(exc).split())[:200],
                                line=0, column=0) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise ScenarioError.one(path, "yaml_depth", limit=MAX_DEPTH, line=0, column=0) from None
    finally:
        loader.dispose()


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in a few words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_file_bytes(path: "str | os.PathLike[str]", limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; raises :class:`ScenarioError`.

    Never blocks (a FIFO is refused before it is opened, and the file is opened non-blocking)
    and never reads more than ``limit`` + 1 bytes, whatever the file claims its size is.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc) from None
    if not stat.S_ISREG(st.st_mode):
        raise ScenarioError.one("", "file_not_regular", kind=file_kind(st.st_mode))
    if st.st_size > limit:
        raise ScenarioError.one("", "file_too_large", size_mb=st.st_size / 1e6, limit_mb=limit / 1e6)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(exc) from None
    try:
        st = os.fstat(fd)  # the file may have been swapped between stat and open
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError.one("", "file_not_regular", kind=file_kind(st.st_mode))
        chunks, got = [], 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise _os_error(exc) from None
    finally:
        os.close(fd)
    if got > limit:
        raise ScenarioError.one("", "file_too_large", size_mb=max(st.st_size, got) / 1e6, limit_mb=limit / 1e6)
    return b"".join(chunks)


def _os_error(exc: OSError) -> ScenarioError:
    if exc.errno == errno.ENAMETOOLONG:
        return ScenarioError.one("", "name_too_long")
    return ScenarioError.one("", "file_unreadable", reason=exc.strerror or str(exc))


def decode_text(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); raises :class:`ScenarioError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError.one("", "file_not_utf8") from None


def read_yaml_file(path: "str | os.PathLike[str]") -> Any:
    """Plain data of a YAML file, read safely (see the module docstring)."""
    return parse_yaml(decode_text(read_file_bytes(path)))
