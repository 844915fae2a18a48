"""Read one JSON document from a file that someone else wrote, without trusting the file.

Result files, audits, stack outputs and previous reports come from collectors, Packer downloads or a
user's path. Whatever is there must end in a document or in one line saying why not: a FIFO or a
device must not block the reader, a huge file must not be read whole, nesting deep enough to exhaust
the parser's stack must not crash it, and bytes that are not UTF-8 must not escape as a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

# Far above any real result (a level-2 audit is ~100 KB, Inspector findings of a node group a few MB).
MAX_BYTES = 32 * 1024 * 1024


class JsonFileError(ValueError):
    """The file cannot give a JSON document; the message names the file and the reason."""


def read_json(path: Path | str, limit: int = MAX_BYTES) -> Any:
    """The parsed document. Raises FileNotFoundError when nothing is at `path`, JsonFileError otherwise."""
    path = Path(path)
    text = read_text(path, limit)
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonFileError(f"{path}: JSON nested too deeply to read") from None
    except json.JSONDecodeError as error:
        raise JsonFileError(f"{path} is not JSON: {error}") from None


def read_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes (FileNotFoundError, or JsonFileError)."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise JsonFileError(f"{path}: cannot be read: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise JsonFileError(f"{path} is a symbolic link (to {os.readlink(path)}); it must be a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise JsonFileError(f"{path} is {_kind(info.st_mode)}, not a regular file")
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it must not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise JsonFileError(f"{path} is a symbolic link; it must be a regular file") from None
        raise JsonFileError(f"{path}: cannot be read: {error.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise JsonFileError(f"{path} is {_kind(opened.st_mode)}, not a regular file")
        if opened.st_size > limit:
            raise JsonFileError(f"{path} is {opened.st_size} bytes; the limit is {limit} bytes")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise JsonFileError(f"{path} is larger than the limit of {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonFileError(f"{path} is not UTF-8 text (byte {error.start}: {data[error.start:error.start + 1]!r})") \
            from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
