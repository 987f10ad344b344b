"""Reading input files: regular files only, bounded in size, decoded as YAML 1.2 allows."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from bedrock_gen.diagnostics import Location, error
from bedrock_gen.errors import ConfigError

MAX_BYTES = 1024 * 1024


def fail(file: str, loc: Location | None, code: str, message: str) -> ConfigError:
    return ConfigError([error(code, message, file, loc)])


# What POSIX systems allow (NAME_MAX and PATH_MAX on Linux; macOS allows less in total).
NAME_MAX_BYTES = 255
PATH_MAX_BYTES = 4096


def path_problem(path: str) -> str | None:
    """Why the operating system cannot take ``path`` as a file name (a NUL byte, a name it
    cannot encode, a component or the whole too long), or None. Checked before any call that
    would raise ``ValueError`` or ``UnicodeEncodeError`` for it."""
    if "\x00" in path:
        return "the path holds a NUL byte, which no file name can hold"
    try:
        encoded = os.fsencode(path)
    except UnicodeError:
        import sys

        return (
            f"the path cannot be written in this system's file-name encoding "
            f"({sys.getfilesystemencoding()}); use a UTF-8 locale (LC_ALL=C.UTF-8) or set "
            "PYTHONUTF8=1"
        )
    if len(encoded) > PATH_MAX_BYTES:
        return f"the path is {len(encoded):,} bytes long; the limit is {PATH_MAX_BYTES:,}"
    for part in encoded.split(b"/"):
        if len(part) > NAME_MAX_BYTES:
            return (
                f"a folder or file name in the path is {len(part):,} bytes long; the limit "
                f"is {NAME_MAX_BYTES}"
            )
    return None


def read_limited(path: str | Path, name: str, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``ConfigError``.

    Not a FIFO, device or directory: reading those would block or never end.
    """
    problem = path_problem(str(path))
    if problem is not None:
        raise fail(name, None, "file-unreadable", f"cannot read: {problem}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise fail(name, None, "file-unreadable", "no such file") from None
    except IsADirectoryError:
        raise fail(name, None, "file-unreadable", f"is a directory, not {what}") from None
    except OSError as exc:
        raise fail(name, None, "file-unreadable", f"cannot read: {exc.strerror or exc}") from None
    too_large = f"file is larger than {limit // 1024} KiB; {what} is much smaller"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail(name, None, "file-unreadable", f"is a directory, not {what}")
        if not stat.S_ISREG(info.st_mode):
            raise fail(name, None, "file-unreadable", f"is a FIFO, device or socket, not {what}")
        if info.st_size > limit:
            raise fail(name, None, "file-too-large", too_large)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise fail(name, None, "file-unreadable", f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise fail(name, None, "file-too-large", too_large)
    return data


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16/32, as YAML 1.2 allows; nothing else."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise fail(
                    file, None, "file-encoding", f"not valid {enc.upper()}: {exc.reason}"
                ) from None
    if len(data) >= 4 and (
        data[1::2].count(0) > len(data) // 4 or data[0::2].count(0) > len(data) // 4
    ):
        raise fail(
            file,
            None,
            "file-encoding",
            "the file looks like UTF-16 without a byte-order mark; save it as UTF-8",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = exc.start - (head.rfind(b"\n") + 1) + 1
        raise fail(
            file,
            Location(line, col),
            "file-encoding",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        ) from None


def read_text(path: str | Path, name: str, what: str, limit: int = MAX_BYTES) -> str:
    return decode(read_limited(path, name, what, limit), name)
