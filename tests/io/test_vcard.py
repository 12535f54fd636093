from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from netmaint_tui.io.records import ParseResult
from netmaint_tui.io.vcard import parse_vcard

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

LICENSE_NOTE = (
    'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED '
    "WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A "
    "PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY "
    "DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, "
    "PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER "
    "CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR "
    "OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE."
    "\nFavotire Color: Blue"
)


def sample(name: str) -> ParseResult:
    return parse_vcard((SAMPLES / name).read_bytes())


def card(*lines: str, version: str = "3.0", newline: str = "\r\n") -> bytes:
    body = ["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]
    return (newline.join(body) + newline).encode("utf-8")


def only(result: ParseResult):
    assert len(result.records) == 1, result
    return result.records[0]


# --- the real exports ---------------------------------------------------------------------------


def test_apple_ios5_iphone():
    result = sample("apple_ios5_iphone_v30.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "Mr. John Richter James Doe Sr."
    assert (r.company, r.role) == ("IBM", "Money Counter")
    assert r.emails == ["john.doe@ibm.com"]
    assert r.phones == [
        "905-555-1234", "905-666-1234", "905-777-1234", "905-888-1234",
        "905-999-1234", "905-111-1234", "905-222-1234",
    ]
    assert r.birthday == "2012-06-06"
    assert r.location == "New York"
    assert r.linkedin_url == ""  # the only URL is the IBM home page
    assert r.notes == ""
    assert (r.source, r.source_id, r.line) == ("vcard", "john.doe@ibm.com", 1)


def test_apple_macos_address_book():
    result = sample("apple_macos_addressbook_v30.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "Mr. John Richter,James Doe Sr."
    assert (r.company, r.role) == ("IBM", "Money Counter")
    assert r.emails == ["john.doe@ibm.com"]
    assert r.phones == [
        "905-777-1234", "905-666-1234", "905-555-1234", "905-888-1234",
        "905-999-1234", "905-111-1234", "905-222-1234",
    ]
    assert r.birthday == "2012-06-06"
    assert r.location == "New York"
    assert r.notes == LICENSE_NOTE


def test_gmail_export():
    result = sample("google_gmail_export_v30.vcf")
    # X-ABDATE:1776-07-04 lies before the years netmaint keeps: that value is left out, its line named.
    assert [(i.line, i.message) for i in result.issues] == [
        (56, "date 1776-07-04 is out of range; give a date from 1900-01-01 to 2200-12-31 (or --MM-DD without a "
             "year); ignored")]
    r = only(result)
    assert r.name == "VCard Test"
    assert (r.company, r.role) == ("TheCompany", "TheJobTitle")
    assert r.emails == [
        "email@example.com", "homeemail@example.com", "workemail@example.com",
        "otheremail@example.com", "customcategory@example.com",
    ]
    assert r.phones == [f"55555511{n}" for n in range(11, 22)]
    assert r.birthday == "1912-06-23"
    # Apple's labelled dates: its own label for an anniversary, and one the user typed.
    assert r.dates == [{"label": "anniversary", "date": "1930-03-20"},
                       {"label": "CustomDateCategory", "date": "2000-09-12"}]
    assert r.notes == "note line 1\nnote line 2\nCustomField: field value"
    assert r.location == "NY"


def test_gmail_folded_note_and_address():
    result = sample("google_gmail_folded_note_v30.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "Mr. John Richter, James Doe Sr."
    assert (r.company, r.role) == ("IBM", "Money Counter")
    assert r.emails == ["john.doe@ibm.com"]
    assert r.phones == ["905-555-1234", "905-666-1234"]
    assert r.birthday == "1980-03-22"
    assert r.dates == [{"label": "anniversary", "date": "1975-03-01"}]
    assert r.notes == LICENSE_NOTE  # unfolded mid-word: "PARTICU" + "LAR"
    assert r.location == ""  # the folded ADR has no locality component


def test_outlook_2007_quoted_printable():
    result = sample("outlook2007_v21_quoted_printable.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "Mr. Michael Angstadt Jr."
    assert (r.company, r.role) == ("TheCompany", "TheJobTitle")
    assert r.emails == ["mike.angstadt@gmail.com"]
    assert r.phones == ["(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333"]
    assert r.birthday == "1922-03-10"
    assert r.dates == [{"label": "anniversary", "date": "2012-08-01"}]  # X-MS-ANNIVERSARY:20120801
    assert r.location == "New York"
    assert r.notes == (
        "This is the NOTE field\n"
        "I assume it encodes this text inside a NOTE vCard type.\n"
        "But I'm not sure because there's text formatting going on here.\n"
        "It does not preserve the formatting"
    )


def test_outlook_photo_ending_in_a_blank_line():
    result = sample("outlook_v21_photo_blankline.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "Mr. John Richter James Doe Sr."
    assert (r.company, r.role) == ("IBM", "Money Counter")
    assert r.emails == ["john.doe@ibm.cm"]
    assert r.phones == ["(905) 555-1234", "(905) 666-1234"]
    assert r.birthday == "1980-03-22"
    assert r.dates == [{"label": "anniversary", "date": "2011-01-13"}]
    assert r.location == "Albaney"
    assert r.notes.startswith("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD ''AS IS''")
    assert r.notes.endswith("EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.")


def test_android_six_cards_with_qp_utf8():
    result = sample("android_v21_qp_utf8_multi.vcf")
    names = [r.name for r in result.records]
    assert names == [
        "john.doe@company.com",  # no N or FN: named by the email
        "jane.doe@company.com",
        "Ñ Ñ Ñ Ñ Ñ",
        " ".join(["Ñ"] * 11),  # QP soft break between "=" and "=20"
        "Ñ Ñ Ñ Ñ",
        "ÑÑÑÑ",
    ]
    assert [r.line for r in result.records] == [1, 6, 11, 18, 36, 71]
    first, _, third, fourth, fifth, sixth = result.records
    assert first.emails == ["john.doe@company.com"] and first.tags == ["My Contacts"]
    assert first.source_id == "john.doe@company.com"
    assert third.phones == ["123456789"]
    assert fourth.phones == ["123456", "234567", "3456789", "45678901"]
    # Two NOTE lines, each with soft breaks that join "Ñ" directly to "Ñ".
    one_note = "Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ Ñ Ñ Ñ"
    assert fourth.notes == one_note + "\n" + one_note
    assert fifth.company == "Ñ" * 12
    assert fifth.emails == ["bob@company.com"]
    assert sixth.company == "Ñ" * 44
    assert sixth.emails == ["henry@company.com"]
    assert sixth.phones == ["55556666"]
    # The QP-encoded "email" of card 5 is not an address.
    assert [(i.line, "not an address" in i.message) for i in result.issues] == [(44, True)]


def test_thunderbird_charset_param_in_v30():
    result = sample("thunderbird_v30_charset_param.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "John Doe"
    assert (r.company, r.role) == ("TheOrganization", "TheTitle")
    assert r.emails == [
        "doe.john@hotmail.com", "additional-email@company.com", "additional-email1@company.com",
        "additional-email2@company.com", "additional-email3@company.com",
    ]
    assert r.phones == ["555-555-1111", "555-555-2222", "555-555-5555", "555-555-3333", "555-555-4444"]
    assert r.birthday == "1970-09-21"
    assert r.dates == [{"label": "anniversary", "date": "1990-04-30"}]  # X-ANNIVERSARY
    assert r.location == "New York"
    assert r.tags == ["category1", "category2", "category3"]
    assert r.notes == (
        "This is the notes field.\nSecond Line\n\nFourth Line\n"
        'You can put anything in the "note" field; even curse words.'
    )


def test_v40_caret_label_param():
    result = sample("v40_caret_label_param.vcf")
    assert result.issues == []
    r = only(result)
    assert r.name == "Dummy, Dummy"
    assert r.company == "Dummy GmbH"
    assert r.emails == ["dummy.dummy@dummy.com"]
    assert r.phones == ["+49 1234 56789", "+49 9876 54321"]
    assert r.location == "Bad Homburg"
    assert r.source_id == "8b574c60-fd7f-4e99-b584-c5db131ae687"


# --- birthdays ----------------------------------------------------------------------------------


def test_birthday_forms():
    cases = {
        "BDAY:1980-03-22": "1980-03-22",
        "BDAY:19800322": "1980-03-22",
        "BDAY;value=date:1980-03-22": "1980-03-22",
        "BDAY:1980-03-22T00:00:00Z": "1980-03-22",
        "BDAY:--0415": "--04-15",
        "BDAY:--04-15": "--04-15",
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15": "--04-15",
        "BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=date:1604-02-29": "--02-29",
    }
    for line, expected in cases.items():
        r = only(parse_vcard(card("FN:Year Less", line)))
        assert r.birthday == expected, line


def test_unreadable_birthday_is_reported_and_ignored():
    for value in ["next tuesday", "2023-02-30", "1980-13-01"]:
        result = parse_vcard(card("FN:Bad Day", f"BDAY:{value}"))
        r = only(result)
        assert r.birthday is None
        assert [i.line for i in result.issues] == [4]
        assert value in result.issues[0].message


# --- encodings ----------------------------------------------------------------------------------


def test_qp_soft_break_inside_a_utf8_sequence():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=\r\n=BCller;J=C3=BCrgen;;;\r\n"
        b"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Caf=C3=\r\n=A9 cr=C3=A8me=0D=0A=\r\nzweite Zeile\r\n"
        b"TEL;WORK;VOICE:+49 30 1234\r\n"
        b"END:VCARD\r\n"
    )
    result = parse_vcard(data)
    assert result.issues == []
    r = only(result)
    assert r.name == "Jürgen Müller"
    assert r.notes == "Café crème\nzweite Zeile"
    assert r.phones == ["+49 30 1234"]


def test_windows_1252_without_charset():
    data = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ren\xe9 M\xfcller\r\nORG:Caf\xe9 \x80uro\r\nEND:VCARD\r\n"
    r = only(parse_vcard(data))
    assert (r.name, r.company) == ("René Müller", "Café €uro")


def test_wrong_charset_param_falls_back():
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=x-nonsense:Zo\xc3\xab\r\nNOTE;CHARSET=us-ascii:na\xefve\r\nEND:VCARD\r\n"
    r = only(parse_vcard(data))
    assert r.name == "Zoë"
    assert r.notes == "naïve"


def test_utf16_file_with_bom():
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Łukasz\r\nEND:VCARD\r\n"
    r = only(parse_vcard(b"\xff\xfe" + text.encode("utf-16-le")))
    assert r.name == "Łukasz"


# --- structure ----------------------------------------------------------------------------------


def test_escapes():
    r = only(parse_vcard(card(
        r"FN:Doe\, Jane \\ Co",
        r"ORG:Acme\; Sons;R&D",
        r"NOTE:line one\nline two\Nline three",
        r"URL:http\://example.com",
        r"item1.URL:https\://www.linkedin.com/in/JaneDoe/",
    )))
    assert r.name == "Doe, Jane \\ Co"
    assert r.company == "Acme; Sons"
    assert r.notes == "line one\nline two\nline three"
    assert r.linkedin_url == "https://www.linkedin.com/in/janedoe"


def test_labelled_linkedin_url_even_when_the_label_comes_after():
    r = only(parse_vcard(card(
        "FN:Kim Lee",
        "item1.URL:http://kim.example.com",
        "item1.X-ABLabel:blog",
        "item2.URL:kimlee",
        "item2.X-ABLabel:LinkedIn",
    )))
    assert r.linkedin_url == "kimlee"


def test_social_profile_linkedin():
    r = only(parse_vcard(card(
        "FN:Kim Lee",
        "X-SOCIALPROFILE;type=linkedin;x-user=kimlee:http://www.linkedin.com/in/kimlee",
    )))
    assert r.linkedin_url == "https://www.linkedin.com/in/kimlee"


def test_categories_uid_and_location():
    r = only(parse_vcard(card(
        "UID:urn:uuid:1234",
        "FN:Sam Roe",
        "CATEGORIES:Friends,Conference 2024, friends",
        "ADR;TYPE=home:;;1 Main St;Springfield;IL;62701;USA",
    )))
    assert r.tags == ["Friends", "Conference 2024"]
    assert r.source_id == "urn:uuid:1234"
    assert r.location == "Springfield"


def test_name_falls_back_to_n_then_email_then_org():
    assert only(parse_vcard(card("N:Doe;Jane;Q.;Dr.;"))).name == "Jane Q. Doe"
    assert only(parse_vcard(card("EMAIL:x@example.com", "ORG:Acme"))).name == "x@example.com"
    org_only = only(parse_vcard(card("ORG:Acme;Sales")))
    assert (org_only.name, org_only.company, org_only.source_id) == ("Acme", "Acme", "acme|acme")


def test_card_without_any_name_is_reported_and_skipped():
    result = parse_vcard(card("TEL:123") + card("FN:Next"))
    assert [r.name for r in result.records] == ["Next"]
    assert [i.line for i in result.issues] == [1]
    assert "no name" in result.issues[0].message


def test_card_that_never_ends_before_another_begins():
    data = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lost Card\r\nEMAIL:lost@example.com\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Found Card\r\nEND:VCARD\r\n"
    ).encode()
    result = parse_vcard(data)
    assert [r.name for r in result.records] == ["Found Card"]
    assert [r.line for r in result.records] == [5]
    assert [i.line for i in result.issues] == [1]
    assert "no END:VCARD" in result.issues[0].message and "line 5" in result.issues[0].message


def test_card_that_never_ends_before_the_end_of_file():
    data = card("FN:Complete") + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\n"
    result = parse_vcard(data)
    assert [r.name for r in result.records] == ["Complete"]
    assert [i.line for i in result.issues] == [5]
    assert "end of the file" in result.issues[0].message


def test_garbage_line_inside_a_card():
    data = card("FN:Still Here", "this line has no colon", "EMAIL:still@example.com")
    result = parse_vcard(data)
    r = only(result)
    assert (r.name, r.emails) == ("Still Here", ["still@example.com"])
    assert [i.line for i in result.issues] == [4]


def test_text_outside_cards_is_reported_once_per_run():
    data = b"hello\r\nworld\r\n" + card("FN:Inside")
    result = parse_vcard(data)
    assert [r.name for r in result.records] == ["Inside"]
    assert [i.line for i in result.issues] == [1]


def test_not_a_vcard_file():
    result = parse_vcard(b"First Name,Last Name\nA,B\n")
    assert result.records == []
    assert [i.line for i in result.issues] == [1]
    assert "BEGIN:VCARD" in result.issues[0].message


def test_mixed_line_endings_and_old_mac():
    data = b"BEGIN:VCARD\r\r\nVERSION:3.0\nFN:Mixed\r\nEMAIL:m@example.com\r\r\nEND:VCARD\n" + card("FN:Second")
    result = parse_vcard(data)
    assert [(r.name, r.line) for r in result.records] == [("Mixed", 1), ("Second", 6)]
    mac = b"BEGIN:VCARD\rVERSION:3.0\rFN:Classic\rEND:VCARD\r"
    assert [r.name for r in parse_vcard(mac).records] == ["Classic"]


def test_folding_drops_one_space_in_30_but_keeps_it_in_21():
    v30 = only(parse_vcard(card("FN:x", "NOTE:hello", " world")))
    v21 = only(parse_vcard(card("FN:x", "NOTE:hello", " world", version="2.1")))
    assert v30.notes == "helloworld"
    assert v21.notes == "hello world"


def test_agent_card_inside_a_21_card_is_not_a_contact():
    data = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant\r\nEND:VCARD\r\n"
        "EMAIL:boss@example.com\r\nEND:VCARD\r\n"
    ).encode()
    result = parse_vcard(data)
    assert result.issues == []
    assert [(r.name, r.emails) for r in result.records] == [("Boss", ["boss@example.com"])]


def test_twenty_megabyte_photo_is_stepped_over():
    chunk = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkrLw" * 2  # 92 base64 characters
    blob = chunk * (20_000_000 // len(chunk))
    folded = b"\r\n ".join(blob[i:i + 74] for i in range(0, len(blob), 74))
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + folded
        + b"\r\nEMAIL:big@example.com\r\nEND:VCARD\r\n" + card("FN:After")
    )
    result = parse_vcard(data)
    assert result.issues == []
    assert [(r.name, r.emails) for r in result.records] == [("Big Photo", ["big@example.com"]), ("After", [])]
    assert result.records[1].line == data.count(b"\n", 0, data.index(b"BEGIN:VCARD", 10)) + 1


def test_unindented_base64_in_21_ends_at_the_blank_line():
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Old Phone\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n"
        b"/9j/4AAQSkZJRgABAQAAAQABAAD\r\nAAQSkZJRgABAQAAAQABAAD==\r\n\r\n"
        b"TEL;CELL:555\r\nEND:VCARD\r\n"
    )
    result = parse_vcard(data)
    assert result.issues == []
    assert only(result).phones == ["555"]


def test_progress_reaches_the_total():
    data = (SAMPLES / "apple_ios5_iphone_v30.vcf").read_bytes()
    calls = []
    parse_vcard(data, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(data), len(data))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- robustness ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    assert isinstance(parse_vcard(data), ParseResult)


_LINES = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:3.0", "FN:A", "N:a;b", "EMAIL:a@b.c", "EMAIL:nope",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=", "=A9=", "", " folded", "PHOTO;ENCODING=b:AAAA",
    "BDAY:--0230", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-01-01", "garbage", "item1.URL:x", "item1.X-ABLabel:LinkedIn",
    "ADR:;;;", "CATEGORIES:\\,", "X-A;P=\"q:q\":v", "AGENT:", "TEL;CHARSET=^^^n:1", "UID:",
])


@settings(max_examples=100, deadline=None)
@given(st.lists(_LINES, max_size=40), st.sampled_from(["\r\n", "\n", "\r\r\n"]))
def test_random_card_lines_never_raise(lines, newline):
    result = parse_vcard(newline.join(lines).encode())
    assert isinstance(result, ParseResult)
    for record in result.records:
        assert record.name and record.source == "vcard"
