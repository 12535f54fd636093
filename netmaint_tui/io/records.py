"""Plain records the importers produce, and the small text helpers they share.

The parsers turn an export file (bytes) into `ImportRecord`s plus `ImportIssue`s; they never touch
the database or the screen. Matching and upserting is the store's business. Everything here is
pure and tolerant: bad input becomes an issue naming the file's line, never an exception.
"""

from __future__ import annotations

import codecs
import io
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from netmaint_tui.io.formats import HEAD_BYTES
from netmaint_tui.rules import schema

Progress = Callable[[int, int], None]


@dataclass
class ImportRecord:
    name: str
    company: str = ""
    role: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin_url: str = ""
    location: str = ""
    birthday: str | None = None  # 'YYYY-MM-DD' or '--MM-DD'
    dates: list[dict] = field(default_factory=list)  # anniversaries: {"label", "date"} (rules.schema)
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    source: str = ""  # 'linkedin' | 'vcard' | 'google'
    source_id: str = ""  # stable id within that source, so a re-import finds the same contact
    connected_on: str | None = None  # ISO date, LinkedIn "Connected On"
    line: int = 0  # 1-based line in the file where the record starts
    uid: str = ""  # the card's own UID, as written (vCard)
    own: dict[str, str] = field(default_factory=dict)  # netmaint's fields in a synced card: X-NETMAINT-NAME -> NAME


@dataclass
class ImportIssue:
    line: int
    message: str  # one line, says what is wrong


@dataclass
class ParseResult:
    records: list[ImportRecord] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    # Rows left out on purpose (not errors), e.g. LinkedIn's removed members.
    skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    # Set when the file is not of this kind at all (no vCard in it, no header line): the
    # command line then says so in one line instead of reporting an import of nothing.
    wrong_format: str = ""

    def add_issue(self, line: int, message: str) -> None:
        self.issues.append(ImportIssue(line, one_line(message)))

    def not_this_format(self, message: str) -> None:
        self.wrong_format = one_line(message)
        self.add_issue(1, message)

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + 1


# ---------------------------------------------------------------------------------------------
# Progress


class ProgressTicker:
    """Calls `progress(done, total)` at most every `step` bytes, so reporting never costs much."""

    def __init__(self, progress: Progress | None, total: int, steps: int = 100) -> None:
        self._progress = progress
        self._total = total
        self._step = max(1 << 16, total // steps)
        self._next = 0

    def __call__(self, done: int) -> None:
        if self._progress is not None and done >= self._next:
            self._progress(min(done, self._total), self._total)
            self._next = done + self._step

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self._total, self._total)


# ---------------------------------------------------------------------------------------------
# Small text helpers

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """Issue messages must stay on one line whatever the file contained."""
    return _CONTROL.sub(" ", text)


def snippet(text: str, limit: int = 40) -> str:
    """A short, quoted, one-line excerpt of user data for an issue message."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


def collapse(text: str) -> str:
    """Trim and squeeze runs of whitespace (tabs, newlines, no-break spaces) to one space."""
    return _WS.sub(" ", text).strip()


def identity_key(*parts: str) -> str:
    """Case- and spacing-insensitive key for source ids built from names."""
    return "|".join(collapse(p).casefold() for p in parts)


def dedupe(items: list[str], key: Callable[[str], str] = str.casefold) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        k = key(item)
        if item and k not in seen:
            seen.add(k)
            out.append(item)
    return out


_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+")


def clean_email(value: str) -> str | None:
    """The address in `value` (tolerating `mailto:` and `<...>`), or None if it is not one."""
    text = value.strip().strip("<>").strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    if _EMAIL.fullmatch(text):
        return text
    return None


def clean_phone(value: str) -> str:
    text = collapse(value)
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    return text


def normalize_birthday(value: str, omit_year: bool = False) -> str | None:
    """'YYYY-MM-DD' or '--MM-DD' for the date forms contact exports use (rules.schema), else None."""
    try:
        return schema.normalize_birthday(value, omit_year)
    except ValueError:
        return None


_STANDARD_LABELS = {"anniversary", "other", "birthday"}  # Google's own types for an event


def date_label(label: str) -> str:
    """What an export calls a date, as a person would: Apple's `_$!<Anniversary>!$_` and
    Google's "Anniversary" are "anniversary"; a label of the user's own stays as written."""
    m = schema.APPLE_LABEL.fullmatch(label.strip())
    if m:
        return m.group(1).strip().lower()
    label = collapse(label)
    return label.lower() if label.lower() in _STANDARD_LABELS else label


def date_entry(label: str, value: str, omit_year: bool = False) -> tuple[dict | None, str]:
    """An anniversary as a contact keeps it ({"label", "date"}, rules.schema), or None and why
    it cannot be (for the issue naming the line)."""
    try:
        day = schema.normalize_birthday(value, omit_year)
        return {"label": schema.clean_date_label(date_label(label)), "date": day}, ""
    except schema.FieldError as exc:
        return None, f"{exc}; ignored"
    except ValueError as exc:  # a year out of range, a day no calendar has
        return None, f"date {exc}; ignored"


# ---------------------------------------------------------------------------------------------
# Bytes to lines, for the CSV importers

_BOMS = (
    (b"\xef\xbb\xbf", None),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def to_utf8(data: bytes) -> bytes:
    """Drop a UTF-8 BOM and turn UTF-16 (BOM or tell-tale NULs) into UTF-8; else unchanged."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec is None:
                return data[len(bom):]
            return data[len(bom):].decode(codec, errors="replace").encode("utf-8")
    head = data[:200]
    if len(head) >= 4 and head.count(0) * 3 > len(head):
        codec = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        return data.decode(codec, errors="replace").encode("utf-8")
    return data


_LINE_BREAK = re.compile(rb"\r*\n")


def split_lines(data: bytes) -> list[bytes]:
    """Physical lines; CRLF, LF, stray CRs before LF, and old Mac CR-only files all work."""
    if b"\n" not in data and b"\r" in data:
        return data.split(b"\r")
    return _LINE_BREAK.split(data)


def decode_lines(raw: list[bytes]) -> tuple[list[str], set[int]]:
    """Decode each line; returns texts and the indexes of lines that are not valid text.

    A file that is mostly UTF-8 keeps its few broken lines marked bad (they are reported);
    a file with no UTF-8 at all is an old Windows-1252 export and is read as such.
    """
    texts: list[str] = []
    failed: list[int] = []
    utf8_lines = 0
    for i, line in enumerate(raw):
        if line.isascii():
            texts.append(line.decode("ascii"))
            continue
        try:
            texts.append(line.decode("utf-8"))
            utf8_lines += 1
        except UnicodeDecodeError:
            texts.append("")
            failed.append(i)
    legacy = len(failed) > utf8_lines
    for i in failed:
        texts[i] = raw[i].decode("cp1252", errors="replace")
    bad = set() if legacy else set(failed)
    for i, text in enumerate(texts):
        if text.startswith("\ufeff"):
            texts[i] = text.lstrip("\ufeff")
    return texts, bad


# ---------------------------------------------------------------------------------------------
# CSV records that may span lines


class _CsvRecord:
    """Feeds physical lines into one CSV record, the way spreadsheet CSV quoting works."""

    __slots__ = ("fields", "cur", "in_quotes", "field_start")

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.cur: list[str] = []
        self.in_quotes = False
        self.field_start = True

    def feed(self, line: str) -> bool:
        """Consume a line; True when the record is complete."""
        if '"' not in line:
            if self.in_quotes:
                self.cur.append(line)
                self.cur.append("\n")
                return False
            # Outside quotes a line always starts a fresh record, so nothing is pending.
            self.fields.extend(line.split(","))
            return True
        i, n = 0, len(line)
        while i < n:
            if self.in_quotes:
                j = line.find('"', i)
                if j < 0:
                    self.cur.append(line[i:])
                    i = n
                    break
                self.cur.append(line[i:j])
                if j + 1 < n and line[j + 1] == '"':
                    self.cur.append('"')
                    i = j + 2
                else:
                    self.in_quotes = False
                    i = j + 1
                continue
            if self.field_start:
                # Tolerate spaces before an opening quote: `a, "b, c"` is two fields.
                k = i
                while k < n and line[k] in " \t":
                    k += 1
                self.field_start = False
                if k < n and line[k] == '"':
                    self.in_quotes = True
                    i = k + 1
                    continue
            j = line.find(",", i)
            if j < 0:
                self.cur.append(line[i:])
                i = n
            else:
                self.cur.append(line[i:j])
                self.fields.append("".join(self.cur))
                self.cur = []
                self.field_start = True
                i = j + 1
        if self.in_quotes:
            self.cur.append("\n")
            return False
        self.fields.append("".join(self.cur))
        self.cur = []
        self.field_start = True
        return True


@dataclass
class CsvRow:
    line: int  # 1-based line where the row starts
    fields: list[str] | None  # None: the row could not be read (see `problem`)
    problem: str = ""
    bad_line: int = 0  # a line of the row that was not valid text


def iter_csv_rows(
    lines: Iterable[tuple[str, bool]],
    expected_width: Callable[[], int | None],
    max_lines: int,
) -> Iterator[CsvRow]:
    """Rows of a CSV file from its lines (text, not valid text), recovering from a quote that never closes.

    A row whose quoted field runs on for `max_lines`, to the end of the file, or (once the header
    is known) into a row of the wrong width is reported on its first line alone, and reading
    resumes on the next line, so one stray quote cannot swallow the rest of the file. No more
    than `max_lines` lines are held at a time, whatever the file's size.
    """
    ahead: deque[tuple[str, bool]] = deque()
    source = iter(lines)

    def have(count: int) -> bool:
        while len(ahead) < count:
            nxt = next(source, None)
            if nxt is None:
                return False
            ahead.append(nxt)
        return True

    number = 1  # the line ahead[0] is
    while have(1):
        if not ahead[0][0].strip():
            ahead.popleft()
            number += 1
            continue
        record = _CsvRecord()
        used = 0
        complete = False
        while used < max_lines and have(used + 1):
            complete = record.feed(ahead[used][0])
            used += 1
            if complete:
                break
        width = expected_width()
        if not complete:
            yield CsvRow(number, None, "a quoted field is never closed (a stray '\"'?)")
            ahead.popleft()
            number += 1
            continue
        if used > 1 and width is not None and fit_width(record.fields, width) is None:
            yield CsvRow(
                number,
                None,
                f"a quoted field runs over {used} lines and the row has {len(record.fields)} fields,"
                f" not {width} (a stray '\"'?)",
            )
            ahead.popleft()
            number += 1
            continue
        bad_line = next((number + k for k in range(used) if ahead[k][1]), 0)
        yield CsvRow(number, [f.strip() for f in record.fields], bad_line=bad_line)
        for _ in range(used):
            ahead.popleft()
        number += used


def _only_empty_extras(fields: list[str], width: int) -> bool:
    return len(fields) > width and not any(f.strip() for f in fields[width:])


def fit_width(fields: list[str], width: int) -> list[str] | None:
    """The row cut to the header's width, or None if it does not fit.

    Trailing empty cells (a spreadsheet's stray commas) are dropped; anything else is an error.
    """
    if len(fields) == width:
        return fields
    if _only_empty_extras(fields, width):
        return fields[:width]
    return None


HEADER_SEARCH_ROWS = 50  # rows read looking for the header before deciding the file is not this export

# ---------------------------------------------------------------------------------------------
# Recognizing a format from the file's first bytes (io.formats asks each format's recognizer)



def head_lines(data: bytes) -> list[str]:
    texts, _ = decode_lines(split_lines(to_utf8(data[:HEAD_BYTES])))
    return texts


def first_line(data: bytes) -> str:
    return next((line for line in head_lines(data) if line.strip()), "")


def has_header(data: bytes, is_header: Callable[[list[str]], bool]) -> bool:
    """Whether a row near the top of the file is the header line `is_header` knows."""
    lines = ((text, False) for text in head_lines(data))
    for searched, row in enumerate(iter_csv_rows(lines, lambda: None, HEADER_SEARCH_ROWS)):
        if searched >= HEADER_SEARCH_ROWS:
            return False
        if row.fields is not None and is_header(row.fields):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Reading a CSV export as a stream

CHUNK_BYTES = 1 << 20


def _line_chunks(handle: BinaryIO, tick: Callable[[int], None]) -> tuple[Iterator[bytes], bytes]:
    """The file's content in UTF-8 chunks (a UTF-8 BOM dropped, UTF-16 decoded as it is read), and
    the separator its lines end with (to_utf8 and split_lines, a chunk at a time)."""
    head = handle.read(HEAD_BYTES)
    codec = None
    for bom, bom_codec in _BOMS:
        if head.startswith(bom):
            head, codec = head[len(bom):], bom_codec or "utf-8"
            break
    else:
        sample = head[:200]
        if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
            codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    decoder = None if codec in (None, "utf-8") else codecs.getincrementaldecoder(codec)(errors="replace")

    def chunks() -> Iterator[bytes]:
        chunk = head
        while chunk:
            tick(handle.tell())
            yield chunk if decoder is None else decoder.decode(chunk).encode("utf-8")
            chunk = handle.read(CHUNK_BYTES)
        if decoder is not None:
            yield decoder.decode(b"", final=True).encode("utf-8")

    first = head if decoder is None else head.decode(codec, errors="replace").encode("utf-8")
    separator = b"\r" if b"\n" not in first and b"\r" in first else b"\n"
    return chunks(), separator


def _split_chunks(chunks: Iterable[bytes], separator: bytes) -> Iterator[bytes]:
    """Physical lines, without their line ends (CRLF, LF, stray CRs before LF, or CR alone)."""
    rest = b""
    for chunk in chunks:
        parts = (rest + chunk).split(separator)
        rest = parts.pop()
        for part in parts:
            yield part.rstrip(b"\r")
    yield rest


def _is_legacy(handle: BinaryIO) -> bool:
    """A file with more lines that are not UTF-8 than lines that are is an old Windows-1252
    export (decode_lines, over the whole file). Asked on the first line that is not UTF-8, so
    most files are never read twice; the reading goes on where it was."""
    where = handle.tell()
    handle.seek(0)
    try:
        chunks, separator = _line_chunks(handle, lambda done: None)
        utf8 = failed = 0
        for line in _split_chunks(chunks, separator):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8 += 1
            except UnicodeDecodeError:
                failed += 1
        return failed > utf8
    finally:
        handle.seek(where)


def stream_lines(handle: BinaryIO, tick: Callable[[int], None]) -> Iterator[tuple[str, bool]]:
    """Each physical line as text, and whether it was not valid text (decode_lines, a line at a time)."""
    legacy = None
    chunks, separator = _line_chunks(handle, tick)
    for line in _split_chunks(chunks, separator):
        bad = False
        if line.isascii():
            text = line.decode("ascii")
        else:
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                if legacy is None:
                    legacy = handle.seekable() and _is_legacy(handle)
                text = line.decode("cp1252", errors="replace")
                bad = not legacy
            if text.startswith("\ufeff"):
                text = text.lstrip("\ufeff")
        yield text, bad


class CsvExport:
    """A CSV export read as a stream: everything before the header line is skipped (LinkedIn's
    preamble), then each row is fitted to the header's width and turned into a record; a row that
    cannot be is reported with its line and skipped while the rest import.

    `find_header()` reads up to the header and says whether there is one (if not, `result` says
    the file is not this format); iterating then yields the records one at a time, while
    `result` gathers the issues and the rows left out. Only a row's lines are held at a time.
    """

    def __init__(
        self,
        handle: BinaryIO,
        progress: Progress | None,
        find_header: Callable[[list[str]], Any],
        make_record: Callable[[list[str], Any, int, ParseResult], ImportRecord | None],
        max_row_lines: int,
        no_header_message: str,
        size: int | None = None,
    ) -> None:
        if size is None:
            start = handle.tell()
            size = handle.seek(0, 2) - start
            handle.seek(start)
        self.result = ParseResult([], [])
        self._tick = ProgressTicker(progress, size)
        self._find = find_header
        self._make = make_record
        self._message = no_header_message
        self._columns: Any = None
        self._width: int | None = None
        self._rows = iter_csv_rows(stream_lines(handle, self._tick), lambda: self._width, max_row_lines)
        self._searched = False

    def find_header(self) -> bool:
        if not self._searched:
            self._searched = True
            for searched, row in enumerate(self._rows, 1):
                if searched > HEADER_SEARCH_ROWS:
                    break  # a preamble is a few lines: a file without a header near the top has none
                if row.fields is not None and not row.bad_line:
                    found = self._find(row.fields)
                    if found is not None:
                        self._columns, self._width = found, len(row.fields)
                        break
            if self._columns is None:
                self.result.not_this_format(self._message)
                self._tick.finish()
        return self._columns is not None

    def __iter__(self) -> Iterator[ImportRecord]:
        if not self.find_header():
            return
        result, width, columns = self.result, self._width, self._columns
        for row in self._rows:
            if row.fields is None:
                result.add_issue(row.line, f"{row.problem}; row skipped")
                continue
            if row.bad_line:
                result.add_issue(row.bad_line, "text is not valid UTF-8; row skipped")
                continue
            fields = fit_width(row.fields, width)
            if fields is None:
                result.add_issue(
                    row.line,
                    f"expected {width} fields, found {len(row.fields)}"
                    + (" (an unquoted comma?)" if len(row.fields) > width else "") + "; row skipped",
                )
                continue
            record = self._make(fields, columns, row.line, result)
            if record is not None:
                yield record
        self._tick.finish()


def parse_csv_export(
    data: bytes,
    progress: Progress | None,
    find_header: Callable[[list[str]], Any],
    make_record: Callable[[list[str], Any, int, ParseResult], ImportRecord | None],
    max_row_lines: int,
    no_header_message: str,
) -> ParseResult:
    """A whole CSV export's records at once (CsvExport, on bytes in memory)."""
    export = CsvExport(io.BytesIO(data), progress, find_header, make_record, max_row_lines, no_header_message,
                       size=len(data))
    records = list(export)
    export.result.records = records
    return export.result
