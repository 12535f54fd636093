"""Google Contacts CSV. No real exports are kept (they hold other people's details), so these
files are written here with the exact headers Google uses in each era."""

from hypothesis import given, settings
from hypothesis import strategies as st

from netmaint_tui.io.google import parse_google
from netmaint_tui.io.records import ParseResult

CURRENT_HEADER = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department,"
    "Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,E-mail 3 - Label,E-mail 3 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Phone 3 - Label,Phone 3 - Value,"
    "Phone 4 - Label,Phone 4 - Value,"
    "Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,"
    "Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Address 2 - Label,Address 2 - Formatted,Address 2 - Street,Address 2 - City,Address 2 - PO Box,"
    "Address 2 - Region,Address 2 - Postal Code,Address 2 - Country,Address 2 - Extended Address,"
    "Website 1 - Label,Website 1 - Value,Website 2 - Label,Website 2 - Value"
)

LEGACY_HEADER = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
    "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,"
    "Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,"
    "Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,"
    "Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,"
    "Address 1 - Type,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,"
    "Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,Organization 1 - Title,"
    "Organization 1 - Department,Organization 1 - Symbol,Organization 1 - Location,"
    "Organization 1 - Job Description,Website 1 - Type,Website 1 - Value"
)


def quote(cell: str) -> str:
    if any(ch in cell for ch in ',"\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def row(header: str, **cells: str) -> str:
    """One CSV line for `header`, cells given by column name (spaces and dashes as underscores)."""
    columns = header.split(",")
    keyed = {c.replace(" - ", "_").replace(" ", "_").replace("-", "_").lower(): i for i, c in enumerate(columns)}
    values = [""] * len(columns)
    for key, value in cells.items():
        values[keyed[key.lower()]] = value
    return ",".join(quote(v) for v in values)


def test_current_export_with_wide_groups_bom_and_crlf():
    lines = [
        CURRENT_HEADER,
        row(
            CURRENT_HEADER,
            first_name="Priya", middle_name="K.", last_name="Raman", nickname="PK",
            organization_name="Globex", organization_title="VP Engineering",
            birthday="1980-03-22",
            notes="Met at PyCon 2023.\nIntro via Tom, ask about \"Project X\".",
            labels="Conference ::: * myContacts ::: * starred ::: Mentors",
            e_mail_1_label="* Work", e_mail_1_value="priya@globex.example",
            e_mail_2_label="Home", e_mail_2_value="priya.raman@mail.example ::: pk@mail.example",
            e_mail_3_label="Other", e_mail_3_value="old@globex.example",
            phone_1_label="Mobile", phone_1_value="+1 415 555 0100",
            phone_2_label="Work", phone_2_value="+1 415 555 0101 ::: +1 415 555 0102",
            phone_4_label="Home", phone_4_value="+1 415 555 0104",
            address_1_label="Work", address_1_city="", address_2_label="Home", address_2_city="Oakland",
            address_2_formatted="12 Lake St\nOakland, CA 94612",
            website_1_label="Blog", website_1_value="https://priya.example.com",
            website_2_label="Profile", website_2_value="https://www.linkedin.com/in/Priya-Raman/?locale=en_US",
        ),
        row(
            CURRENT_HEADER,
            first_name="Tom", last_name="Berg", birthday="--03-22", labels="* myContacts",
            e_mail_1_label="* Other", e_mail_1_value="TOM@Example.com",
        ),
    ]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    calls = []
    result = parse_google(data, progress=lambda done, total: calls.append((done, total)))
    assert result.issues == []
    priya, tom = result.records
    assert priya.name == "Priya K. Raman"
    assert (priya.company, priya.role) == ("Globex", "VP Engineering")
    assert priya.emails == [
        "priya@globex.example", "priya.raman@mail.example", "pk@mail.example", "old@globex.example"
    ]
    assert priya.phones == ["+1 415 555 0100", "+1 415 555 0101", "+1 415 555 0102", "+1 415 555 0104"]
    assert priya.birthday == "1980-03-22"
    assert priya.notes == 'Met at PyCon 2023.\nIntro via Tom, ask about "Project X".'
    assert priya.tags == ["Conference", "Mentors"]
    assert priya.location == "Oakland"
    assert priya.linkedin_url == "https://www.linkedin.com/in/priya-raman"
    assert (priya.source, priya.source_id, priya.line) == ("google", "priya@globex.example", 2)
    assert tom.name == "Tom Berg"
    assert tom.birthday == "--03-22"
    assert tom.tags == []
    assert tom.source_id == "tom@example.com"
    # Priya's notes span two lines of the file.
    assert tom.line == 5
    assert calls[-1] == (len(data), len(data))


def test_legacy_google_csv():
    lines = [
        LEGACY_HEADER,
        row(
            LEGACY_HEADER,
            name="Dr. Maria Gonzalez", given_name="Maria", family_name="Gonzalez",
            birthday="1975-11-02", notes="Board member", location="Madrid",
            group_membership="* My Contacts ::: System Group: Friends ::: Clients ::: Madrid Meetup",
            e_mail_1_type="* Work", e_mail_1_value="maria@acme.example",
            phone_1_type="Mobile", phone_1_value="+34 600 000 000",
            organization_1_type="", organization_1_name="Acme Iberia", organization_1_title="Directora",
            website_1_type="LinkedIn", website_1_value="linkedin.com/in/mariagonzalez",
        ),
        row(LEGACY_HEADER, given_name="Ken", family_name="Ito", address_1_city="Osaka"),
    ]
    result = parse_google(("\n".join(lines) + "\n").encode())
    assert result.issues == []
    maria, ken = result.records
    assert maria.name == "Dr. Maria Gonzalez"
    assert (maria.company, maria.role) == ("Acme Iberia", "Directora")
    assert maria.emails == ["maria@acme.example"]
    assert maria.phones == ["+34 600 000 000"]
    assert maria.birthday == "1975-11-02"
    assert maria.notes == "Board member"
    assert maria.tags == ["Clients", "Madrid Meetup"]
    assert maria.location == "Madrid"
    assert maria.linkedin_url == "https://www.linkedin.com/in/mariagonzalez"
    assert ken.name == "Ken Ito"
    assert ken.location == "Osaka"
    assert ken.source_id == "ken ito"


def test_legacy_export_in_utf16():
    lines = [LEGACY_HEADER, row(LEGACY_HEADER, name="Łukasz Żółć", e_mail_1_value="lz@example.pl")]
    data = b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")
    result = parse_google(data)
    assert result.issues == []
    assert [(r.name, r.emails) for r in result.records] == [("Łukasz Żółć", ["lz@example.pl"])]


def test_link_labelled_linkedin_without_a_linkedin_host():
    text = CURRENT_HEADER + "\n" + row(
        CURRENT_HEADER, first_name="Ann", website_1_label="LinkedIn", website_1_value="https://lnkd.in/abc"
    )
    (ann,) = parse_google(text.encode()).records
    assert ann.linkedin_url == "https://lnkd.in/abc"


def test_name_fallbacks():
    text = "\n".join([
        CURRENT_HEADER,
        row(CURRENT_HEADER, nickname="Bubbles"),
        row(CURRENT_HEADER, e_mail_1_value="only@example.com", organization_name="Acme"),
        row(CURRENT_HEADER, organization_name="Acme"),
        row(CURRENT_HEADER, phone_1_value="+1 555 0100"),
    ])
    result = parse_google(text.encode())
    assert [r.name for r in result.records] == ["Bubbles", "only@example.com", "Acme", "+1 555 0100"]
    assert result.issues == []


def test_bad_rows_are_reported_and_the_rest_import():
    good = row(CURRENT_HEADER, first_name="Good")
    text = "\n".join([
        CURRENT_HEADER,
        good,
        "Short,Row",
        row(CURRENT_HEADER, notes="only a note"),
        "," * CURRENT_HEADER.count(","),  # an empty row, e.g. from a spreadsheet
        row(CURRENT_HEADER, first_name="Bad Day", birthday="March 3rd"),
        row(CURRENT_HEADER, first_name="Bad Mail", e_mail_1_value="not-an-address"),
        good,
    ])
    result = parse_google(text.encode())
    assert [r.name for r in result.records] == ["Good", "Bad Day", "Bad Mail", "Good"]
    assert result.records[1].birthday is None
    assert result.records[2].emails == []
    assert [i.line for i in result.issues] == [3, 4, 6, 7]
    assert "expected" in result.issues[0].message
    assert "no name" in result.issues[1].message
    assert "March 3rd" in result.issues[2].message
    assert "not-an-address" in result.issues[3].message
    assert result.skipped_reasons == {"empty row": 1}


def test_undecodable_row_is_reported():
    data = (
        CURRENT_HEADER.encode() + b"\n"
        + row(CURRENT_HEADER, first_name="Zoë").encode() + b"\n"
        + b"\xff\xfe\xfd" + row(CURRENT_HEADER, first_name="X").encode() + b"\n"
        + row(CURRENT_HEADER, first_name="Åsa").encode() + b"\n"
    )
    result = parse_google(data)
    assert [r.name for r in result.records] == ["Zoë", "Åsa"]
    assert [i.line for i in result.issues] == [3]


def test_not_a_google_file():
    result = parse_google(b"foo,bar\n1,2\n")
    assert result.records == []
    assert [i.line for i in result.issues] == [1]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    assert isinstance(parse_google(data), ParseResult)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',"\n\r\t :ab1*@-é')), max_size=600))
def test_random_rows_after_a_header_never_raise(body):
    result = parse_google((LEGACY_HEADER + "\n" + body).encode())
    assert isinstance(result, ParseResult)
    for record in result.records:
        assert record.name and record.source == "google"
