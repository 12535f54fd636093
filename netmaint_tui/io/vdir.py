"""A vdir: a folder with one file per item (.vcf cards, .ics tasks or journal entries), the format
vdirsyncer, khard, khal and todoman share (vdirsyncer's docs: "The Vdir Storage Format").

Listing costs one stat per file, and a file whose size and modification time are as they were at
the last sync is not read again. Files are written whole or not at all: into a temporary file in
the same folder (a name starting with a dot, which vdir readers skip), then renamed over the
old one. They are private (0600): they hold notes about people.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

_SAFE_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,100}")


class FolderProblem(ValueError):
    """A folder that cannot be synced with, in one line."""


@dataclass(frozen=True)
class Entry:
    href: str  # the file's name in the folder
    etag: str  # size and modification time: a change of either means the file may have changed


def check_folder(path: Path, what: str) -> Path:
    """The folder, resolved; FolderProblem when it is missing, not a folder, or not writable."""
    shown = str(path)
    if not path.exists():
        raise FolderProblem(f"the {what} folder {shown} does not exist; create it (vdirsyncer discover does) "
                            "or correct the path")
    if not path.is_dir():
        raise FolderProblem(f"the {what} folder {shown} is not a folder")
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise FolderProblem(f"the {what} folder {shown} cannot be read and written by you")
    return path.resolve()


def etag_of(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def list_items(folder: Path, extension: str) -> dict[str, Entry]:
    """The folder's item files by name; hidden and temporary files, and other endings, left out."""
    found: dict[str, Entry] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") or not name.endswith(extension):
                continue
            try:
                if not entry.is_file():
                    continue
                found[name] = Entry(name, etag_of(entry.stat()))
            except OSError:  # removed meanwhile: as if never listed
                continue
    return found


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_item(folder: Path, href: str) -> tuple[bytes, str]:
    """The file's bytes and its etag as read (OSError when it went away)."""
    with open(folder / href, "rb") as f:
        data = f.read()
        return data, etag_of(os.fstat(f.fileno()))


def item_name(uid: str, extension: str, taken) -> str:
    """A new file's name: the UID when it makes a safe one (as vdirsyncer names files), otherwise
    a hash of it; never a name `taken` already holds."""
    base = uid if _SAFE_NAME.fullmatch(uid) and not uid.startswith(".") else content_hash(uid.encode("utf-8"))
    name, n = base + extension, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{extension}"
    return name


def write_item(folder: Path, href: str, data: bytes) -> str:
    """Write the file atomically and privately; its new etag."""
    target = folder / href
    temp = folder / f".{href}.netmaint-{os.getpid()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return etag_of(os.stat(target))


def remove_item(folder: Path, href: str) -> None:
    try:
        os.unlink(folder / href)
    except FileNotFoundError:
        pass


def remove_leftovers(folder: Path) -> None:
    """Temporary files of a write that was killed before its rename."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and ".netmaint-" in entry.name and entry.name.endswith(".tmp"):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
