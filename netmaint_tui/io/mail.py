"""Reading mail headers: an mbox file (Google Takeout, Thunderbird) or a Maildir folder.

Only headers are read, and a message at a time: an mbox is scanned in chunks for its `From `
separator lines and each body is skipped without being kept, so a 1 GB file takes a few MB. The
scanner works on bytes, because real files have `From ` lines in other encodings than ASCII
(Python's mailbox module stops on them with UnicodeDecodeError). A separator is a line starting
`From ` and ending in a date (so a body's "From what I hear…" that a writer did not escape is not
one): mboxo, mboxrd and Thunderbird write a blank line before it, but a file without one loses no
message; or one among a message's headers (a message cut off before its body).

Each message comes out as a rules.capture.Message: its Message-ID (else a hash of its headers),
date (else the one on its `From ` line), sender, recipients (RFC 2047 names decoded, a list
archive's `andy at example.com (Andy)` understood), subject, conversation (the first message in
References, else In-Reply-To, else its own id, else its subject), and whether it is list or bulk
mail. A message that cannot be read is reported with where it is, and the rest goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from netmaint_tui.io.calendar import Problem, Report
from netmaint_tui.rules.capture import Message, Person, fold_email, normalize_subject

CHUNK = 1 << 20
MAX_HEADER_BYTES = 256 * 1024  # headers longer than this are no mail's
MAX_ENVELOPE = 1024  # a `From ` line longer than this is no separator
_WANTED = frozenset({
    b"from", b"to", b"cc", b"bcc", b"subject", b"date", b"message-id", b"in-reply-to", b"references",
    b"list-id", b"precedence", b"auto-submitted",
})

Progress = Callable[[int], None]


# --- which files ------------------------------------------------------------------------------


def is_mbox(head: bytes) -> bool:
    """The first bytes of an mbox file: a `From ` line (an envelope sender and a date)."""
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"From ")


def is_maildir(path: str | os.PathLike) -> bool:
    path = Path(path)
    return (path / "cur").is_dir() and (path / "new").is_dir()


def maildirs(path: str | os.PathLike) -> list[Path]:
    """The Maildir at `path`, or every Maildir below it (a mail folder tree, Maildir++ included)."""
    found = []
    for root, dirs, _ in os.walk(path):
        if "cur" in dirs and "new" in dirs:
            found.append(Path(root))
        dirs[:] = sorted(d for d in dirs if d not in ("cur", "new", "tmp"))
    return found


def mbox_files(path: str | os.PathLike) -> list[Path]:
    """The mbox files in a folder tree: Thunderbird keeps each mail folder as one (beside its
    .msf index), and Google Takeout may give several. Maildirs' own files are not looked at."""
    found = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in ("cur", "new", "tmp") and not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.endswith(".msf"):
                continue
            file = Path(root) / name
            try:
                with open(file, "rb") as handle:
                    if is_mbox(handle.read(4096)):
                        found.append(file)
            except OSError:
                continue
    return found


def mailbox_kind(path: str | os.PathLike) -> str | None:
    """'mbox' or 'maildir' when `path` holds mail (a folder: Maildirs, or mbox files), else None."""
    path = Path(path)
    try:
        if path.is_dir():
            return "maildir" if maildirs(path) else ("mbox" if mbox_files(path) else None)
        with open(path, "rb") as handle:
            return "mbox" if is_mbox(handle.read(4096)) else None
    except OSError:
        return None


# --- headers ----------------------------------------------------------------------------------


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def header_fields(block: bytes) -> dict[bytes, list[str]]:
    """The wanted headers of a header block (lower-case names), unfolded and decoded to text."""
    found: dict[bytes, list[bytes]] = {}
    current: list[bytes] | None = None
    for line in block.split(b"\n"):
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line:
            continue
        if line[:1] in (b" ", b"\t"):
            if current is not None:
                current.append(line)
            continue
        colon = line.find(b":")
        name = line[:colon].strip().lower() if colon > 0 else b""
        if name in _WANTED:
            current = [line[colon + 1:]]
            found.setdefault(name, []).append(current)
        else:
            current = None
    return {name: [_text(b"".join(parts)).strip() for parts in values] for name, values in found.items()}


def decode_words(value: str) -> str:
    """RFC 2047 encoded words (=?utf-8?q?...?=) as text. A word whose bytes are not of the charset
    it names (ISO-8859 bytes labelled UTF-8, as real mail has) is read as Windows-1252; one that
    cannot be taken apart stays as written."""
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
    except (ValueError, AssertionError, LookupError):
        return value
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        if charset is None:
            # decode_header hands the text between encoded words back as raw-unicode-escape bytes.
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
            continue
        try:
            out.append(chunk.decode(charset))
        except UnicodeDecodeError:
            out.append(chunk.decode("cp1252", errors="replace"))
        except LookupError:
            out.append(chunk.decode("utf-8", errors="replace"))
    return "".join(out)


_SPELLED = re.compile(r"([^\s@,<>()\"]+) at ([^\s@,<>()\"]+\.[^\s@,<>()\"]+)")
_ANGLE = re.compile(r'\s*(.*?)\s*<([^<>]*)>\s*')
_BARE = re.compile(r"\s*([^\s<>()\",;:]+@[^\s<>()\",;:]+)\s*")


def _person(name: str, address: str) -> Person | None:
    email = fold_email(address)
    if not email:
        return None
    name = decode_words(name.strip().strip('"').strip()) if name else ""
    return Person(email, " ".join(name.split()))


def addresses(value: str) -> tuple[Person, ...]:
    """The people an address header names. The plain forms (`Name <a@b>`, `a@b`) are read
    directly; anything else (quoted commas, comments, groups) by email.utils."""
    if not value:
        return ()
    if "@" not in value and " at " in value:
        value = _SPELLED.sub(r"\1@\2", value)
    found: list[Person] = []
    if '"' not in value and "(" not in value and ";" not in value:
        for part in value.split(","):
            if not part.strip():
                continue
            plain = _ANGLE.fullmatch(part) or _BARE.fullmatch(part)
            if plain is None:
                break
            name, address = plain.groups() if plain.re is _ANGLE else ("", plain.group(1))
            person = _person(name, address)
            if person is not None:
                found.append(person)
        else:
            return tuple(found)
        found = []
    for name, address in getaddresses([value]):
        person = _person(name, address)
        if person is not None:
            found.append(person)
    return tuple(found)


_ID = re.compile(r"<([^<>\s]+)>")
# The date a `From ` line ends with: asctime (`Wed Sep 22 05:05:28 2004`), Gmail's with a zone
# before the year (`Wed Mar 12 10:00:00 +0000 2025`).
_ENVELOPE_DATE = re.compile(
    rb"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:[+-]\d{4}\s+)?(\d{4})"
)
_MONTHS = {m: i for i, m in enumerate(
    (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"), 1)}


def _first_id(value: str) -> str:
    found = _ID.search(value or "")
    if found:
        return f"<{found.group(1)}>"
    value = (value or "").strip()
    return f"<{value}>" if value and " " not in value else ""


def _date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def envelope_date(from_line: bytes) -> dt.datetime | None:
    """The time on an mbox `From ` line (`From a@b  Wed Sep 22 05:05:28 2004`), taken as UTC."""
    found = _ENVELOPE_DATE.search(from_line)
    if not found or found.group(2) not in _MONTHS:
        return None
    _, month, day, hour, minute, second, year = found.groups()
    try:
        return dt.datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second),
                           tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def _bulk(fields: dict[bytes, list[str]]) -> str:
    if any(v.strip() for v in fields.get(b"list-id", ())):
        return "List-Id"
    precedence = " ".join(fields.get(b"precedence", ())).strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    submitted = " ".join(fields.get(b"auto-submitted", ())).strip().lower()
    if submitted and submitted.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {submitted}"
    return ""


class Unreadable(ValueError):
    """A message netmaint cannot use; the message says why."""


def message_from_headers(block: bytes, where: str, fallback_date: dt.datetime | None = None) -> Message:
    """A Message from a raw header block; Unreadable when it has no sender or no date."""
    fields = header_fields(block)

    def one(name: bytes) -> str:
        values = fields.get(name)
        return values[0] if values else ""

    def every(name: bytes) -> tuple[Person, ...]:
        return tuple(p for value in fields.get(name, ()) for p in addresses(value))

    senders = every(b"from")
    if not senders:
        raise Unreadable("has no sender (From) that is an address")
    date = _date(one(b"date")) or fallback_date
    if date is None:
        raise Unreadable("has no date")
    subject = decode_words(one(b"subject"))
    own = _first_id(one(b"message-id"))
    key = own or "sha1:" + hashlib.sha1(
        "\n".join((one(b"date"), one(b"from"), one(b"to"), one(b"cc"), one(b"subject"))).encode("utf-8", "replace")
    ).hexdigest()
    references = _ID.findall(one(b"references"))
    thread = (f"<{references[0]}>" if references else _first_id(one(b"in-reply-to"))) or own
    if not thread:
        thread = "subject:" + normalize_subject(subject)
    return Message(key=key, date=date, sender=senders[0], to=every(b"to"), cc=every(b"cc"), bcc=every(b"bcc"),
                   subject=subject, thread=thread, bulk=_bulk(fields), where=where)


# --- mbox -------------------------------------------------------------------------------------


def _earliest(buf: bytearray, needles: tuple[bytes, ...], start: int, end: int | None = None) -> tuple[int, int]:
    """(index, needle length) of the first of `needles` in buf[start:end], or (-1, 0); each later
    needle is only looked for before the one found so far, so no search runs past the answer."""
    end = len(buf) if end is None else end
    best, size = -1, 0
    for needle in needles:
        found = buf.find(needle, start, end if best < 0 else best + len(needle))
        if found >= 0 and (best < 0 or found < best):
            best, size = found, len(needle)
    return best, size


# A line starting `From ` and ending in a date: writers put a blank line before it, but not all
# do, and a message lost without a word is worse than a body line taken for one (which the date
# at its end makes rare).
_SEPARATORS = (b"\nFrom ",)
_HEADER_ENDS = (b"\n\n", b"\n\r\n")


def mbox_messages(path: str | os.PathLike, problems: Report, progress: Progress | None = None) -> Iterator[Message]:
    """Every message in an mbox file, headers only, one at a time."""
    where = str(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        problems(Problem(where, f"cannot be read ({exc.strerror or exc}); skipped"))
        return
    with handle:
        for line, envelope, block in _mbox_blocks(handle, progress):
            at = f"{where}, message at line {line}"
            if block is None:
                problems(Problem(at, f"has headers longer than {MAX_HEADER_BYTES // 1024} KB; skipped"))
                continue
            try:
                yield message_from_headers(bytes(block), at, envelope_date(envelope))
            except Unreadable as exc:
                problems(Problem(at, f"{exc}; skipped"))


def _mbox_blocks(handle, progress: Progress | None) -> Iterator[tuple[int, bytes, bytes | None]]:
    """(line number, `From ` line, header block or None when too long) of each message."""
    buf = bytearray()
    eof = False
    line_no = 1  # the line buf[0] is on
    read = 0

    def fill() -> bool:
        nonlocal eof, read
        chunk = handle.read(CHUNK)
        if not chunk:
            eof = True
            return False
        buf.extend(chunk)
        read += len(chunk)
        if progress is not None:
            progress(read)
        return True

    def drop(upto: int) -> None:
        nonlocal line_no
        line_no += buf.count(b"\n", 0, upto)
        del buf[:upto]

    fill()
    if buf.startswith(b"\xef\xbb\xbf"):
        del buf[:3]
    # Whatever comes before the first `From ` line belongs to no message.
    while not buf.startswith(b"From "):
        found = buf.find(b"\nFrom ")
        if found >= 0:
            drop(found + 1)
            break
        if eof:
            return
        drop(max(0, len(buf) - 8))
        fill()
    while True:
        # buf starts with a message's `From ` line: find its end, then the end of the headers.
        while (newline := buf.find(b"\n")) < 0 and not eof:
            fill()
        envelope = bytes(buf[: newline if newline >= 0 else len(buf)])
        head = newline + 1 if newline >= 0 else len(buf)
        while True:
            end, size = _earliest(buf, _HEADER_ENDS, head - 1)
            cut = buf.find(b"\nFrom ", head - 1, end if end >= 0 else len(buf))
            if cut >= 0:  # cut off after its headers: the next message starts here
                end, size = cut, 1
                break
            if end >= 0 or eof:
                break
            if len(buf) - head > MAX_HEADER_BYTES:
                end = -2
                break
            fill()
        if end == -2:
            yield line_no, envelope, None
            body_from = head
        else:
            stop = end + size if end >= 0 else len(buf)
            yield line_no, envelope, bytes(buf[head:min(stop, len(buf))])
            if end >= 0 and size == 1:  # the next `From ` line follows the headers directly
                drop(end + 1)
                continue
            body_from = max(head, end) if end >= 0 else len(buf)
        # Skip the body up to the next separator, keeping nothing of it.
        search = max(0, body_from - 2)
        while True:
            found, size = _earliest(buf, _SEPARATORS, search)
            if found < 0:
                if eof:
                    return
                # The last bytes stay: a separator may begin in them and end in the next chunk.
                drop(max(0, len(buf) - len(_SEPARATORS[0])))
                search = 0
                fill()
                continue
            start = found + size - len(b"From ")
            line_end = buf.find(b"\n", start, start + MAX_ENVELOPE)
            if line_end < 0 and not eof and len(buf) - start < MAX_ENVELOPE:
                drop(found)  # the line goes on in the next chunk
                search = 0
                fill()
                continue
            if _ENVELOPE_DATE.search(buf, start, line_end if line_end >= 0 else min(len(buf), start + MAX_ENVELOPE)):
                drop(start)
                break
            search = start  # a body line "From …" that a writer did not escape



# --- Maildir ----------------------------------------------------------------------------------


def _file_headers(path: Path) -> bytes | None:
    """The header block of one message file, read no further than its end (None: too long)."""
    with open(path, "rb") as handle:
        data = b""
        while True:
            chunk = handle.read(65536)
            data += chunk
            end, size = _earliest(bytearray(data), _HEADER_ENDS, 0)
            if data.startswith((b"\n", b"\r\n")):
                return b""
            if end >= 0:
                return data[: end + size]
            if not chunk:
                return data
            if len(data) > MAX_HEADER_BYTES:
                return None


def maildir_messages(path: str | os.PathLike, problems: Report, progress: Progress | None = None) -> Iterator[Message]:
    """Every message in the Maildir(s) at `path`, headers only."""
    read = 0
    for folder in maildirs(path):
        for sub in ("cur", "new"):
            try:
                names = sorted(n for n in os.listdir(folder / sub) if not n.startswith("."))
            except OSError as exc:
                problems(Problem(str(folder / sub), f"cannot be read ({exc.strerror or exc}); skipped"))
                continue
            for name in names:
                file = folder / sub / name
                try:
                    block = _file_headers(file)
                    read += file.stat().st_size
                except OSError as exc:
                    problems(Problem(str(file), f"cannot be read ({exc.strerror or exc}); skipped"))
                    continue
                if progress is not None:
                    progress(read)
                if block is None:
                    problems(Problem(str(file), f"has headers longer than {MAX_HEADER_BYTES // 1024} KB; skipped"))
                    continue
                try:
                    yield message_from_headers(block, str(file))
                except Unreadable as exc:
                    problems(Problem(str(file), f"{exc}; skipped"))


def read_mailboxes(paths: Iterable[str | os.PathLike], problems: Report,
                   progress: Progress | None = None) -> Iterator[Message]:
    """Every message of the mboxes and Maildirs at `paths`, in order; `progress(bytes)` as they are read."""
    done = 0
    for given in paths:
        # A folder: its Maildirs, then the mbox files among its files.
        parts = [(maildir_messages, given), *((mbox_messages, f) for f in mbox_files(given))] \
            if Path(given).is_dir() else [(mbox_messages, given)]
        for read, path in parts:
            base = done

            def step(n: int, base=base) -> None:
                nonlocal done
                done = base + n
                if progress is not None:
                    progress(done)

            yield from read(path, problems, step)
