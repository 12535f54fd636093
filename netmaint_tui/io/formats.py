"""Every file format netmaint reads or writes, declared once: the registry.

An entry says what the format is called on the command line and in sentences, how the app's
import screen lists it, which file names suggest it, how to tell it from its first bytes, how to
read it and how to write it, and which contact fields an import of it may overwrite. The command
line (choices, help, the wrong-format line), the import screen (its list and its guess), the
import pipeline (services.import_file) and the export rendering (services.export_file) all read
it, so a new format is its module, its entry here and its tests.

Each entry is of one kind, what the file holds: people (CONTACTS: read, each record becomes or
updates a contact; written, one row each), netmaint's own export (DOCUMENT: contacts with their
touches, follow-ups, goals and pauses), what is coming up (CALENDAR: open follow-ups and the
contacts falling due, written only), or the touches the user already made (CAPTURE: a calendar's
meetings and a mailbox's sent mail, read by services.capture). A capture reads a path, not bytes:
a calendar may be a zip or a folder of .ics files, a mailbox a Maildir folder; its `locator` says
what the path holds, and `netmaint capture NAME` reads it.

Recognizers say yes only to what is clearly their own format: a vCard file begins with
BEGIN:VCARD, a netmaint export says `format: netmaint`, and the CSV exports are known by their
header line. An import asks them before anything is read into the database, so a file given as
the wrong kind is refused with the name of the right one instead of being imported as something
it is not.
"""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

CONTACTS = "contacts"  # read into records.ParseResult; written from export dicts
DOCUMENT = "document"  # read into, and written from, the document dict (json_io)
CALENDAR = "calendar"  # written from open follow-ups and the contacts falling due
CAPTURE = "capture"  # read by services.capture for the touches it records (paths: files and folders)


class FormatError(ValueError):
    """The file cannot be read as the format it was given as; `line` is 1-based, or 0 for none."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class DocumentError(FormatError):
    """The file is not a netmaint export this version can read."""


class NotThisFormat(FormatError):
    """Nothing of the format given is in the file (no vCard in it, no header line)."""


class WrongFormat(FormatError):
    """The file is clearly of another format than the one it was given as; `found` names it."""

    def __init__(self, given: str, found: str):
        super().__init__(0, f"it looks like a {file_format(found).label}, not a {file_format(given).label}")
        self.given = given
        self.found = found


# Every recognizer reads no further than this: the header of a CSV export is within its first
# lines, and the other formats say what they are in their first one.
HEAD_BYTES = 1 << 16


class ImportSource:
    """A file given to an import: its first bytes (`head`), which are all a recognizer reads, and
    the whole of it, which a reader takes whole (`read`) or as a stream (`open`), so a large file
    need not be held to be recognised or read."""

    def __init__(self, head: bytes, size: int, opener: Callable[[], BinaryIO]):
        self.head = head[:HEAD_BYTES]
        self.size = size
        self._opener = opener

    @classmethod
    def of(cls, data: bytes) -> ImportSource:
        return cls(data, len(data), lambda: io.BytesIO(data))

    def open(self) -> BinaryIO:
        return self._opener()

    def read(self) -> bytes:
        with self.open() as handle:
            return handle.read()


def _load(reference: str) -> Callable:
    """`module:function` in netmaint_tui.io, imported when first used: the command line builds its
    choices from this registry on every start, and a format's module (icalendar's, for a
    calendar) is only worth loading when a file of that format is read or written."""
    module, name = reference.split(":")
    return getattr(importlib.import_module(f"netmaint_tui.io.{module}"), name)


@dataclass(frozen=True)
class FileFormat:
    name: str  # on the command line: `netmaint import linkedin`
    kind: str  # CONTACTS, DOCUMENT, CALENDAR or CAPTURE: what the file holds
    label: str  # in a sentence: "looks like a LinkedIn export"
    picker: str = ""  # in the import screen's list of formats
    extensions: tuple[str, ...] = ()  # endings of a file name that suggest it
    name_hints: tuple[str, ...] = ()  # words in a file name that choose it among formats of one ending
    recognizer: str = ""  # module:function, bytes -> True when the file is clearly this format
    reader: str = ""  # module:function, (bytes, progress) -> ParseResult (CONTACTS) or a document (DOCUMENT)
    streams: bool = False  # its reader takes the ImportSource instead of its bytes, and reads it as it goes
    # CONTACTS: module:function, (open binary file, progress) -> records.CsvExport, the reader's
    # records one at a time, for files too large to hold
    record_stream: str = ""
    writer: str = ""  # module:function, the content of its kind -> str or bytes
    streamer: str = ""  # module:function, the content with its sections as iterators -> pieces of str
    trusted: frozenset[str] = frozenset()  # contact fields an import overwrites; others it only fills in
    trusts_everything: bool = False
    locator: str = ""  # CAPTURE: module:function, path -> what of this format it holds ('zip', 'maildir'…) or None

    @property
    def command(self) -> str:
        """The command that reads it: `netmaint import linkedin FILE`, `netmaint capture mail FILE`."""
        return "capture" if self.kind == CAPTURE else "import"

    def locate(self, path: str | Path) -> str | None:
        return _load(self.locator)(path) if self.locator else None

    def recognizes(self, data: bytes) -> bool:
        return bool(self.recognizer) and _load(self.recognizer)(data)

    def read(self, source: ImportSource, progress: Callable[[int, int], None] | None = None) -> Any:
        return _load(self.reader)(source if self.streams else source.read(), progress=progress)

    def read_stream(self, handle: BinaryIO, progress: Callable[[int, int], None] | None = None) -> Any:
        return _load(self.record_stream)(handle, progress=progress)

    def write(self, content: Any) -> bytes:
        written = _load(self.writer)(content)
        return written.encode("utf-8") if isinstance(written, str) else written

    def stream(self, content: Any) -> Iterator[str]:
        return _load(self.streamer)(content)

    def trusts(self, key: str) -> bool:
        return self.trusts_everything or key in self.trusted


# In the order the command line and the import screen list them.
FORMATS: tuple[FileFormat, ...] = (
    FileFormat(
        "linkedin", CONTACTS, "LinkedIn export", "LinkedIn CSV", (".csv",), ("connections",),
        recognizer="linkedin:is_linkedin_export", reader="linkedin:parse_linkedin",
        record_stream="linkedin:stream_linkedin",
        trusted=frozenset({"company", "role", "connected_on"}),
    ),
    FileFormat(
        "vcard", CONTACTS, "vCard file", "vCard .vcf", (".vcf", ".vcard"),
        recognizer="vcard:is_vcard", reader="vcard:parse_vcard", trusted=frozenset({"company", "role"}),
    ),
    FileFormat(
        "google", CONTACTS, "Google Contacts export", "Google CSV", (".csv",),
        recognizer="google:is_google_export", reader="google:parse_google", record_stream="google:stream_google",
        trusted=frozenset({"company", "role"}),
    ),
    FileFormat(
        "json", DOCUMENT, "netmaint export", "netmaint JSON", (".json", ".yaml", ".yml"),
        recognizer="json_io:is_netmaint_export", reader="json_io:read_document", streams=True,
        writer="json_io:dumps_json", streamer="json_io:iter_json", trusts_everything=True,
    ),
    FileFormat(
        "calendar", CAPTURE, "calendar", "Calendar .ics", (".ics", ".zip"),
        recognizer="calendar:is_calendar", locator="calendar:calendar_kind",
    ),
    FileFormat(
        "mail", CAPTURE, "mailbox", "Mailbox (mbox)", (".mbox", ".mbx"),
        recognizer="mail:is_mbox", locator="mail:mailbox_kind",
    ),
    FileFormat("yaml", DOCUMENT, "netmaint export in YAML", writer="json_io:dumps_yaml"),
    FileFormat("csv", CONTACTS, "contacts CSV", writer="csv_export:contacts_csv"),
    FileFormat("ics", CALENDAR, "calendar", writer="ics_export:write_calendar"),
)

_BY_NAME = {f.name: f for f in FORMATS}
IMPORTS: tuple[FileFormat, ...] = tuple(f for f in FORMATS if f.reader)
EXPORTS: tuple[FileFormat, ...] = tuple(f for f in FORMATS if f.writer)
CAPTURES: tuple[FileFormat, ...] = tuple(f for f in FORMATS if f.kind == CAPTURE)
# Everything a file given to netmaint may be: what the import screen offers and guesses among.
READABLE: tuple[FileFormat, ...] = tuple(f for f in FORMATS if f.reader or f.kind == CAPTURE)


def file_format(name: str) -> FileFormat:
    return _BY_NAME[name]


def identify(head: bytes) -> str | None:
    """The format the file clearly is, from its first bytes (HEAD_BYTES, or more), or None when it
    does not say (then its reader decides)."""
    return next((f.name for f in READABLE if f.recognizes(head)), None)


def check_format(given: str, head: bytes) -> None:
    """Raise WrongFormat if the file is clearly another format than `given`."""
    found = identify(head)
    if found is not None and found != given:
        raise WrongFormat(given, found)


def guess_format(path: str) -> str | None:
    """A likely format to import from the file's name; None when the name says nothing."""
    name = Path(path.strip()).name.casefold()
    ending = [f for f in READABLE if name.endswith(f.extensions)]
    hinted = [f for f in ending if any(hint in name for hint in f.name_hints)]
    plain = [f for f in ending if not f.name_hints]
    chosen = hinted or plain or ending
    return chosen[0].name if chosen else None


def locate_capture(path: str | Path) -> str | None:
    """The capture format whose files `path` holds (a folder of .ics files, a Maildir…), or None."""
    return next((f.name for f in CAPTURES if f.locate(path)), None)
