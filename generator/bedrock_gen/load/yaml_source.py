"""Safe YAML loading that keeps the line and column of every node.

Why not ``yaml.safe_load``: it forgets where values came from, silently keeps the last of two
duplicate keys, expands aliases without bound ("billion laughs") and recurses once per nesting
level. Here the parser's *events* are folded into plain Python values by an explicit stack, so:

- every value and every mapping key has a 1-based ``Location`` (``Document.values``/``keys``);
- the source text of each plain scalar is kept (``Document.raw``), so validation can say what
  YAML did to it (``account_id: 012345670123`` is an octal number, not an account);
- duplicate keys, tags other than the plain JSON-like ones, several documents, files over
  ``MAX_BYTES``, nesting over ``MAX_DEPTH`` and alias expansion over ``MAX_NODES`` are errors
  that stop at once with a located message.

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

if TYPE_CHECKING:
    import yaml

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "load_bytes",
    "load_file",
    "load_text",
    "yaml12_reading",
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

# YAML 1.2's core schema, which most tools other than PyYAML use (yq, Go and JS parsers).
_YAML12_NUMBER = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_YAML12_OTHER = {
    "true": "a boolean",
    "True": "a boolean",
    "TRUE": "a boolean",
    "false": "a boolean",
    "False": "a boolean",
    "FALSE": "a boolean",
    "null": "null",
    "Null": "null",
    "NULL": "null",
    "~": "null",
}


def yaml12_reading(raw: str) -> str | None:
    """What a YAML 1.2 tool reads an unquoted scalar as, when that is not a string.

    PyYAML implements YAML 1.1, where ``012345678901`` (not octal: it has an 8) is a string;
    YAML 1.2 tools read it as the number 12345678901. A config must mean the same to both.
    """
    if _YAML12_NUMBER.fullmatch(raw):
        return "a number"
    return _YAML12_OTHER.get(raw)


def ambiguous_plain_scalars(doc: Document) -> list[tuple[PathKey, str, str]]:
    """String values written unquoted that a YAML 1.2 tool reads otherwise: each one's path,
    its text and what YAML 1.2 reads (validation refuses them; the render digest records them).
    """
    out = []
    for path, raw in doc.raw.items():
        value: Any = doc.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                value = None
                break
        if isinstance(value, str):
            reading = yaml12_reading(raw)
            if reading is not None:
                out.append((path, raw, reading))
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
        if event.implicit[0] and event.value == "<<" and event.tag in (None, _MERGE_TAG):
            frame.pending_key = "<<"
            frame.merge_next = True
            return
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

        tag = event.tag
        if event.implicit[0] and tag in (None, "!"):
            self.raw.append((path, event.value))
            tag = _resolver().resolve(yaml.ScalarNode, event.value, (True, False))
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
                f"cannot read {event.value!r} as {tag.rsplit(':', 1)[-1]}: {exc}", loc, "yaml-tag"
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
