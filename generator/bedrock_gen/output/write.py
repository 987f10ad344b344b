"""Writing generated files all-or-nothing, or comparing them (``--check``/``--diff``).

The rules a user can rely on:

- Only files the manifest lists are ever replaced or removed; a symlink, a FIFO or anything
  else that is not a regular file stops the render before anything is written, and so does a
  file bedrock-gen did not generate where it would write (``--adopt`` takes over the files a
  lost manifest used to list, after saying which). Files under the output folder that the render
  does not write are reported: ``--check`` fails on them, a write warns (a ``backdoor.tf``
  beside the module would be applied with it).
- A generated file edited by hand (its bytes no longer match the manifest) is reported as such
  and not replaced unless ``--force`` says so.
- A render is all-or-nothing. Every new file is staged completely beside its target (and every
  folder that loses a file is tried for writing) before anything is changed; a failure there
  removes what was staged and changes nothing. Then a journal (``.bedrock-gen-journal.json``)
  records the renames and removals that make the new set, and they are applied, the manifest
  last. A render killed at any instant leaves either the old complete set (plus staged files the
  next render removes) or a journal the next render rolls forward before it does anything else,
  so running the same render again always finishes the job. ``--check`` judges the files as they
  are and names an interrupted render as such.
- Staged files are not fsync'ed: a kill or Ctrl-C cannot lose written data, and after a power
  loss the next render compares every byte and writes what differs (every output is a function
  of the config). bench/results.md has the measurement behind this.
- Renders into one folder are serialised with a lock on the folder.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from bedrock_gen.diagnostics import error
from bedrock_gen.errors import BedrockGenError, OutputError
from bedrock_gen.output.manifest import (
    MANIFEST,
    Manifest,
    digest,
    fail,
    read,
    regular_bytes,
    safe_relative,
)
from bedrock_gen.printable import quoted
from bedrock_gen.working_files import WORKING_DIRS, WORKING_FILES

TMP_MARK = ".bedrock-gen-tmp-"
JOURNAL = ".bedrock-gen-journal.json"
MAX_ENTRIES = 10_000  # an output folder holds tens of files; more means a wrong output_dir
FREE_MARGIN = 1 << 20  # bytes left free after staging, for the journal and the file system


class Action(enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    REMOVE = "remove"
    UNCHANGED = "unchanged"
    ADOPT = "adopt"  # an existing file taken over (its bytes already right) by --adopt
    EXTRA = "extra"  # under the output folder, not written by bedrock-gen; never touched
    INTERRUPTED = "interrupted"  # a killed render's journal or staged file


class Change(NamedTuple):
    path: str  # relative to the output folder, with '/'
    action: Action
    old: bytes | None
    new: bytes | None
    edited: bool = False  # the file differs from what bedrock-gen last wrote

    @property
    def drifted(self) -> bool:
        return self.action not in (Action.UNCHANGED, Action.ADOPT)


class Plan(NamedTuple):
    changes: list[Change]
    previous: Manifest | None

    @property
    def edited(self) -> list[Change]:
        return [c for c in self.changes if c.edited]

    @property
    def extra(self) -> list[str]:
        return [c.path for c in self.changes if c.action is Action.EXTRA]


def _is_staged(name: str) -> bool:
    return TMP_MARK in name


def _check_parents(out_dir: Path, rel: str) -> None:
    parent = out_dir
    for part in rel.split("/")[:-1]:
        parent = parent / part
        if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
            raise fail(
                out_dir,
                f"{parent.relative_to(out_dir).as_posix()} is a symlink or not a "
                "directory; refusing to write through it",
            )


def present(out_dir: Path) -> dict[str, str]:
    """Every entry under ``out_dir`` that is not a folder, by relative path, with its kind
    (``file``, ``symlink``, ``other``); Terraform's working files left out. Symlinked folders
    are entries, never entered."""
    found: dict[str, str] = {}
    pending = [(out_dir, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            raise fail(out_dir, f"cannot list {prefix or '.'}: {exc.strerror or exc}") from None
        for entry in listed:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in WORKING_DIRS:
                    pending.append((Path(entry.path), rel + "/"))
                continue
            if entry.name in WORKING_FILES:
                continue
            if entry.is_symlink():
                found[rel] = "symlink"
            elif entry.is_file(follow_symlinks=False):
                found[rel] = "file"
            else:
                found[rel] = "other"
            if len(found) > MAX_ENTRIES:
                raise fail(
                    out_dir,
                    f"more than {MAX_ENTRIES:,} files under the output folder; is output_dir "
                    "right? bedrock-gen writes a few dozen",
                )
    return found


def _read_generated(out_dir: Path, rel: str) -> bytes:
    data = regular_bytes(out_dir / rel)
    if data is None:
        raise fail(out_dir, f"cannot read {rel}: not a readable regular file")
    return data


def plan(
    out_dir: Path, files: Mapping[str, bytes], manifest: Manifest, adopt: bool = False
) -> Plan:
    """What writing ``files`` and ``manifest`` into ``out_dir`` would change, judged from the
    files themselves; files the render would not write are ``EXTRA``, a killed render's journal
    and staged files ``INTERRUPTED``.

    Raises ``OutputError`` when it would touch anything bedrock-gen did not generate.
    """
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise fail(out_dir, "the output path exists and is not a directory")
    wanted = dict(files)
    wanted[MANIFEST] = manifest.dumps()
    previous = read(out_dir) if out_dir.is_dir() else None
    if (
        previous is not None
        and previous.config is not None
        and manifest.config is not None
        and previous.config != manifest.config
    ):
        raise fail(
            out_dir,
            f"this output directory belongs to another config "
            f"({previous.config}); two configs must not share an output_dir (if that "
            f"config is gone, remove {MANIFEST} and run 'bedrock-gen render --adopt')",
        )
    known = dict(previous.files) if previous is not None else {}
    for rel in known:
        if not safe_relative(rel):
            raise fail(
                out_dir, f"{MANIFEST} names an unsafe path {quoted(rel)}; remove the manifest"
            )
    on_disk = present(out_dir) if out_dir.is_dir() else {}
    changes: list[Change] = []
    for rel in sorted(set(wanted) | set(known) | set(on_disk)):
        kind = on_disk.get(rel)
        if rel not in wanted and rel not in known:
            interrupted = rel == JOURNAL or _is_staged(rel.rsplit("/", 1)[-1])
            action = Action.INTERRUPTED if interrupted else Action.EXTRA
            changes.append(Change(rel, action, None, None))
            continue
        _check_parents(out_dir, rel)
        if kind is not None and kind != "file":
            what = "a symlink" if kind == "symlink" else "not a regular file"
            raise fail(out_dir, f"{rel} is {what}; refusing to write through it")
        old: bytes | None = None
        adopted = False
        if kind is not None:
            if rel != MANIFEST and rel not in known:
                if not adopt or previous is not None or rel not in wanted:
                    hint = (
                        "; 'bedrock-gen render --adopt' takes over files a lost manifest listed"
                        if previous is None
                        else ""
                    )
                    raise fail(
                        out_dir,
                        f"{rel} exists but was not generated by bedrock-gen "
                        f"(it is not in {MANIFEST}); move it away, or choose another "
                        f"output_dir{hint}",
                    )
                adopted = True
            old = _read_generated(out_dir, rel)
        new = wanted.get(rel)
        edited = old is not None and rel in known and digest(old) != known[rel] and old != new
        if new is None:
            if old is not None:
                changes.append(Change(rel, Action.REMOVE, old, None, edited))
        elif old is None:
            changes.append(Change(rel, Action.CREATE, None, new))
        elif old != new:
            changes.append(Change(rel, Action.UPDATE, old, new, edited))
        else:
            changes.append(Change(rel, Action.ADOPT if adopted else Action.UNCHANGED, old, new))
    return Plan(changes, previous)


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output directory (POSIX; a no-op elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def usable(out_dir: Path) -> bool:
    """Whether a render may write here: it reads (to lock and list), writes and enters it."""
    return os.access(out_dir, os.R_OK | os.W_OK | os.X_OK)


def _token() -> str:
    return os.urandom(4).hex()


def _stage_bytes(target: Path, data: bytes) -> Path:
    """``data`` complete in a new file beside ``target`` (never an existing one)."""
    tmp = target.parent / f".{target.name}{TMP_MARK}{_token()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


def write_atomic(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` in one rename; never a half-written file, and never
    through anything but a regular file or a missing path (a FIFO, a device node such as
    /dev/null, a folder or a symlink is refused)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(
            [error("output-unsafe", f"cannot use {target}: {exc.strerror}", str(target))]
        ) from None
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(
            [
                error(
                    "output-unsafe",
                    f"{target} exists and is not a regular file; refusing to replace it",
                    str(target),
                )
            ]
        )
    try:
        tmp = _stage_bytes(target, data)
    except OSError as exc:
        raise OutputError(
            [error("output-unsafe", f"cannot write {target}: {exc.strerror}", str(target))]
        ) from None
    try:
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(
                [error("output-unsafe", f"cannot write {target}: {exc.strerror}", str(target))]
            ) from None
        raise


# -- the journal ---------------------------------------------------------------------------


class _Journal(NamedTuple):
    renames: list[tuple[str, str, str]]  # staged file, target, sha256 of its bytes
    removes: list[str]

    def dumps(self) -> bytes:
        body = {
            "note": "A render in progress: 'bedrock-gen render' finishes it.",
            "renames": [list(r) for r in self.renames],
            "removes": self.removes,
        }
        return (json.dumps(body, indent=2) + "\n").encode()


def _read_journal(out_dir: Path) -> _Journal | None:
    path = out_dir / JOURNAL
    if not os.path.lexists(path):
        return None
    from bedrock_gen.load.json_source import parse_bytes

    raw = regular_bytes(path, 4 << 20)
    try:
        if raw is None:
            raise ValueError
        data = parse_bytes(raw, str(path))
        renames = [(str(a), str(b), str(c)) for a, b, c in data["renames"]]
        removes = [str(r) for r in data["removes"]]
        paths = [p for r in renames for p in r[:2]] + removes
        if not all(safe_relative(p) for p in paths):
            raise ValueError
    except (ValueError, KeyError, TypeError, BedrockGenError):
        raise fail(
            out_dir,
            f"{JOURNAL} (left by an interrupted render) is not readable; remove it and "
            "run 'bedrock-gen render' again",
        ) from None
    return _Journal(renames, removes)


def _apply(out_dir: Path, journal: _Journal, done: list[str] | None = None) -> None:
    """Make the journal's new set; safe to repeat (a rename already done is skipped).
    ``done`` collects the targets renamed into place, for the message when one fails."""
    for staged, target, _ in journal.renames:
        with contextlib.suppress(FileNotFoundError):
            os.replace(out_dir / staged, out_dir / target)
            if done is not None:
                done.append(target)
    for rel in journal.removes:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / rel).unlink()
        _prune_empty(out_dir, (out_dir / rel).parent)
    (out_dir / JOURNAL).unlink()


def recover(out_dir: Path) -> bool:
    """Finish what a killed render started (its journal), else remove what it staged.
    Returns whether a journal was rolled forward. Call with the folder locked."""
    journal = _read_journal(out_dir)
    if journal is not None:
        for staged, target, want in journal.renames:
            path = out_dir / staged
            if path.exists() and digest(_read_generated(out_dir, staged)) != want:
                raise fail(
                    out_dir,
                    f"{staged} (staged by an interrupted render for {target}) was changed "
                    f"since; remove {JOURNAL} and the staged files, then render again",
                )
        try:
            _apply(out_dir, journal)
        except OSError as exc:
            raise fail(
                out_dir,
                f"cannot finish the interrupted render recorded in {JOURNAL}: "
                f"{exc.filename or ''} {exc.strerror}".strip(),
            ) from None
        return True
    for rel, kind in present(out_dir).items():
        if _is_staged(rel.rsplit("/", 1)[-1]) and kind == "file":
            with contextlib.suppress(OSError):
                (out_dir / rel).unlink()
    return False


# -- writing -------------------------------------------------------------------------------


class _Staging:
    """Everything a render writes, staged beside its targets; undone completely on failure."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.created: list[Path] = []  # folders this render made, deepest last
        self.staged: list[tuple[Path, str, str]] = []  # staged file, target rel, sha256
        self.probes: list[Path] = []

    def folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.created.append(path)

    def probe(self, rel: str) -> None:
        """Prove ``rel`` can be removed: a file can be made and removed in its folder."""
        try:
            self.probes.append(_stage_bytes((self.out_dir / rel).parent / "probe", b""))
            os.unlink(self.probes[-1])
        except OSError as exc:
            raise fail(
                self.out_dir, f"cannot remove {rel}: {exc.strerror}; nothing written"
            ) from None
        self.probes.pop()

    def file(self, rel: str, data: bytes) -> None:
        target = self.out_dir / rel
        try:
            self.folder(target.parent)
            tmp = _stage_bytes(target, data)
        except OSError as exc:
            raise fail(
                self.out_dir, f"cannot write {rel}: {exc.strerror}; nothing written"
            ) from None
        self.staged.append((tmp, rel, digest(data)))

    def undo(self) -> None:
        for tmp in [*self.probes, *(s[0] for s in self.staged)]:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(self.created):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _free_space(out_dir: Path, needed: int) -> None:
    try:
        fs = os.statvfs(out_dir)
    except (OSError, AttributeError):
        return  # not measurable here: staging itself will fail cleanly when full
    free = fs.f_bavail * fs.f_frsize
    if free < needed + FREE_MARGIN:
        raise fail(
            out_dir,
            f"not enough free space: the render needs {needed:,} bytes, {free:,} are free; "
            "nothing written",
        )


def write(
    out_dir: Path,
    files: Mapping[str, bytes],
    manifest: Manifest,
    adopt: bool = False,
    force: bool = False,
) -> Plan:
    """Write ``files`` into ``out_dir`` under the rules above; return what changed."""
    made_root = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(out_dir, f"cannot create the output directory: {exc.strerror}") from None
    try:
        return _write_locked(out_dir, files, manifest, adopt, force)
    except BaseException:
        if made_root:  # a render that wrote nothing leaves no folder behind
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise


def _write_locked(
    out_dir: Path, files: Mapping[str, bytes], manifest: Manifest, adopt: bool, force: bool
) -> Plan:
    if not usable(out_dir):
        raise fail(out_dir, "the output directory is not readable and writable; nothing written")
    with locked(out_dir):
        recover(out_dir)
        result = plan(out_dir, files, manifest, adopt)
        if result.edited and not force:
            names = ", ".join(c.path for c in result.edited)
            raise fail(
                out_dir,
                f"edited by hand since bedrock-gen wrote them: {names}; change "
                "the config instead ('bedrock-gen render --diff' shows the edits; "
                "'render --force' replaces them); nothing written",
            )
        writes = [c for c in result.changes if c.action in (Action.CREATE, Action.UPDATE)]
        writes.sort(key=lambda c: c.path == MANIFEST)  # the manifest last
        removes = [c.path for c in result.changes if c.action is Action.REMOVE]
        if not writes and not removes:
            return result
        _free_space(out_dir, sum(len(c.new or b"") for c in writes))
        staging = _Staging(out_dir)
        try:
            for change in writes:
                assert change.new is not None
                staging.file(change.path, change.new)
            probed: set[Path] = set()
            for rel in removes:
                if (out_dir / rel).parent not in probed:
                    probed.add((out_dir / rel).parent)
                    staging.probe(rel)
            journal = _Journal(
                [(tmp.relative_to(out_dir).as_posix(), rel, h) for tmp, rel, h in staging.staged],
                removes,
            )
            staging.file(JOURNAL, journal.dumps())
            # The commit point: once the journal has its name, the new set is decided and
            # nothing staged may be undone.
            os.replace(staging.staged[-1][0], out_dir / JOURNAL)
        except OSError as exc:
            staging.undo()
            raise fail(
                out_dir, f"cannot commit the render: {exc.strerror}; nothing written"
            ) from None
        except BaseException:
            if not os.path.lexists(out_dir / JOURNAL):  # interrupted before the commit
                staging.undo()
            raise
        done: list[str] = []
        try:
            _apply(out_dir, journal, done)
        except OSError as exc:
            written = ", ".join(done) if done else "none"
            raise fail(
                out_dir,
                f"the render stopped while moving its files into place ({exc.strerror}): "
                f"written {written}; {JOURNAL} records the rest: run the same render again "
                "to finish it",
            ) from None
    return result


def _prune_empty(root: Path, folder: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def unified_diff(change: Change) -> str:
    def lines(data: bytes | None) -> list[str]:
        return data.decode("utf-8", "replace").splitlines(keepends=True) if data else []

    old_name = f"a/{change.path}" if change.old is not None else "/dev/null"
    new_name = f"b/{change.path}" if change.new is not None else "/dev/null"
    import difflib

    text = "".join(difflib.unified_diff(lines(change.old), lines(change.new), old_name, new_name))
    return text if text.endswith("\n") or not text else text + "\n"
