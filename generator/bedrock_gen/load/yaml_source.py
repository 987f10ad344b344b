"""Safe YAML loading that keeps the line and column of every node.

Why not ``yaml.safe_load``: it forgets where values came from, silently keeps the last of two
duplicate keys, expands aliases without bound ("billion laughs") and recurses once per nesting
level. Here the parser's *events* are folded into plain Python values by an explicit stack, so:

- every value and every mapping key has a 1-based ``Location`` (``Document.values``/``keys``);
- the source text of each plain scalar is kept (``Document.raw``), so validation can say what
  YAML did to it (``account_id: 012345670123`` is an octal number, not an account);
- duplicate keys, tags other than the plain JSON-like ones, several documents, files over
  ``MAX_BYTES``, nesting over ``MAX_DEPTH``, alias expansion over ``MAX_NODES``, numbers over
  ``MAX_NUMBER_CHARS`` and unquoted keys that YAML 1.1 and 1.2 read differently (``on:``) are
  errors that stop at once with a located message;
- ``disagreement`` says where YAML 1.1 (PyYAML) and YAML 1.2 (yq, Go, JavaScript) read a plain
  value differently (``yes``, ``017``, ``3_600``, ``1:00:00``, ``0o17``), which validation
  refuses (a config means the same to every tool). A ``%YAML 1.2`` header does not make
  PyYAML read 1.2, so it changes nothing here.

bench/results.md records why this builder was kept over PyYAML's composer and ruamel.yaml.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bedrock_gen.diagnostics import Diagnostic, Location
from bedrock_gen.errors import ConfigError
from bedrock_gen.load.document import Document, PathKey, type_name
from bedrock_gen.load.files import MAX_BYTES, decode, fail, read_limited
from bedrock_gen.printable import quoted

if TYPE_CHECKING:
    import yaml

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "disagreement",
    "load_bytes",
    "load_file",
    "load_text",
]

MAX_DEPTH = 32
MAX_NODES = 50_000

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
MAX_NUMBER_CHARS = 100
# YAML 1.1's booleans that YAML 1.2 reads as strings, in any case (PyYAML leaves out y and n,
# which other YAML 1.1 readers, Go's yaml.v2 among them, take as booleans).
_YAML11_WORDS = {"yes": True, "y": True, "on": True, "no": False, "n": False, "off": False}
_YAML12_BOOL = {"true": True, "True": True, "TRUE": True}
_YAML12_BOOL.update({"false": False, "False": False, "FALSE": False})
_YAML12_NULL = {"null", "Null", "NULL", "~", ""}
_YAML12_INT = re.compile(r"[-+]?[0-9]+")
_YAML12_OCT = re.compile(r"0o[0-7]+")
_YAML12_HEX = re.compile(r"0x[0-9a-fA-F]+")
_YAML12_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_YAML12_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_YAML12_NAN = re.compile(r"\.(nan|NaN|NAN)")


def yaml12_value(raw: str) -> Any:
    """What a YAML 1.2 tool (core schema: yq, Go's yaml.v3, JavaScript's yaml) reads a plain
    scalar as."""
    if raw in _YAML12_NULL:
        return None
    if raw in _YAML12_BOOL:
        return _YAML12_BOOL[raw]
    if _YAML12_INT.fullmatch(raw):
        return int(raw) if len(raw) <= MAX_NUMBER_CHARS else raw
    if _YAML12_OCT.fullmatch(raw):
        return int(raw[2:], 8)
    if _YAML12_HEX.fullmatch(raw):
        return int(raw[2:], 16)
    if _YAML12_FLOAT.fullmatch(raw):
        return float(raw)
    if _YAML12_INF.fullmatch(raw):
        return float("-inf") if raw.startswith("-") else float("inf")
    if _YAML12_NAN.fullmatch(raw):
        return float("nan")
    return raw


def yaml11_value(raw: str) -> Any:
    """What a YAML 1.1 tool (PyYAML, and so bedrock-gen's reader) reads a plain scalar as;
    ``y``/``n`` in any case and ``yes``/``on``... in mixed case as the booleans the YAML 1.1
    type repository names."""
    import yaml

    if raw.lower() in _YAML11_WORDS:
        return _YAML11_WORDS[raw.lower()]
    tag = _resolver().resolve(yaml.ScalarNode, raw, (True, False))
    if tag not in _PLAIN_TAGS or (tag in _NUMBER_TAGS and len(raw) > MAX_NUMBER_CHARS):
        return raw
    try:
        return _constructor().construct_object(yaml.ScalarNode(tag, raw), deep=True)
    except (yaml.YAMLError, ValueError):
        return raw


def describe(value: Any) -> str:
    """A reading, for messages: ``true``, ``the number 15``, ``the string "yes"``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "the number " + {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[str(value)]
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f'the string "{value}"'


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and a != a:
        return bool(b != b)
    return bool(a == b)


def disagreement(raw: str) -> tuple[str, str] | None:
    """(YAML 1.1's reading, YAML 1.2's reading) of a plain scalar when they differ, or None.

    ``yes`` is true to YAML 1.1 and the string "yes" to YAML 1.2; ``017`` is 15 (octal) and
    17; ``3_600`` and ``1:00:00`` are 3600 and strings; ``0o17`` and ``1e3`` are strings and
    numbers. A config must mean the same to every tool that reads it.
    """
    old, new = yaml11_value(raw), yaml12_value(raw)
    if _same(old, new):
        return None
    return describe(old), describe(new)


def ambiguous_plain_scalars(doc: Document) -> list[tuple[PathKey, str, str]]:
    """Values written unquoted that YAML 1.1 and YAML 1.2 tools read differently: each one's
    path, its text and what YAML 1.2 reads (validation refuses them)."""
    out = []
    for path, raw in sorted(doc.raw.items(), key=lambda item: str(item[0])):
        found = disagreement(raw)
        if found is not None:
            out.append((path, raw, found[1]))
    return out


class _LoadFailure(Exception):
    def __init__(self, message: str, location: Location | None, code: str = "yaml-syntax"):
        super().__init__(message)
        self.message = message
        self.location = location
        self.code = code


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _loc(mark: Any) -> Location:
    return Location(mark.line + 1, mark.column + 1)


def load_file(path: str | Path, display_name: str | None = None) -> Document:
    """Read and parse one config file; raise ``ConfigError`` with a located diagnostic.

    The same bytes under the same name are parsed once per process: ``render`` reads a config
    for its quick answer and again for the full path, and a large config must not pay twice.
    A ``Document`` is never changed after it is built, so sharing it is safe.
    """
    name = display_name if display_name is not None else str(path)
    data = read_limited(path, name, "a config file")
    key = (name, data)
    found = _RECENT.get(key)
    if found is None:
        try:
            found = load_bytes(data, name)
        except ConfigError as exc:
            found = exc.diagnostics
        if len(_RECENT) >= 32:  # a pre-commit run's configs; each at most MAX_BYTES
            del _RECENT[next(iter(_RECENT))]
        _RECENT[key] = found
    if isinstance(found, Document):
        return found
    raise ConfigError(list(found))


_RECENT: dict[tuple[str, bytes], Document | list[Diagnostic]] = {}


def load_bytes(data: bytes, file: str) -> Document:
    return load_text(decode(data, file), file)


def load_text(text: str, file: str) -> Document:
    """Parse YAML text into a ``Document``; raise ``ConfigError`` on any problem."""
    bad = _first_forbidden_char(text)
    if bad is not None:
        loc, ch = bad
        raise fail(
            file,
            loc,
            "yaml-syntax",
            f"control character U+{ord(ch):04X} is not allowed in a YAML file",
        )
    try:
        return _Builder(file).build(text)
    except _LoadFailure as exc:
        raise fail(file, exc.location, exc.code, exc.message) from None
    except RecursionError:  # pragma: no cover - the builder does not recurse; belt and braces
        raise fail(file, None, "yaml-too-deep", "YAML nesting is too deep") from None


def _first_forbidden_char(text: str) -> tuple[Location, str] | None:
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r") or o == 0x7F or 0xFFFE <= o <= 0xFFFF:
            if ch == "\ufeff" and i == 0:
                continue
            head = text[:i]
            line = head.count("\n") + 1
            col = i - (head.rfind("\n") + 1) + 1
            return Location(line, col), ch
    return None


class _Frame:
    """A mapping or sequence being built."""

    def __init__(
        self,
        kind: str,
        path: PathKey,
        value: Any,
        anchor: str | None,
        start_index: tuple[int, int, int],
        start_nodes: int,
    ) -> None:
        self.kind = kind  # "map" or "seq"
        self.path = path
        self.value = value
        self.anchor = anchor
        self.start_index = start_index
        self.start_nodes = start_nodes
        self.pending_key: str | None = None
        self.seen: dict[str, Location] = {}
        self.explicit: set[str] = set()
        self.merges: list[tuple[dict[str, Any], PathKey, Location]] = []
        self.merge_next = False


class _Anchor(NamedTuple):
    value: Any
    path: PathKey
    values: list[tuple[PathKey, Location]]
    keys: list[tuple[PathKey, Location]]
    raw: list[tuple[PathKey, str]]
    nodes: int


class _Builder:
    """Folds parser events into values, with an explicit stack and hard limits."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: list[tuple[PathKey, Location]] = []
        self.keys: list[tuple[PathKey, Location]] = []
        self.raw: list[tuple[PathKey, str]] = []
        self.anchors: dict[str, _Anchor] = {}
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.root: Any = None
        self.have_root = False

    def build(self, text: str) -> Document:
        import yaml

        loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loader = loader_cls(text)
        documents = 0
        try:
            while True:
                event = loader.get_event()
                if event is None:
                    break
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise _LoadFailure(
                            "a config holds one YAML document; remove the second '---'",
                            _loc(event.start_mark),
                            "yaml-multiple-documents",
                        )
                elif isinstance(
                    event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
                ):
                    continue
                else:
                    self._event(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or "invalid YAML"
            if exc.context and exc.context not in problem:
                problem = f"{problem} ({exc.context})"
            raise _LoadFailure(
                f"YAML syntax error: {problem}", _loc(mark) if mark else None
            ) from None
        except yaml.YAMLError as exc:
            raise _LoadFailure(f"YAML error: {exc}", None) from None
        finally:
            dispose = getattr(loader, "dispose", None)
            if dispose is not None:
                dispose()
        if not self.have_root or self.root is None:
            raise _LoadFailure(
                "the file is empty; a config needs at least 'version', 'name', 'models' and 'auth'",
                Location(1, 1),
                "config-empty",
            )
        if not isinstance(self.root, dict):
            raise _LoadFailure(
                f"the top level must be a mapping of keys, not {type_name(self.root)}",
                dict(self.values).get((), Location(1, 1)),
                "config-not-mapping",
            )
        return Document(self.file, self.root, dict(self.values), dict(self.keys), dict(self.raw))

    # -- events ------------------------------------------------------------------------------

    def _event(self, event: yaml.Event) -> None:
        import yaml

        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._end_collection()
            return
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.kind == "map" and parent.pending_key is None:
            self._map_key(parent, event)
            return
        path = self._child_path(parent)
        loc = _loc(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            self._alias(parent, path, loc, event.anchor or "")
            return
        self._count(loc)
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event, path, loc)
            self.values.append((path, loc))
            self._remember_scalar_anchor(event.anchor, value, path, loc)
            self._attach(parent, value, loc)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            is_map = isinstance(event, yaml.MappingStartEvent)
            tag = event.tag
            if tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
                raise _LoadFailure(
                    f"YAML tag {_short_tag(tag)} is not allowed in a config; "
                    "a config holds plain values only",
                    loc,
                    "yaml-tag",
                )
            if len(self.stack) >= MAX_DEPTH:
                raise _LoadFailure(
                    f"YAML nesting is deeper than {MAX_DEPTH} levels", loc, "yaml-too-deep"
                )
            self.values.append((path, loc))
            frame = _Frame(
                "map" if is_map else "seq",
                path,
                {} if is_map else [],
                event.anchor,
                (len(self.values) - 1, len(self.keys), len(self.raw)),
                self.nodes,
            )
            self._attach(parent, frame.value, loc, defer=True)
            self.stack.append(frame)
        else:  # pragma: no cover - no other node events exist
            raise _LoadFailure(
                f"unexpected YAML event {type(event).__name__}", _loc(event.start_mark)
            )

    def _count(self, loc: Location, weight: int = 1) -> None:
        self.nodes += weight
        if self.nodes > MAX_NODES:
            raise _LoadFailure(
                f"the file expands to more than {MAX_NODES} YAML nodes (aliases included); "
                "a bedrock-gen config is small",
                loc,
                "yaml-too-large",
            )

    def _child_path(self, parent: _Frame | None) -> PathKey:
        if parent is None:
            return ()
        if parent.kind == "map":
            assert parent.pending_key is not None
            return (*parent.path, parent.pending_key)
        return (*parent.path, len(parent.value))

    def _map_key(self, frame: _Frame, event: yaml.Event) -> None:
        import yaml

        loc = _loc(event.start_mark)
        if not isinstance(event, yaml.ScalarEvent):
            raise _LoadFailure(
                "mapping keys must be plain strings, not collections or aliases", loc, "yaml-key"
            )
        self._count(loc)
        key = event.value
        _no_surrogate(key, loc)
        if event.implicit[0] and event.value == "<<" and event.tag in (None, _MERGE_TAG):
            frame.pending_key = "<<"
            frame.merge_next = True
            return
        if event.implicit[0] and event.tag in (None, "!"):
            found = disagreement(key)
            if found is not None:
                raise _LoadFailure(
                    f"the key {key} is written without quotes: YAML 1.1 reads {found[0]}, "
                    f'YAML 1.2 reads {found[1]}; write "{key}"',
                    loc,
                    "yaml-ambiguous",
                )
        if key in frame.seen:
            first = frame.seen[key]
            raise _LoadFailure(
                f"duplicate key '{key}' (first defined at line {first.line}); "
                "YAML would silently keep only the last one",
                loc,
                "yaml-duplicate-key",
            )
        frame.seen[key] = loc
        frame.explicit.add(key)
        frame.pending_key = key
        self.keys.append(((*frame.path, key), loc))

    def _attach(
        self, parent: _Frame | None, value: Any, loc: Location, defer: bool = False
    ) -> None:
        if parent is None:
            self.root = value
            self.have_root = True
            return
        if parent.kind == "seq":
            parent.value.append(value)
            return
        key = parent.pending_key
        assert key is not None
        if parent.merge_next:
            parent.merge_next = False
            parent.pending_key = None
            if defer:
                # A collection written inline after '<<' is merged when it is complete.
                parent.merges.append((value, (*parent.path, "<<"), loc))
                return
            raise _LoadFailure(
                "a merge key '<<' needs a mapping or a list of mappings", loc, "yaml-merge"
            )
        parent.value[key] = value
        parent.pending_key = None

    def _alias(self, parent: _Frame | None, path: PathKey, loc: Location, name: str) -> None:
        anchor = self.anchors.get(name)
        if anchor is None:
            raise _LoadFailure(
                f"alias *{name} refers to no anchor defined before it", loc, "yaml-alias"
            )
        self._count(loc, anchor.nodes)
        if parent is not None and parent.kind == "map" and parent.merge_next:
            parent.merge_next = False
            parent.pending_key = None
            parent.merges.append((anchor.value, anchor.path, loc))
            self._copy_locations(anchor, (*parent.path,), merge=True)
            return
        self._copy_locations(anchor, path)
        self._attach(parent, anchor.value, loc)

    def _copy_locations(self, anchor: _Anchor, path: PathKey, merge: bool = False) -> None:
        n = len(anchor.path)
        for src, dest in ((anchor.values, self.values), (anchor.keys, self.keys)):
            for p, where in src:
                if merge and len(p) == n:
                    continue
                dest.append(((*path, *p[n:]), where))
        for p, text in anchor.raw:
            self.raw.append(((*path, *p[n:]), text))

    def _scalar(self, event: yaml.ScalarEvent, path: PathKey, loc: Location) -> Any:
        import yaml

        _no_surrogate(event.value, loc)
        tag = event.tag
        if event.implicit[0] and tag in (None, "!"):
            self.raw.append((path, event.value))
            tag = _resolver().resolve(yaml.ScalarNode, event.value, (True, False))
            if tag in _NUMBER_TAGS and len(event.value) > MAX_NUMBER_CHARS:
                raise _LoadFailure(
                    f"a number of {len(event.value):,} characters; a config's numbers have at "
                    f"most {MAX_NUMBER_CHARS}",
                    loc,
                    "yaml-number",
                )
        elif event.implicit[1] or tag in (None, "!"):
            tag = "tag:yaml.org,2002:str"
        if tag not in _PLAIN_TAGS:
            if (
                tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary")
                and event.implicit[0]
            ):
                return event.value  # no key takes a date: keep what was written
            raise _LoadFailure(
                f"YAML tag {_short_tag(tag)} is not allowed in a config; a config "
                "holds plain values only",
                loc,
                "yaml-tag",
            )
        node = yaml.ScalarNode(tag, event.value, None, None, event.style)
        try:
            return _constructor().construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise _LoadFailure(
                f"cannot read {quoted(event.value)} as {tag.rsplit(':', 1)[-1]}: {exc}",
                loc,
                "yaml-tag",
            ) from None

    def _remember_scalar_anchor(
        self, name: str | None, value: Any, path: PathKey, loc: Location
    ) -> None:
        if name is None:
            return
        raw = [(path, self.raw[-1][1])] if self.raw and self.raw[-1][0] == path else []
        self.anchors[name] = _Anchor(value, path, [(path, loc)], [], raw, 1)

    def _end_collection(self) -> None:
        frame = self.stack.pop()
        if frame.kind == "map":
            for merged, _src, where in frame.merges:
                sources = merged if isinstance(merged, list) else [merged]
                for source in sources:
                    if not isinstance(source, dict):
                        raise _LoadFailure(
                            "a merge key '<<' needs a mapping or a list of mappings",
                            where,
                            "yaml-merge",
                        )
                    for k, v in source.items():
                        if k not in frame.value:
                            frame.value[k] = v
        if frame.anchor is not None:
            vi, ki, ri = frame.start_index
            self.anchors[frame.anchor] = _Anchor(
                frame.value,
                frame.path,
                self.values[vi:],
                self.keys[ki:],
                self.raw[ri:],
                self.nodes - frame.start_nodes + 1,
            )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogate(text: str, loc: Location) -> None:
    """libyaml refuses a ``"\\ud800"`` escape; PyYAML's pure-Python reader (used when libyaml
    is missing) makes it a lone surrogate, which no file can hold: refused either way."""
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise _LoadFailure(
            f"a lone UTF-16 surrogate (U+{ord(bad.group()):04X}) is half of a character; "
            "write the character itself",
            loc,
        )


_RESOLVER: Any = None
_CONSTRUCTOR: Any = None


def _resolver() -> Any:
    global _RESOLVER
    if _RESOLVER is None:
        import yaml

        _RESOLVER = yaml.resolver.Resolver()
    return _RESOLVER


def _constructor() -> Any:
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        import yaml

        _CONSTRUCTOR = yaml.constructor.SafeConstructor()
    return _CONSTRUCTOR
