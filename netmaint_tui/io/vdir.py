"""A vdir: a folder with one file per item (.vcf cards, .ics tasks or journal entries), the format
vdirsyncer, khard, khal and todoman share (vdirsyncer's docs: "The Vdir Storage Format").

Listing costs one stat per file, and a file whose size and modification time are as they were at
the last sync is not read again. Files are written whole or not at all: into a temporary file in
the same folder (a name starting with a dot, which vdir readers skip), then renamed over the
old one. They are private (0600): they hold notes about people.

The format asks every program to write that way, so a folder whose own modification time has not
moved since the last run holds the same files as then (`Stamp` says when that can be trusted),
and a run need not look at each of them.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

_SAFE_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,100}")
_LEFTOVER = ".netmaint-"  # in the names of temporary files: `.<name>.netmaint-<pid>.tmp`
# Relative to an open folder where the system allows it: a path is looked up once, not per file.
_AT = os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
# How long after a folder last changed its time can be trusted to move with the next change: a
# file system keeps times in steps of a clock tick (a few milliseconds), so a change made in the
# same tick as the last one would leave the time as it was.
SETTLE_NS = 20_000_000


class FolderProblem(ValueError):
    """A folder that cannot be synced with, in one line."""


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


def collections_inside(folder: Path, extension: str) -> list[str]:
    """The subfolders of a folder that holds no item of its own: vdirsyncer's root (`path =
    "~/.contacts/"`), whose collections are the folders inside, not a vdir itself. Empty when
    the folder is one (it holds items, or nothing at all)."""
    subfolders = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.name.endswith(extension):
                return []
            if entry.is_dir():
                subfolders.append(entry.name)
    return sorted(subfolders)


def etag_of(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def folder_time(folder: Path) -> int:
    """The folder's own modification time (ns): it moves whenever a file is added, removed or
    renamed in it."""
    return os.stat(folder).st_mtime_ns


@dataclass
class Listing:
    etags: dict[str, str]  # the item files (the extension, no dot first) by name: their etag
    inodes: dict[str, int]  # every entry of the folder by name: its inode (see `unchanged_since`)


def list_items(folder: Path, extension: str, clean: bool = False) -> Listing:
    """The folder's item files by name, with one stat each; hidden and temporary files, and other
    endings, left out. `clean` removes the temporary files of a write killed before its rename."""
    etags: dict[str, str] = {}
    inodes: dict[str, int] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                if clean and _LEFTOVER in name and name.endswith(".tmp"):
                    try:
                        os.unlink(entry.path)
                        continue
                    except OSError:
                        pass
                inodes[name] = entry.inode()
                continue
            inodes[name] = entry.inode()
            if not name.endswith(extension):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:  # removed meanwhile: as if never listed
                continue
            etags[name] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return Listing(etags, inodes)


def entries(folder: Path) -> dict[str, int]:
    """Every entry of the folder by name, with its inode: no stat, one read of the folder."""
    with os.scandir(folder) as found:
        return {entry.name: entry.inode() for entry in found}


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_item(folder: Path, href: str) -> tuple[bytes, str]:
    """The file's bytes and its etag as read (OSError when it went away)."""
    with open(folder / href, "rb") as f:
        data = f.read()
        return data, etag_of(os.fstat(f.fileno()))


def safe_name(uid: str) -> bool:
    """Whether the UID makes a file's name as it is."""
    return _SAFE_NAME.fullmatch(uid) is not None and not uid.startswith(".")


def item_name(uid: str, extension: str, taken) -> str:
    """A new file's name: the UID when it makes a safe one (as vdirsyncer names files), otherwise
    a hash of it; never a name `taken` already holds."""
    base = uid if safe_name(uid) else content_hash(uid.encode("utf-8"))
    name, n = base + extension, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{extension}"
    return name


class Writer:
    """Writes and removes the files of one folder. A first sync writes one file for each of
    300,000 touches, so each write is the fewest calls the system allows: the temporary file is
    made relative to the open folder, and its etag is taken from the written file itself (which
    also keeps a file someone else renamed over it meanwhile from passing for ours).

    `submit` and `drop` hand the work to a thread of its own, in order: the system's time spent
    making files (most of a first sync's) then overlaps with the next items being made ready."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY) if _AT else None
        self.suffix = f"{_LEFTOVER}{os.getpid()}.tmp"
        self._thread: ThreadPoolExecutor | None = None

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _later(self, work, *args) -> Future:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netmaint-vdir")
        return self._thread.submit(work, *args)

    def submit(self, href: str, data: bytes, expected_etag: str | None = None) -> Future:
        """Write the file on the writing thread; the future gives its etag and inode, or None
        when the file is no longer the one with `expected_etag` (someone changed it meanwhile)."""
        return self._later(self._write_if, href, data, expected_etag)

    def drop(self, href: str) -> Future:
        return self._later(self.remove, href)

    def _write_if(self, href: str, data: bytes, expected_etag: str | None) -> tuple[str, int] | None:
        if expected_etag is not None and self.etag(href) != expected_etag:
            return None
        return self.write(href, data)

    def _path(self, name: str):
        return name if self.fd is not None else str(self.folder / name)

    def write(self, href: str, data: bytes) -> tuple[str, int]:
        """Write the file atomically and privately; its new etag and inode."""
        temp = self._path(f".{href}{self.suffix}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600, dir_fd=self.fd)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                stat = os.fstat(fd)
            finally:
                os.close(fd)
            os.replace(temp, self._path(href), src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            try:
                os.unlink(temp, dir_fd=self.fd)
            except OSError:
                pass
            raise
        return f"{stat.st_size}:{stat.st_mtime_ns}", stat.st_ino

    def etag(self, href: str) -> str | None:
        try:
            return etag_of(os.stat(self._path(href), dir_fd=self.fd))
        except FileNotFoundError:
            return None

    def exists(self, href: str) -> bool:
        return self.etag(href) is not None

    def remove(self, href: str) -> None:
        try:
            os.unlink(self._path(href), dir_fd=self.fd)
        except FileNotFoundError:
            pass


LOCK_NAME = ".netmaint-sync.lock"  # hidden: vdirsyncer, khard and todoman read only their own endings


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder for one netmaint run: two runs at once (cron and the app, or two
    databases given one folder) would each write what they read before the other's change.
    FolderProblem when another run holds it. The lock file stays (made once, it leaves the
    folder's time as it was for the next run); the system lets the lock go when the process ends,
    also when it is killed."""
    try:
        import fcntl  # lazy: not on Windows, where a run is not kept from another
    except ImportError:
        yield
        return
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderProblem(f"another netmaint is syncing {folder} now; run netmaint sync again when it "
                                "has finished") from None
        yield
    finally:
        os.close(fd)


def write_item(folder: Path, href: str, data: bytes) -> str:
    """Write one file atomically and privately; its new etag."""
    writer = Writer(folder)
    try:
        return writer.write(href, data)[0]
    finally:
        writer.close()


def remove_item(folder: Path, href: str) -> None:
    try:
        os.unlink(folder / href)
    except FileNotFoundError:
        pass


def unchanged_since(folder: Path, expected: dict[str, int]) -> int | None:
    """The folder's time, when its entries are exactly `expected` (name: inode) and that time
    will move with the next change made to it; otherwise None. A file replaced by a rename has a
    new inode, so a file changed the way the vdir format asks is seen too."""
    before = os.stat(folder).st_mtime_ns
    if before % 1_000_000_000 == 0:
        return None  # times in whole seconds (FAT, old HFS+): a change within the second is not seen
    wait = before + SETTLE_NS - time.time_ns()
    if wait > 0:
        time.sleep(wait / 1e9)  # at most SETTLE_NS: a change from now on moves the folder's time
    if entries(folder) != expected:
        return None
    return before if os.stat(folder).st_mtime_ns == before else None
