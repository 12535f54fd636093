"""A contacts CSV imported from disk is read, matched and written as a stream: the same outcome
as reading the whole file, whatever its line ends, encoding and size, in bounded memory."""

from __future__ import annotations

import io
import os
import threading
import tracemalloc

import pytest

from netmaint_tui.io import records
from netmaint_tui.io.linkedin import parse_linkedin, stream_linkedin
from netmaint_tui.services.contacts import add_contact
from netmaint_tui.services.import_file import import_file, import_path
from netmaint_tui.services.importing import ContactIndex
from tests.io.test_importing import PREAMBLE, contacts_state, counts

ROWS = [
    "Dana,Haddad,https://www.linkedin.com/in/dana-h,,Bluefin,CTO,09 Oct 2024",
    ",,,,,,10 Oct 2024",
    'Omar,"Fischer,https://www.linkedin.com/in/omar-f,,Acme,Analyst,01 Jan 2023',
    "Lena,Nakamura,https://www.linkedin.com/in/lena,,Acme,Analyst,01 Jan 2023",
    'Dana,Haddad,https://www.linkedin.com/in/dana-h/,dana@x.org,Northwind,"Head of\nThings, Inc",09 Oct 2024',
    "Lena,Nakamura,,,Acme,Analyst,01 Jan 2023",
    'Zoë,Müller,https://www.linkedin.com/in/zoe,zoe@x.org,"Quill, & Co","VP ""Sales""",1/8/18',
    "Too,Many,https://www.linkedin.com/in/tm,,a,b,c,d",
    "Bo,Li,,,X2,Lead,01 Jan 2019",
    "Old,Timer,,,Acme,Analyst,01 Jan 2020",
    "Old,Timer,,,Other,Analyst,01 Jan 2020",
    "Mia,Sato,,mia@x.org,Acme,Dev,01 Jan 2021",
    "Mia,Sato,,MIA@x.org,Acme2,Dev,01 Jan 2021",
]
TEXT = PREAMBLE + "".join(r + "\n" for r in ROWS)


def outcome(report):
    return counts(report), [(i.line, i.message) for i in report.issues], report.left_out


def fates(changes):
    return [(c.action, c.line, c.name, c.matched, c.how, c.fields) for c in changes]


@pytest.fixture
def known(tmp_db, ctx):
    # Earlier LinkedIn contacts: Bo Li is found again by name alone (his row has no URL or email),
    # and Old Timer is not, as the file names him twice.
    add_contact(ctx, "Bo Li", company="X")
    add_contact(ctx, "Old Timer", company="Y")
    from netmaint_tui.store.models import Contact

    Contact.update(source="linkedin").execute()
    return ctx


@pytest.mark.parametrize("in_memory", [ContactIndex.IN_MEMORY, 0, 3])
def test_a_streamed_import_has_the_outcome_of_a_whole_file_import(known, tmp_path, monkeypatch, in_memory):
    ctx = known
    path = tmp_path / "Connections.csv"
    path.write_text(TEXT, encoding="utf-8")
    expected = import_file(ctx, "linkedin", TEXT.encode(), dry_run=True)
    assert ("update", 14, "Bo Li") in [(c.action, c.line, c.name) for c in expected.changes]

    monkeypatch.setattr(ContactIndex, "IN_MEMORY", in_memory)  # 0: every contact added goes to the file
    found = []
    dry = import_path(ctx, "linkedin", path, dry_run=True, on_change=found.append)
    assert outcome(dry) == outcome(expected)
    assert dry.changes == []  # given to on_change as found, none kept
    assert fates(found) == fates(expected.changes)

    real = import_path(ctx, "linkedin", path, backup=False)
    assert outcome(real) == outcome(expected)
    state = contacts_state()
    assert sorted(c["name"] for c in state) == sorted(
        ["Dana Haddad", "Lena Nakamura", "Zoë Müller", "Bo Li", "Old Timer", "Old Timer", "Old Timer",
         "Mia Sato"])
    assert [c["company"] for c in state if c["name"] == "Bo Li"] == ["X2"]
    assert [c["company"] for c in state if c["name"] == "Dana Haddad"] == ["Northwind"]
    again = import_path(ctx, "linkedin", path, backup=False)
    assert again.added == 0


def test_a_file_given_through_a_pipe_is_streamed_from_memory(known, tmp_path):
    ctx = known
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text(TEXT, encoding="utf-8"))
    writer.start()
    report = import_path(ctx, "linkedin", pipe, dry_run=True)
    writer.join()
    assert outcome(report) == outcome(import_file(ctx, "linkedin", TEXT.encode(), dry_run=True))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_where_the_reads_fall_never_changes_what_is_read(monkeypatch, newline, encoding):
    data = TEXT.replace("\n", newline).encode(encoding, errors="replace")
    whole = parse_linkedin(data)
    monkeypatch.setattr(records, "CHUNK_BYTES", 7)  # a row, a CRLF or a UTF-16 character split between reads
    monkeypatch.setattr(records, "HEAD_BYTES", 64)
    export = stream_linkedin(io.BytesIO(data))
    assert list(export) == whole.records
    assert (export.result.issues, export.result.skipped_reasons) == (whole.issues, whole.skipped_reasons)


def test_a_mostly_utf8_file_reports_its_broken_line_and_a_windows_file_is_read_as_such():
    broken = (PREAMBLE + ROWS[0] + "\n").encode() + "Rémi,B,,,Co,R,01 Jan 2023\n".encode("cp1252") + \
        (ROWS[6] + "\n").encode()
    export = stream_linkedin(io.BytesIO(broken))
    assert [r.name for r in export] == ["Dana Haddad", "Zoë Müller"]
    assert [(i.line, i.message) for i in export.result.issues] == [(6, "text is not valid UTF-8; row skipped")]
    windows = stream_linkedin(io.BytesIO((PREAMBLE + "Rémi,B,,,Co,R,01 Jan 2023\n").encode("cp1252")))
    assert [r.name for r in windows] == ["Rémi B"]


def test_reading_a_large_file_holds_a_row_at_a_time(monkeypatch, tmp_path):
    monkeypatch.setattr(records, "CHUNK_BYTES", 16 * 1024)
    path = tmp_path / "Connections.csv"
    row = "Dana,Haddad,https://www.linkedin.com/in/dana-h-{:06d},,Northwind,\"CTO,\nBoard\",09 Oct 2024\n"
    with open(path, "w", encoding="utf-8") as out:
        out.write(PREAMBLE)
        for i in range(40_000):
            out.write(row.format(i))
    size = path.stat().st_size
    with open(path, "rb") as handle:
        tracemalloc.start()
        try:
            read = sum(1 for _ in stream_linkedin(handle))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert read == 40_000
    assert peak < size // 4  # the file whole, or its records, would be more than it


def test_the_command_line_holds_no_change_of_a_real_import_and_prints_a_dry_runs_in_file_order(
        env, tmp_path, capsys, monkeypatch):
    from netmaint_tui.cli import main
    from netmaint_tui.services import import_file as pipeline

    path = tmp_path / "Connections.csv"
    path.write_text(TEXT, encoding="utf-8")
    reports = []
    real_import = pipeline.import_path

    def kept(*args, **kwargs):
        reports.append(real_import(*args, **kwargs))
        return reports[-1]

    monkeypatch.setattr("netmaint_tui.services.import_file.import_path", kept)
    assert main(["import", "linkedin", "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [int(line.split(":")[0].removeprefix("line ")) for line in out[:-1]] == [5, 8, 9, 11, 12, 14, 15, 16, 17, 18]
    assert out[-1].startswith("dry run, nothing written: Connections.csv: 7 added, 2 updated, 1 unchanged")
    assert main(["import", "linkedin", str(path)]) == 0
    assert capsys.readouterr().out.startswith("imported Connections.csv: 7 added")
    assert [r.changes for r in reports] == [[], []]


@pytest.mark.parametrize("in_memory", [ContactIndex.IN_MEMORY, 0, 1])
def test_many_people_of_one_name_and_company_are_told_apart_by_their_profiles(tmp_db, ctx, tmp_path, monkeypatch,
                                                                               in_memory):
    monkeypatch.setattr(ContactIndex, "IN_MEMORY", in_memory)
    rows = [f"Ana,Silva,https://www.linkedin.com/in/ana-{i},,Acme,Dev,01 Jan 2023" for i in range(4)]
    rows += ["Ana,Silva,,ana@x.org,Acme,Lead,01 Jan 2023",  # no profile: the first Ana Silva at Acme
             "Ana,Silva,https://www.linkedin.com/in/ana-2,ana2@x.org,Acme,CTO,01 Jan 2023",
             "Ana,Silva,https://www.linkedin.com/in/ana-9,ana@x.org,Acme,Dev,01 Jan 2023"]  # that email's Ana is ana-0
    path = tmp_path / "Connections.csv"
    path.write_text(PREAMBLE + "".join(r + "\n" for r in rows), encoding="utf-8")
    found = []
    report = import_path(ctx, "linkedin", path, dry_run=True, on_change=found.append)
    assert [(c.action, c.how, c.fields.get("role", ("", ""))[1]) for c in found] == [
        ("add", "", ""), ("add", "", ""), ("add", "", ""), ("add", "", ""),
        ("update", "name and company", "Lead"),
        ("update", "source id", "CTO"),
        ("add", "", ""),
    ]
    assert counts(report) == (5, 2, 0, 0)
