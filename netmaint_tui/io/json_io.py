"""netmaint's own export format, as JSON or YAML, and reading it back.

The document is `{"format": "netmaint", "version": 1, "contacts": [...], "touches": [...],
"follow_ups": [...], "goals": [...], "pauses": [...], ...}`, one list for each of SECTIONS (the shape is described in PRODUCT.md and
services/exporting.py, which reads it out; services/import_document.py reads it in). `export json`
followed by `import json` into an empty database gives a database whose export is byte for byte
the same document.

Text is data: JSON escapes every control character (C1 and bidirectional controls too, so the
file is safe to `cat`); YAML writes any string holding a control or line-separator character
in double-quoted form, where PyYAML escapes them, because its plain and single-quoted styles
silently change NEL and U+2028.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any, BinaryIO, Iterator, Mapping

import yaml

from .formats import DocumentError, ImportSource
from .records import Progress, head_lines

FORMAT = "netmaint"
VERSION = 1
# captured_items and correspondents came with capture, contact_aliases, not_duplicates and
# history_notes later (keys added, so still version 1): an older netmaint reads such a file and
# leaves them out, and a file without them imports as before.
SECTIONS = ("contacts", "touches", "follow_ups", "goals", "pauses", "captured_items", "correspondents",
            "contact_aliases", "not_duplicates", "history_notes")


# --- writing ----------------------------------------------------------------------------------

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _safe(text: str) -> str:
    # json leaves DEL, C1 and bidi controls raw; escaped, they stay data and the file stays readable.
    if text.isascii() and "\x7f" not in text:  # most blocks: two scans in C, not the regex's
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def dumps_json(doc: dict) -> str:
    return "".join(iter_json(doc))


_STRING = json.encoder.encode_basestring  # the C function when there is one, as json.dumps uses
_FLOAT = json.encoder.JSONEncoder(allow_nan=True).iterencode  # floats spelled as json.dumps does
_SCALAR: dict[type, Any] = {
    str: _STRING,
    int: int.__repr__,
    type(None): lambda value: "null",
    bool: lambda value: "true" if value else "false",
    float: lambda value: "".join(_FLOAT(value)),
}


_KEYS: dict[str, dict[str, str]] = {}  # indent -> key -> the key's line up to its value: '    "id": '


def _pretty(value: Any, indent: str) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=2)` writes it at `indent`, without
    the pure-Python encoder json uses whenever it indents (several times slower)."""
    scalar = _SCALAR.get(type(value))
    if scalar is not None:
        return scalar(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = _KEYS.get(inner)
        if keys is None:
            keys = _KEYS[inner] = {}
        parts = []
        for key, item in value.items():
            start = keys.get(key)
            if start is None:
                start = f"{inner}{_STRING(key)}: "
                if len(keys) < 1000:  # a document's keys are a few dozen; other dicts' are not kept
                    keys[key] = start
            encode = _SCALAR.get(type(item))
            parts.append(start + (encode(item) if encode else _pretty(item, inner)))
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        try:  # most lists hold only scalars (a touch's contacts, a contact's emails)
            parts = [_SCALAR[type(v)](v) for v in value]
        except KeyError:
            parts = [_pretty(v, inner) for v in value]
        return "[\n" + inner + (",\n" + inner).join(parts) + "\n" + indent + "]"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _pieces(doc: Mapping[str, Any]) -> Iterator[str]:
    yield "{"
    first_key = True
    for key, value in doc.items():
        yield ("\n" if first_key else ",\n") + f"  {_STRING(key)}: "
        first_key = False
        if type(value) in _SCALAR or isinstance(value, (dict, list, tuple)):
            yield _pretty(value, "  ")
            continue
        first_item = True
        for item in value:
            yield ("[\n    " if first_item else ",\n    ") + _pretty(item, "    ")
            first_item = False
        yield "[]" if first_item else "\n  ]"
    yield "\n}\n" if not first_key else "}\n"


def iter_json(doc: Mapping[str, Any], size: int = 1 << 16) -> Iterator[str]:
    """The document as `json.dumps(doc, ensure_ascii=False, indent=2)` and a newline would write it,
    made safe to show, in blocks of about `size` characters that end at a line's end, as its
    sections are read: a section may be any iterable of items (a generator reading rows), so an
    export of any size holds one item at a time."""
    held: list[str] = []
    length = 0
    for piece in _pieces(doc):
        held.append(piece)
        length += len(piece)
        if length >= size:
            text = "".join(held)
            cut = text.rfind("\n") + 1
            if cut:
                yield _safe(text[:cut])
                held, length = [text[cut:]], len(text) - cut
    rest = "".join(held)
    if rest:
        yield _safe(rest)


_YAML_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_YAML_RISKY = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff{_YAML_BIDI}]")
_YAML_BIDI_RAW = re.compile(f"[{_YAML_BIDI}]")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, data: str):
    style = '"' if _YAML_RISKY.search(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dumps_yaml(doc: dict) -> str:
    text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    # PyYAML counts bidirectional controls as printable and writes them raw even in double quotes,
    # where they would reorder what `cat` shows. Every string holding one is double-quoted (see
    # _YAML_RISKY), and keys are netmaint's own, so each occurrence can become a YAML escape.
    return _YAML_BIDI_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)


# --- recognizing and reading ----------------------------------------------------------------------

_JSON_NETMAINT = re.compile(r'"format"\s*:\s*"netmaint"')
_YAML_START = re.compile(r"(?:---|%YAML|#|[A-Za-z_][\w-]*\s*:)")
_YAML_NETMAINT = re.compile(r"""^format\s*:\s*(["']?)netmaint\1\s*$""", re.MULTILINE)


def is_netmaint_export(data: bytes) -> bool:
    """The registry's recognizer (io.formats): the file says `format: netmaint` near its top."""
    text = "\n".join(head_lines(data)).lstrip()
    if text.startswith("{"):
        return bool(_JSON_NETMAINT.search(text))
    # YAML: a mapping from its first line (a CSV's cells in a quoted note do not count).
    return bool(_YAML_START.match(text)) and bool(_YAML_NETMAINT.search(text))



class _Loader(yaml.SafeLoader):
    """Refuses aliases: they are how a few lines of YAML expand into gigabytes."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise DocumentError(event.start_mark.line + 1, "YAML aliases (*name) are not allowed in an import")
        return super().compose_node(parent, index)


def loads_document(data: bytes, progress: Progress | None = None) -> dict:
    """Parse JSON (or netmaint's YAML export) and check it is a netmaint document.

    `progress(done, total)` hears once, when it is read: a document is parsed in one go."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(data.count(b"\n", 0, exc.start) + 1, "not UTF-8 text") from None
    stripped = text.lstrip()
    if not stripped:
        raise DocumentError(1, "the file is empty")
    if stripped[0] in "{[":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DocumentError(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise DocumentError(0, "not valid JSON: nested too deeply") from None
        except ValueError as exc:  # a number of thousands of digits: Python refuses to read it
            raise DocumentError(0, f"not a netmaint export: {str(exc).split(';')[0]}") from None
    else:
        try:
            doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise DocumentError(mark.line + 1 if mark else 0, f"neither JSON nor YAML: {exc.problem or exc}") from None
        except yaml.reader.ReaderError as exc:
            # Its text spans lines ("… in <unicode string>, position 0"): say it in one.
            line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 0
            char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
            raise DocumentError(line, f"neither JSON nor YAML: the control character U+{char:04X} is not allowed") from None
        except yaml.YAMLError as exc:
            first = next((part for part in str(exc).splitlines() if part.strip()), type(exc).__name__)
            raise DocumentError(0, f"neither JSON nor YAML: {first}") from None
        except RecursionError:
            raise DocumentError(0, "nested too deeply") from None
    check_document(doc)
    if progress is not None:
        progress(len(data), len(data))
    return doc


_SPACE = re.compile(r"[ \t\n\r]*")


class StreamedDocument:
    """A netmaint export in JSON, read as it is used: the outer object's keys one after the other,
    a section's items parsed one at a time as the import takes them, from the file's bytes decoded
    a block at a time. Nothing but the item in hand is held when the sections are taken in the
    order the file has them (the export's order, which is the order an import takes them in); a
    section asked for before the file reaches it has the ones before it read whole and kept.

    Raises DocumentError when the file is not valid JSON or not a netmaint export: at once for its
    outer shape (`format` and `version`), otherwise where the fault is met, which inside an import's
    transaction leaves the database as it was. `position` is how many bytes have been read."""

    BLOCK = 1 << 20

    def __init__(self, stream: BinaryIO, size: int):
        self.stream = stream
        self.size = size
        self.position = 0
        self._lines_read = 0  # line ends in the blocks read before the last one
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._text = ""
        self._at = 0  # where in _text reading has got to
        self._line = 1  # the line _text begins on
        self._scan = json.JSONDecoder()
        self.header: dict[str, Any] = {}
        self._held: dict[str, list] = {}  # sections read whole, met before they were asked for
        self._ended = False
        self._taken: set[str] = set()  # sections asked for
        self._met: set[str] = set()  # keys met in the file
        if not self._peek():
            raise DocumentError(1, "the file is empty")
        if self._peek() not in "{[":
            raise DocumentError(1, "not valid JSON: Expecting value (column 1)")
        if self._peek() == "[":
            self._value()
            raise DocumentError(1, 'not a netmaint export (expected {"format": "netmaint", ...})')
        self._at += 1
        self._first_key = True
        while "format" not in self.header or "version" not in self.header:
            key = self._next_key()
            if key is None:
                break
            self._hold(key)
        check_document(self.header)

    # --- the text, a block at a time

    def _more(self) -> bool:
        if self._decoder is None:
            return False
        block = self.stream.read(self.BLOCK)
        self.position += len(block)
        try:
            new = self._decoder.decode(block, final=not block)
        except UnicodeDecodeError as exc:
            raise DocumentError(self._lines_read + block.count(b"\n", 0, exc.start) + 1, "not UTF-8 text") from None
        self._lines_read += block.count(b"\n")
        if not block:
            self._decoder = None  # the end: nothing more will come
            self.stream.close()
            if not new:
                return False
        self._line += self._text.count("\n", 0, self._at)
        self._text = self._text[self._at:] + new
        self._at = 0
        return True

    def _peek(self) -> str:
        while True:
            self._at = _SPACE.match(self._text, self._at).end()
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._more():
                return ""

    def _fault(self, message: str, at: int | None = None) -> DocumentError:
        at = self._at if at is None else at
        line = self._line + self._text.count("\n", 0, at)
        column = at - self._text.rfind("\n", 0, at)
        return DocumentError(line, f"not valid JSON: {message} (column {column})")

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise self._fault(f"Expecting '{char}' delimiter" if char in ",:" else f"Expecting '{char}'")
        self._at += 1

    def _value(self) -> Any:
        """One JSON value from where reading has got to; more of the file is read until it is whole."""
        self._peek()
        while True:
            try:
                value, end = self._scan.raw_decode(self._text, self._at)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                raise self._fault(exc.msg, exc.pos) from None
            except RecursionError:
                raise DocumentError(0, "not valid JSON: nested too deeply") from None
            except ValueError as exc:  # a number of thousands of digits: Python refuses to read it
                raise DocumentError(0, f"not a netmaint export: {str(exc).split(';')[0]}") from None
            if end == len(self._text) and self._more():  # a number cut by the block's end
                continue
            self._at = end
            return value

    # --- the outer object

    def _next_key(self) -> str | None:
        """Read up to the next key's value. A value that is not a section's list is read into the
        header; a section's list is left for the caller to read (the key is returned). None at the
        end of the object."""
        if self._ended:
            return None
        if self._peek() == "}":
            self._at += 1
            self._ended = True
            if self._peek():
                raise self._fault("Extra data")
            return None
        if not self._first_key:
            self._expect(",")
        self._first_key = False
        if self._peek() != '"':
            raise self._fault("Expecting property name enclosed in double quotes")
        key = self._value()
        self._expect(":")
        if key in self._met:
            raise DocumentError(0, f"{key!r} appears twice in the file")
        self._met.add(key)
        if self._peek() != "[" or key not in SECTIONS:
            value = self._value()
            if key in SECTIONS and value is not None:
                raise DocumentError(1, f"{key!r} must be a list")
            self.header[key] = value
        return key

    def _hold(self, key: str) -> None:
        """The section whose key was just read, kept whole (it is not the one asked for)."""
        if key in SECTIONS and key not in self.header:
            self._held[key] = list(self._items())

    def _items(self) -> Iterator[Any]:
        self._expect("[")
        if self._peek() == "]":
            self._at += 1
            return
        while True:
            yield self._value()
            if self._peek() == "]":
                self._at += 1
                return
            self._expect(",")

    def get(self, section: str, default: Any = None) -> Any:
        """A section's items, as an iterator read from the file as it is taken; each section once."""
        if section in self._taken:
            raise RuntimeError(f"{section} was already read")
        self._taken.add(section)
        return _checked(section, self._section(section))

    def _section(self, section: str) -> Iterator[Any]:
        if section in self.header:
            yield from self.header.pop(section) or ()
            return
        if section in self._held:
            yield from self._held.pop(section)
            return
        while (key := self._next_key()) is not None:
            if key != section:
                self._hold(key)
            elif section in self.header:
                yield from self.header.pop(section) or ()
                return
            else:
                yield from self._items()
                return

    def finish(self) -> None:
        """Read to the end of the file, so that a fault after the last section is still said."""
        while (key := self._next_key()) is not None:
            if key in SECTIONS and key not in self.header:
                for _ in self._items():
                    pass


def _checked(section: str, items: Iterator[Any]) -> Iterator[Any]:
    """A section's items as check_document checks them: each id a whole number, once."""
    seen: set[int] = set()
    for position, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        if ident is not None:
            if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident < 2**63:
                raise DocumentError(0, f"{section}[{position}].id: {str(ident)[:30]} is not a whole number from 1 up")
            if ident in seen:
                raise DocumentError(0, f"{section}[{position}]: id {ident} appears twice")
            seen.add(ident)
        yield item


def read_document(source: ImportSource, progress: Progress | None = None) -> dict | StreamedDocument:
    """The registry's reader: a JSON export streamed from the file (StreamedDocument), a YAML one
    parsed whole."""
    if source.head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return StreamedDocument(source.open(), source.size)
    return loads_document(source.read(), progress)


def check_document(doc: Any) -> None:
    """Raise DocumentError unless `doc` has the netmaint export's outer shape.

    What is inside each section is checked item by item on import, so one bad touch is
    reported and skipped instead of refusing the whole file.
    """
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DocumentError(1, 'not a netmaint export (expected {"format": "netmaint", ...})')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DocumentError(1, f"version {version!r} is not a netmaint export version")
    if version > VERSION:
        raise DocumentError(
            1, f"written by a newer netmaint (format version {version}, this one reads up to {VERSION}); upgrade first"
        )
    for section in SECTIONS:
        items = doc.get(section, [])
        if items is None:
            continue
        if not isinstance(items, list):
            raise DocumentError(1, f"{section!r} must be a list")
        seen: set[int] = set()
        for position, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if ident is None:
                continue
            if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident < 2**63:
                raise DocumentError(0, f"{section}[{position}].id: {str(ident)[:30]} is not a whole number from 1 up")
            if ident in seen:
                raise DocumentError(0, f"{section}[{position}]: id {ident} appears twice")
            seen.add(ident)
