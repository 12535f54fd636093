from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from netmaint_tui.io.linkedin import parse_connected_on, parse_linkedin
from netmaint_tui.io.records import ImportRecord, ParseResult
from netmaint_tui.rules.links import is_linkedin_url, normalize_linkedin_url

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

HEADER_2022 = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
HEADER_2021 = "First Name,Last Name,Email Address,Company,Position,Connected On"
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    'You will only see email addresses for connections who have allowed it."\n'
    "\n"
)


def parse_text(text: str, encoding: str = "utf-8", newline: str = "\n") -> ParseResult:
    return parse_linkedin(text.replace("\n", newline).encode(encoding))


# --- the real export ---------------------------------------------------------------------------


def test_real_2025_export():
    data = (SAMPLES / "linkedin_Connections_2025.csv").read_bytes()
    calls = []
    result = parse_linkedin(data, progress=lambda done, total: calls.append((done, total)))
    assert result.issues == []
    assert result.skipped == 0
    assert result.records == [
        ImportRecord(
            name="Alex Rohrberg",
            company="Schneider Electric",
            role="Software Engineer",
            emails=[],
            linkedin_url="https://www.linkedin.com/in/alexrohrberg",
            source="linkedin",
            source_id="https://www.linkedin.com/in/alexrohrberg",
            connected_on="2025-12-22",
            line=5,
        )
    ]
    assert calls[-1] == (len(data), len(data))
    assert all(0 <= done <= total == len(data) for done, total in calls)


# --- every era ----------------------------------------------------------------------------------


def test_2022_format_with_preamble_emails_and_dates():
    text = PREAMBLE + HEADER_2022 + "\n" + (
        "Priya,Raman,https://www.linkedin.com/in/priya-raman-1a2b3c,priya@example.org,Globex,CTO,09 Oct 2024\n"
        "Tom,Berg,https://www.linkedin.com/in/tomberg,,Initech,Analyst,1 Mar 2023\n"
    )
    result = parse_text(text)
    assert result.issues == []
    priya, tom = result.records
    assert (priya.name, priya.emails, priya.company, priya.role) == ("Priya Raman", ["priya@example.org"], "Globex", "CTO")
    assert priya.connected_on == "2024-10-09"
    assert priya.source_id == "https://www.linkedin.com/in/priya-raman-1a2b3c"
    assert priya.line == 5 and tom.line == 6
    assert tom.connected_on == "2023-03-01"
    assert tom.tags == []


def test_2021_format_without_preamble_or_url():
    text = HEADER_2021 + "\n" + (
        "Maria,Gonzalez,maria.g@example.com,Acme Corp,Head of Sales,08 Jan 2021\n"
        "Ken,Ito,,Umbrella,Engineer,15 Jun 2020\n"
    )
    result = parse_text(text)
    assert result.issues == []
    maria, ken = result.records
    assert maria.name == "Maria Gonzalez"
    assert maria.linkedin_url == ""
    assert maria.source_id == "maria.g@example.com"
    assert maria.connected_on == "2021-01-08"
    assert maria.line == 2
    # No URL and no email: the id falls back to name and company.
    assert ken.source_id == "ken ito|umbrella"
    assert ken.connected_on == "2020-06-15"


def test_2018_format_with_us_dates_and_times():
    text = HEADER_2021 + ",Tags\n" + (
        'Anna,Svensson,anna@example.se,Volvo,Designer,"1/8/18, 6:14 PM",\n'
        'Omar,Haddad,,Careem,PM,"12/31/17, 11:02 AM",\n'
        'Lena,Vogel,,SAP,Dev,"13/2/18, 9:00 AM",\n'
    )
    result = parse_text(text)
    assert result.issues == []
    assert [r.connected_on for r in result.records] == ["2018-01-08", "2017-12-31", "2018-02-13"]


def test_bom_and_crlf():
    text = "\ufeff" + HEADER_2021 + "\n" + "Jo,Park,jo@example.com,Naver,Lead,02 Feb 2022\n"
    result = parse_text(text, encoding="utf-8", newline="\r\n")
    assert result.issues == []
    assert [(r.name, r.emails, r.connected_on) for r in result.records] == [
        ("Jo Park", ["jo@example.com"], "2022-02-02")
    ]


def test_bom_before_preamble_and_crlf():
    text = "\ufeff" + PREAMBLE + HEADER_2022 + "\n" + "Jo,Park,,,Naver,Lead,02 Feb 2022\n"
    result = parse_text(text, newline="\r\n")
    assert [(r.name, r.line) for r in result.records] == [("Jo Park", 5)]


def test_emoji_commas_and_doubled_quotes_in_names():
    text = HEADER_2022 + "\n" + (
        '"Zoë 🚀","Smith, PhD",https://www.linkedin.com/in/zoe,,"Acme ""Labs"", Inc.",CTO,09 Oct 2024\n'
        '"Bob ""The Builder""",Jones,,,"Fix, It",Owner,10 Oct 2024\n'
    )
    result = parse_text(text)
    assert result.issues == []
    zoe, bob = result.records
    assert zoe.name == "Zoë 🚀 Smith, PhD"
    assert zoe.company == 'Acme "Labs", Inc.'
    assert bob.name == 'Bob "The Builder" Jones'
    assert bob.company == "Fix, It"


def test_stray_spaces_and_tabs_are_trimmed():
    text = HEADER_2022 + "\n" + " Ann \t,\t Lee ,  https://www.linkedin.com/in/annlee/ ,  ann@example.com ,\tMeta , PM ,  05 May 2022 \n"
    (ann,) = parse_text(text).records
    assert (ann.name, ann.company, ann.role, ann.emails) == ("Ann Lee", "Meta", "PM", ["ann@example.com"])
    assert ann.linkedin_url == "https://www.linkedin.com/in/annlee"
    assert ann.connected_on == "2022-05-05"


def test_removed_members_are_skipped_and_counted():
    text = PREAMBLE + HEADER_2022 + "\n" + (
        ",,,,,,22 Dec 2025\n"
        "Real,Person,,,,,21 Dec 2025\n"
        ",,,,,,20 Dec 2025\n"
    )
    result = parse_text(text)
    assert [r.name for r in result.records] == ["Real Person"]
    assert result.skipped == 2
    assert result.skipped_reasons == {"removed member": 2}
    assert result.issues == []


def test_bad_rows_are_reported_by_line_and_the_rest_import():
    text = HEADER_2022 + "\n" + (
        "Good,One,,,A,B,01 Jan 2024\n"
        "Too,Many,,,Acme, Inc,CEO,01 Jan 2024\n"  # unquoted comma
        "Short,Row\n"
        "Good,Two,,,A,B,02 Jan 2024\n"
    )
    result = parse_text(text)
    assert [r.name for r in result.records] == ["Good One", "Good Two"]
    assert [i.line for i in result.issues] == [3, 4]
    assert "expected 7 fields, found 8 (an unquoted comma?)" in result.issues[0].message
    assert "found 2" in result.issues[1].message and "comma" not in result.issues[1].message  # too few: no comma to blame


def test_trailing_empty_cells_are_tolerated():
    text = HEADER_2022 + "\n" + "Extra,Commas,,,A,B,01 Jan 2024,,\n"
    result = parse_text(text)
    assert [r.name for r in result.records] == ["Extra Commas"]
    assert result.issues == []


def test_undecodable_row_in_a_utf8_file_is_reported():
    data = (
        HEADER_2022.encode() + b"\n"
        + "Jürgen,Klopp,,,LFC,Coach,01 Jan 2024\n".encode()
        + b"Bad,\xff\xfeRow,,,X,Y,02 Jan 2024\n"
        + "Ümit,Öz,,,Z,W,03 Jan 2024\n".encode()
    )
    result = parse_linkedin(data)
    assert [r.name for r in result.records] == ["Jürgen Klopp", "Ümit Öz"]
    assert [(i.line, "UTF-8" in i.message) for i in result.issues] == [(3, True)]


def test_whole_windows_1252_file_is_read_as_such():
    data = (HEADER_2021 + "\n" + "José,Muñoz,,Café Ltd,Barista,01 Jan 2024\n").encode("cp1252")
    result = parse_linkedin(data)
    assert result.issues == []
    assert [(r.name, r.company) for r in result.records] == [("José Muñoz", "Café Ltd")]


def test_unclosed_quote_does_not_swallow_the_file():
    text = HEADER_2022 + "\n" + (
        '"Broken,Row,,,A,B,01 Jan 2024\n'
        "Next,Person,,,C,D,02 Jan 2024\n"
        "Last,Person,,,E,F,03 Jan 2024\n"
    )
    result = parse_text(text)
    assert [r.name for r in result.records] == ["Next Person", "Last Person"]
    assert [i.line for i in result.issues] == [2]
    assert "never closed" in result.issues[0].message


def test_stray_quote_closed_by_a_later_row_costs_only_its_own_line():
    text = HEADER_2022 + "\n" + (
        'Open,"Quote,,,A,B,01 Jan 2024\n'
        "Next,Person,,,C,D,02 Jan 2024\n"
        '"Closing, here",X,,,E,F,03 Jan 2024\n'
        "Last,One,,,G,H,04 Jan 2024\n"
    )
    result = parse_text(text)
    assert [r.name for r in result.records] == ["Next Person", "Closing, here X", "Last One"]
    assert [i.line for i in result.issues] == [2]
    assert "runs over 3 lines" in result.issues[0].message


def test_multiline_quoted_position_keeps_line_numbers():
    text = HEADER_2022 + "\n" + (
        'Multi,Line,,,Acme,"Head of\nEverything",01 Jan 2024\n'
        "After,It,,,B,C,02 Jan 2024\n"
    )
    result = parse_text(text)
    assert [(r.name, r.line) for r in result.records] == [("Multi Line", 2), ("After It", 4)]
    assert result.records[0].role == "Head of Everything"


def test_bad_date_keeps_the_contact_and_reports():
    text = HEADER_2021 + "\n" + "Dan,Wu,,X,Y,someday\n"
    result = parse_text(text)
    assert [(r.name, r.connected_on) for r in result.records] == [("Dan Wu", None)]
    assert [i.line for i in result.issues] == [2]
    assert "someday" in result.issues[0].message


def test_not_a_linkedin_file():
    result = parse_linkedin(b"Name,Phone\nBob,123\n")
    assert result.records == []
    assert [i.line for i in result.issues] == [1]
    assert "header" in result.issues[0].message


def test_issue_messages_stay_on_one_line():
    text = HEADER_2021 + "\n" + 'Dan,Wu,,X,Y,"some\nday"\n'
    result = parse_text(text)
    assert all("\n" not in i.message for i in result.issues)
    assert result.issues


# --- dates and URLs -----------------------------------------------------------------------------


def test_month_names_come_from_a_fixed_english_table():
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert [parse_connected_on(f"05 {m} 2024") for m in months] == [f"2024-{i:02d}-05" for i in range(1, 13)]
    assert parse_connected_on("5 sept 2022") == "2022-09-05"
    assert parse_connected_on("March 3, 2019") == "2019-03-03"
    assert parse_connected_on("2020-02-29") == "2020-02-29"
    assert parse_connected_on("31 Feb 2024") is None
    assert parse_connected_on("05 Okt 2024") is None


def test_normalize_linkedin_url():
    expected = "https://www.linkedin.com/in/jane-doe"
    for url in [
        "https://www.linkedin.com/in/jane-doe",
        "http://WWW.LinkedIn.com/in/Jane-Doe/",
        "https://de.linkedin.com/in/jane-doe?trk=public_profile#about",
        "linkedin.com/in/jane-doe",
        "www.linkedin.com/in/jane-doe/details/experience/",
        "  https://m.linkedin.com/in/jane-doe  ",
    ]:
        assert normalize_linkedin_url(url) == expected, url
    assert normalize_linkedin_url("https://www.linkedin.com/in/j%C3%BCrgen") == "https://www.linkedin.com/in/j%C3%BCrgen"
    assert normalize_linkedin_url("https://www.linkedin.com/in/jürgen") == "https://www.linkedin.com/in/j%C3%BCrgen"
    assert normalize_linkedin_url("https://example.com/in/x") == "https://example.com/in/x"
    assert normalize_linkedin_url("") == ""


def test_is_linkedin_url():
    assert is_linkedin_url("https://www.linkedin.com/in/x")
    assert is_linkedin_url("linkedin.com/in/x")
    assert is_linkedin_url("https://uk.linkedin.com/in/x")
    assert not is_linkedin_url("https://notlinkedin.com/in/x")
    assert not is_linkedin_url("https://linkedin.com.evil.example/in/x")
    assert not is_linkedin_url("ftp://linkedin.com/in/x")
    assert not is_linkedin_url("")


# --- robustness ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    result = parse_linkedin(data)
    assert isinstance(result, ParseResult)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',"\n\r\t ab1/:é🚀')), max_size=400))
def test_random_rows_after_a_header_never_raise(body):
    result = parse_linkedin((HEADER_2022 + "\n" + body).encode())
    assert isinstance(result, ParseResult)
    for record in result.records:
        assert record.name and record.source == "linkedin"
