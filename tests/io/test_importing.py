"""Importing contacts: idempotent, matched in a fixed order, all-or-nothing, honest dry runs."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from netmaint_tui.cli import main
from netmaint_tui.io.linkedin import parse_linkedin
from netmaint_tui.io.records import ImportRecord
from netmaint_tui.io.vcard import parse_vcard
from netmaint_tui.services import importing
from netmaint_tui.services.contacts import add_contact, contact_detail
from netmaint_tui.services.exporting import snapshot
from netmaint_tui.services.importing import import_records
from netmaint_tui.store.models import Contact, database

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
)


def connections(*rows: str) -> bytes:
    """A LinkedIn Connections.csv (2022+ layout); data rows start on line 5."""
    return (PREAMBLE + "".join(r + "\n" for r in rows)).encode()


def run_import(ctx, data: bytes, **kw):
    parsed = parse_linkedin(data)
    return import_records(ctx, parsed.records, source="linkedin", **kw)


def contacts_state() -> list[dict]:
    doc = snapshot()
    for c in doc["contacts"]:
        c.pop("updated_at")
    return doc["contacts"]


def by_name(name: str) -> Contact:
    return Contact.get(Contact.name == name)


def counts(report) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.unchanged, report.skipped


# --- idempotency and updates ------------------------------------------------------------------


def test_the_sample_export_imports_once_and_then_changes_nothing(tmp_db, ctx):
    data = (SAMPLES / "linkedin_Connections_2025.csv").read_bytes()
    assert counts(run_import(ctx, data)) == (1, 0, 0, 0)
    before = snapshot()
    assert counts(run_import(ctx, data)) == (0, 0, 1, 0)
    assert snapshot() == before  # not even updated_at moved
    alex = by_name("Alex Rohrberg")
    assert (alex.company, alex.role, str(alex.connected_on)) == ("Schneider Electric", "Software Engineer", "2025-12-22")
    assert alex.source == "linkedin" and alex.linkedin_url == "https://www.linkedin.com/in/alexrohrberg"


def test_every_sample_vcard_imports_and_a_second_pass_changes_nothing(tmp_db, ctx):
    files = sorted(SAMPLES.glob("*.vcf"))
    assert files
    for f in files:
        import_records(ctx, parse_vcard(f.read_bytes()).records, source="vcard")
    before = snapshot()
    for f in files:
        report = import_records(ctx, parse_vcard(f.read_bytes()).records, source="vcard")
        assert (report.added, report.updated, report.skipped) == (0, 0, 0), f.name
    assert snapshot() == before


def test_next_months_export_updates_company_position_and_date_without_duplicating(tmp_db, ctx):
    run_import(ctx, connections(
        "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind Labs,Engineer,09 Oct 2024",
        "Omar,Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023",
    ))
    report = run_import(ctx, connections(
        "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Bluefin Health,Head of Data,10 Oct 2024",
        "Omar,Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023",
    ))
    assert counts(report) == (0, 1, 1, 0)
    assert Contact.select().count() == 2
    dana = by_name("Dana Haddad")
    assert (dana.company, dana.role, str(dana.connected_on)) == ("Bluefin Health", "Head of Data", "2024-10-10")
    [change] = [c for c in report.changes if c.action == "update"]
    assert change.fields["company"] == ("Northwind Labs", "Bluefin Health")


def test_a_field_the_file_leaves_empty_never_blanks_what_the_user_typed(tmp_db, ctx):
    cid = add_contact(ctx, "Dana Haddad", company="Northwind Labs", role="CTO", notes="met at PyCon",
                      emails=["dana@home.example"], tags=["mentor"])
    report = import_records(ctx, [ImportRecord(
        name="Dana Haddad", company="Northwind Labs", role="", emails=["DANA@home.example", "dana@work.example"],
        tags=["mentor", "client"], source="vcard", source_id="uid-1", line=3,
    )], source="vcard")
    assert counts(report) == (0, 1, 0, 0)
    detail = contact_detail(ctx, cid)
    assert detail.role == "CTO" and detail.notes == "met at PyCon"
    assert detail.emails == ["dana@home.example", "dana@work.example"]  # merged, case-insensitively
    assert sorted(detail.tags) == ["client", "mentor"]


def test_a_file_that_names_someone_twice_adds_them_once(tmp_db, ctx):
    row = "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind,CTO,09 Oct 2024"
    assert counts(run_import(ctx, connections(row, row))) == (1, 0, 1, 0)
    assert counts(run_import(ctx, connections(row, row))) == (0, 0, 2, 0)


# --- matching order ---------------------------------------------------------------------------


def record(**kw) -> ImportRecord:
    kw.setdefault("name", "Dana Haddad")
    kw.setdefault("source", "vcard")
    return ImportRecord(**kw)


def test_matching_prefers_the_source_id_over_an_email(tmp_db, ctx):
    a = add_contact(ctx, "A", source="vcard", source_id="uid-1")
    b = add_contact(ctx, "B", emails=["x@example.org"])
    import_records(ctx, [record(source_id="uid-1", emails=["x@example.org"], location="Oslo")], source="vcard")
    assert Contact.get_by_id(a).location == "Oslo" and Contact.get_by_id(b).location == ""


def test_matching_prefers_an_email_over_the_linkedin_url(tmp_db, ctx):
    a = add_contact(ctx, "A", emails=["x@example.org"])
    b = add_contact(ctx, "B", linkedin_url="https://www.linkedin.com/in/dana")
    import_records(ctx, [record(emails=["X@Example.org"], linkedin_url="https://linkedin.com/in/Dana/",
                                location="Oslo")], source="vcard")
    assert Contact.get_by_id(a).location == "Oslo" and Contact.get_by_id(b).location == ""


def test_matching_prefers_the_linkedin_url_over_name_and_company(tmp_db, ctx):
    a = add_contact(ctx, "Someone Else", linkedin_url="https://www.linkedin.com/in/dana")
    b = add_contact(ctx, "Dana Haddad", company="Acme")
    import_records(ctx, [record(company="Acme", linkedin_url="https://de.linkedin.com/in/DANA?trk=x",
                                location="Oslo")], source="vcard")
    assert Contact.get_by_id(a).location == "Oslo" and Contact.get_by_id(b).location == ""


def test_name_and_company_match_last_ignoring_case_and_spacing(tmp_db, ctx):
    a = add_contact(ctx, "Dana  Haddad", company="ACME labs")
    report = import_records(ctx, [record(name="dana haddad", company="Acme Labs", location="Oslo")], source="vcard")
    assert counts(report) == (0, 1, 0, 0)
    assert Contact.get_by_id(a).location == "Oslo"


def test_two_linkedin_profiles_with_the_same_name_and_company_are_two_people(tmp_db, ctx):
    report = run_import(ctx, connections(
        "John,Smith,https://www.linkedin.com/in/john-smith-1,,Acme,Engineer,01 Jan 2024",
        "John,Smith,https://www.linkedin.com/in/john-smith-2,,Acme,Engineer,01 Jan 2024",
    ))
    assert counts(report) == (2, 0, 0, 0)


def test_a_match_adopts_the_source_id_so_the_next_import_finds_them_after_a_move(tmp_db, ctx):
    cid = add_contact(ctx, "Dana Haddad", company="Northwind")
    run_import(ctx, connections("Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind,CTO,09 Oct 2024"))
    assert Contact.get_by_id(cid).source_id == "https://www.linkedin.com/in/dana-h"
    run_import(ctx, connections("Dana,Haddad,https://www.linkedin.com/in/dana-h,,Bluefin,CTO,09 Oct 2024"))
    assert Contact.select().count() == 1 and Contact.get_by_id(cid).company == "Bluefin"


# --- dry run, bad records, atomicity ----------------------------------------------------------


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_does(tmp_db, ctx):
    run_import(ctx, connections("Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind,CTO,09 Oct 2024"))
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    data = connections(
        "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Bluefin,CTO,09 Oct 2024",
        "Omar,Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023",
        "Lena,Nakamura,https://www.linkedin.com/in/lena,,Acme,Analyst,01 Jan 2023",
    )
    before, digest = snapshot(), file_digest(tmp_db.path)
    dry = run_import(ctx, data, dry_run=True)
    assert dry.dry_run and counts(dry) == (2, 1, 0, 0)
    assert [(c.action, c.line, c.name) for c in dry.changes] == [
        ("update", 5, "Dana Haddad"), ("add", 6, "Omar Fischer"), ("add", 7, "Lena Nakamura")]
    assert snapshot() == before and file_digest(tmp_db.path) == digest
    assert counts(run_import(ctx, data)) == counts(dry)


def test_a_bad_record_is_reported_with_its_line_and_the_rest_import(tmp_db, ctx):
    records = [
        record(name="Good One", line=5),
        record(name="   ", line=6),
        record(name="x" * 1_000_000, line=7),
        record(name="Odd Birthday", birthday="1980-02-30", line=8),
        record(name="Huge Company", company="c" * 1_048_576, line=9),
        record(name="Long Note", notes="n" * 1_048_576, line=10),
    ]
    report = import_records(ctx, records, source="vcard")
    assert counts(report) == (4, 0, 0, 2)
    lines = {i.line: i.message for i in report.issues}
    assert set(lines) == {6, 7, 8, 9}
    assert "name is empty" in lines[6] and "skipped" in lines[7] and "1,000,000 characters" in lines[7]
    assert "birthday" in lines[8] and "imported without it" in lines[8]
    assert "company" in lines[9] and "\n" not in "".join(lines.values())
    assert by_name("Odd Birthday").birthday is None and by_name("Huge Company").company == ""
    assert len(by_name("Long Note").notes) == 1_048_576


def test_a_failure_midway_leaves_nothing_written(tmp_db, ctx, monkeypatch):
    cid = add_contact(ctx, "Dana Haddad", company="Northwind", source="linkedin",
                      source_id="https://www.linkedin.com/in/dana-h", linkedin_url="https://www.linkedin.com/in/dana-h")
    before = snapshot()
    monkeypatch.setattr(importing.Writer, "BATCH", 1)  # every row reaches the database at once

    def progress(done, total):
        if done == 3:
            raise OSError("disk full")

    data = connections(
        "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Bluefin,CTO,09 Oct 2024",
        "Omar,Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023",
        "Lena,Nakamura,https://www.linkedin.com/in/lena,,Acme,Analyst,01 Jan 2023",
        "Yuki,Okafor,https://www.linkedin.com/in/yuki,,Acme,Analyst,01 Jan 2023",
    )
    with pytest.raises(OSError):
        run_import(ctx, data, progress=progress)
    assert snapshot() == before
    assert Contact.get_by_id(cid).company == "Northwind"


def test_progress_is_reported_up_to_the_total(tmp_db, ctx):
    seen = []
    rows = [f"P{i},Q,https://www.linkedin.com/in/p{i},,Acme,Analyst,01 Jan 2023" for i in range(250)]
    run_import(ctx, connections(*rows), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (250, 250)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert 2 < len(seen) <= 260


def test_a_20_mb_photo_and_a_1_mb_note_do_not_stall_an_import(tmp_db, ctx):
    photo = base64.b64encode(b"\x89PNG" + bytes(15_000_000)).decode()
    folded = "\r\n ".join(photo[i:i + 74] for i in range(0, len(photo), 74))
    note = "word " * 210_000
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nEMAIL:big@example.org\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nNOTE:{note}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small One\r\nEND:VCARD\r\n"
    ).encode()
    assert len(card) > 20_000_000
    import time

    began = time.perf_counter()
    report = import_records(ctx, parse_vcard(card).records, source="vcard")
    elapsed = time.perf_counter() - began
    assert counts(report) == (2, 0, 0, 0)
    assert len(by_name("Big Photo").notes) > 1_000_000
    assert elapsed < 20  # generous: a stall would be minutes


# --- the command ------------------------------------------------------------------------------


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_issues_with_lines_then_one_summary(env, tmp_path, capsys):
    path = tmp_path / "Connections.csv"
    path.write_bytes(connections(
        "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind,CTO,09 Oct 2024",
        ",,,,,,10 Oct 2024",
        'Omar,"Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023',
        "Lena,Nakamura,https://www.linkedin.com/in/lena,,Acme,Analyst,01 Jan 2023",
    ))
    code, out, err = run_cli(capsys, "import", "linkedin", str(path))
    assert code == 0
    assert err.splitlines() and all(line.startswith("line 7: ") for line in err.splitlines())
    assert out == "imported Connections.csv: 2 added, 0 updated, 0 unchanged, 1 skipped (1 removed member)\n"
    code, out, err = run_cli(capsys, "import", "linkedin", str(path))
    assert out == "imported Connections.csv: 0 added, 0 updated, 2 unchanged, 1 skipped (1 removed member)\n"


def test_the_dry_run_command_lists_what_would_change(env, tmp_path, capsys):
    path = tmp_path / "Connections.csv"
    path.write_bytes(connections("Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind,CTO,09 Oct 2024"))
    code, out, err = run_cli(capsys, "import", "linkedin", "--dry-run", str(path))
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "line 5: would add Dana Haddad",
        "dry run, nothing written: Connections.csv: 1 added, 0 updated, 0 unchanged, 0 skipped",
    ]
    assert not (env.db.parent / "backups").exists()
    code, out, err = run_cli(capsys, "due", "--json")
    assert out.strip() == "[]"


def files_under(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else "folder")
            for p in sorted(folder.rglob("*"))} if folder.exists() else {}


def test_a_dry_run_creates_and_changes_no_file(env, ctx, tmp_path, capsys):
    """It used to create the database (and its folders) it was only asked to look at."""
    from netmaint_tui.store.db import open_database

    path = tmp_path / "Connections.csv"
    path.write_bytes(connections("Dana,Haddad,https://www.linkedin.com/in/dana-h,,Northwind,CTO,09 Oct 2024",
                                 "Omar,Fischer,https://www.linkedin.com/in/omar-f,,Acme,CTO,09 Oct 2024"))
    data_folder = env.db.parent

    def dry_run() -> str:
        code, out, err = run_cli(capsys, "import", "linkedin", "--dry-run", str(path))
        assert (code, err) == (0, ""), err
        return out.splitlines()[-1].split(": ")[-1].split(",")[0]  # "N added"

    # No database yet: what an empty one would get, and no database, no folder.
    assert dry_run() == "2 added"
    assert not data_folder.exists()

    # A database as a closed netmaint leaves it: not a byte nor a file (-wal, -shm, backups) more.
    run_cli(capsys, "add", "Dana Haddad", "--linkedin", "https://www.linkedin.com/in/dana-h", "--company", "Northwind")
    before = files_under(data_folder)
    assert dry_run() == "1 added"
    assert files_under(data_folder) == before

    # Another netmaint holding it open, with a commit still in its -wal: read through, nothing added.
    held = open_database(env.db)
    try:
        add_contact(ctx, "Omar Fischer", linkedin_url="https://www.linkedin.com/in/omar-f")
        before = files_under(data_folder)
        assert set(before) >= {"netmaint.db-wal", "netmaint.db-shm"}
        assert dry_run() == "0 added"
        assert set(files_under(data_folder)) == set(before)
    finally:
        held.close()

    # A file of an older schema: upgraded in memory, never on disk.
    conn = sqlite3.connect(env.db)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    before = files_under(data_folder)
    assert dry_run() == "0 added"
    assert files_under(data_folder) == before


def test_a_missing_file_is_one_line_and_exit_status_2(env, tmp_path, capsys):
    code, out, err = run_cli(capsys, "import", "vcard", str(tmp_path / "nope.vcf"))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"netmaint: cannot read {tmp_path / 'nope.vcf'}: No such file or directory"]


def test_every_import_is_preceded_by_an_automatic_backup(env, tmp_path, capsys):
    assert main(["add", "Dana Haddad", "--company", "Northwind"]) == 0
    path = tmp_path / "Connections.csv"
    path.write_bytes(connections("Omar,Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023"))
    capsys.readouterr()
    assert main(["import", "linkedin", str(path)]) == 0
    backups = sorted((env.db.parent / "backups").glob("*-before-import.db"))
    assert len(backups) == 1
    names = [r[0] for r in sqlite3.connect(backups[0]).execute("SELECT name FROM contact")]
    assert names == ["Dana Haddad"]  # the state before the import


def test_the_progress_bar_draws_only_on_a_terminal():
    from netmaint_tui.cli.base import ProgressBar

    class Stream(io.StringIO):
        def __init__(self, tty):
            super().__init__()
            self.tty = tty

        def isatty(self):
            return self.tty

    ticks = iter(range(100))
    piped = Stream(False)
    bar = ProgressBar("importing x", stream=piped, clock=lambda: next(ticks))
    bar.phase("saving")(5, 10)
    bar.close()
    assert piped.getvalue() == ""
    terminal = Stream(True)
    bar = ProgressBar("importing x", stream=terminal, clock=lambda: next(ticks))
    bar.phase("saving")(5, 10)
    assert "saving" in terminal.getvalue() and "50%" in terminal.getvalue()
    bar.close()
    assert terminal.getvalue().endswith("\r\x1b[K")


def test_import_file_runs_the_whole_pipeline_for_the_app(tmp_db, ctx):
    from netmaint_tui.services.import_file import import_file

    add_contact(ctx, "Dana Haddad", company="Northwind", linkedin_url="https://www.linkedin.com/in/dana-h")
    data = connections(
        "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Bluefin,CTO,09 Oct 2024",
        ",,,,,,10 Oct 2024",
        'Omar,"Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023',
        "Lena,Nakamura,https://www.linkedin.com/in/lena,,Acme,Analyst,01 Jan 2023",
    )
    phases = []
    report = import_file(ctx, "linkedin", data, progress=lambda phase, done, total: phases.append(phase))
    assert counts(report) == (1, 1, 0, 1)
    assert report.left_out == {"removed member": 1}
    assert [i.line for i in report.issues] == [7]
    assert phases[0] == "reading" and phases[-1] == "saving" and "saving" not in phases[:phases.index("saving")]
    assert report.backup is not None and report.backup.name.endswith("-before-import.db")
    import sqlite3

    assert [r[0] for r in sqlite3.connect(report.backup).execute("SELECT company FROM contact")] == ["Northwind"]
    dry = import_file(ctx, "linkedin", data, dry_run=True)
    assert dry.backup is None and counts(dry) == (0, 0, 2, 1)


def _kinds(tmp_path) -> dict[str, Path]:
    """One file of each format the importer reads."""
    from tests.io.test_google import CURRENT_HEADER, row

    google = tmp_path / "contacts.csv"
    google.write_text(CURRENT_HEADER + "\n" + row(CURRENT_HEADER, first_name="Dana", last_name="Haddad",
                                                  e_mail_1_value="dana@example.org") + "\n")
    export = tmp_path / "my network.yaml"  # a space: the command it names must still work as shown
    export.write_text("format: netmaint\nversion: 1\ncontacts:\n- name: Dana Haddad\n")
    return {"linkedin": SAMPLES / "linkedin_Connections_2025.csv", "vcard": SAMPLES / "google_gmail_export_v30.vcf",
            "google": google, "json": export}


KINDS = ("linkedin", "vcard", "google", "json")


@pytest.mark.parametrize("given, actual", [(g, a) for g in KINDS for a in KINDS if g != a])
def test_a_file_of_another_format_is_refused_with_the_command_that_reads_it(env, capsys, tmp_path, given, actual):
    """A Google Contacts CSV given as LinkedIn's used to import, and again as Google's made duplicates."""
    import shlex

    from netmaint_tui.io.formats import file_format

    source = _kinds(tmp_path)[actual]
    for extra in ([], ["--dry-run"]):
        code, out, err = run_cli(capsys, "import", given, str(source), *extra)
        assert (code, out) == (2, "") and len(err.splitlines()) == 1, err
        assert f"looks like a {file_format(actual).label}" in err and "nothing was imported" in err
        assert err.rstrip().endswith(f"netmaint import {actual} {shlex.quote(str(source))}")
    assert not env.db.exists(), "refused before the database was even opened"
    code, out, err = run_cli(capsys, "import", actual, str(source))  # the command it names works
    assert code == 0 and json.loads(run_cli(capsys, "due", "--json")[1]), err


def test_each_format_is_recognized_by_one_function_and_only_its_own(tmp_path):
    from netmaint_tui.io.formats import IMPORTS, identify

    files = {**_kinds(tmp_path), "google-legacy": tmp_path / "legacy.csv", "json-from-export": tmp_path / "x.json"}
    from tests.io.test_google import LEGACY_HEADER

    files["google-legacy"].write_text(LEGACY_HEADER + "\n")
    files["json-from-export"].write_text('{\n  "format": "netmaint",\n  "version": 1\n}\n')
    for path in SAMPLES.glob("*.vcf"):
        files[f"vcard-{path.name}"] = path
    for kind, path in files.items():
        data = path.read_bytes()
        assert [f.name for f in IMPORTS if f.recognizes(data)] == [kind.split("-")[0]], kind
    # What does not say what it is is left to the parser: a hand-made CSV, other JSON, nothing.
    for data in (b"First Name,Last Name,Email\nAnn,Lee,ann@x.org\n", b'{"contacts": []}', b"", b"\x00" * 100):
        assert identify(data) is None, data


def test_the_linkedin_parser_does_not_take_a_google_header_for_its_own(tmp_path):
    from netmaint_tui.io.google import parse_google

    data = _kinds(tmp_path)["google"].read_bytes()
    assert [r.name for r in parse_google(data).records] == ["Dana Haddad"]
    parsed = parse_linkedin(data)
    assert parsed.records == [] and parsed.wrong_format


def test_an_old_export_without_urls_follows_a_job_change_by_name(tmp_db, ctx):
    """LinkedIn's exports before 2020 have no URL column and most rows no email: next month's
    file with a new company updates the person instead of adding a second one. Two LinkedIn
    contacts of that name (or one with a profile URL) are never guessed between."""
    old = "First Name,Last Name,Email Address,Company,Position,Connected On\n"
    first = run_import(ctx, (old + "Bo,Li,,X,Engineer,01 Jan 2019\nAnn,Lee,,Acme,PM,01 Jan 2019\n").encode())
    assert first.added == 2
    moved = run_import(ctx, (old + "Bo,Li,,X2,Lead,01 Jan 2019\n").encode())
    assert (moved.added, moved.updated) == (0, 1)
    (bo,) = [c for c in contacts_state() if c["name"] == "Bo Li"]
    assert bo["company"] == "X2"
    # A second Ann Lee from LinkedIn: the name no longer says which one, so a new company adds.
    run_import(ctx, connections("Ann,Lee,https://www.linkedin.com/in/ann-lee-2,,Beta,CTO,01 Feb 2020"))
    run_import(ctx, (old + "Ann,Lee,,Gamma,PM,01 Jan 2019\n").encode())
    assert len([c for c in contacts_state() if c["name"] == "Ann Lee"]) == 3
    # Two John Smiths in one file are two people, the first time and every time after.
    twice = (old + "John,Smith,,Acme,PM,01 Jan 2019\nJohn,Smith,,Globex,CTO,01 Jan 2019\n").encode()
    assert run_import(ctx, twice).added == 2
    again = run_import(ctx, twice)
    assert (again.added, again.updated) == (0, 0)
    assert sorted(c["company"] for c in contacts_state() if c["name"] == "John Smith") == ["Acme", "Globex"]
