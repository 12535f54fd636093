"""Reading mail headers from mbox files and Maildir folders: the shared samples, `From ` lines in
other encodings, separators across chunk boundaries, messages that cannot be read."""

from __future__ import annotations

import datetime as dt
import mailbox
from pathlib import Path

import pytest

from netmaint_tui.io import mail
from netmaint_tui.io.mail import addresses, decode_words, is_mbox, mailbox_kind, read_mailboxes
from tests.capture_files import maildir, mbox, message, write

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "mail"
T = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def read(*paths):
    problems = []
    found = list(read_mailboxes(paths, problems.append))
    return found, problems


def test_a_list_archive_with_threads_and_encoded_names():
    found, problems = read(SAMPLES / "perceval_mbox_complex.mbox")
    assert problems == [] and len(found) == 2
    first, second = found
    assert first.sender.email == "eloli@hotmail.com" and first.sender.name == "Eugenia Loli-Queru"
    assert [p.email for p in first.to] == ["language-bindings@gnome.org", "desktop-devel-list@gnome.org"]
    assert first.bulk == "List-Id" and first.key == "<BAY12-DAV6Dhd2stb2e0000c0ce@hotmail.com>"
    assert first.where.endswith("perceval_mbox_complex.mbox, message at line 1")
    assert second.where.endswith(", message at line 62")
    assert (second.sender.email, second.sender.name) == ("danilo@gnome.org", "Danilo Šegan")
    assert second.thread == "<1204225143.12769.9.camel@localhost.localdomain>"  # the first of References
    assert [p.email for p in second.cc] == ["desktop-devel-list@gnome.org", "nshmyrev@yandex.ru",
                                            "brian.nitz@sun.com", "hadess@hadess.net"]
    assert second.date == dt.datetime(2008, 3, 17, 10, 35, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_a_from_line_that_is_not_ascii_stops_pythons_reader_but_not_this_one():
    path = SAMPLES / "perceval_mbox_unixfrom_encoding.mbox"
    with pytest.raises(UnicodeDecodeError):
        for _ in mailbox.mbox(path):
            pass
    [msg], problems = read(path)
    assert problems == [] and msg.sender.email == "christian@example.org"
    assert msg.sender.name == "Christian Aistleitner" and msg.subject == "[Analytics] DNT, standards, and expectations"
    assert msg.thread == "<4ADDAFD4-A226-4F68-B02D-EDA5DE355104@wikimedia.org>"


def test_iso_8859_bytes_in_headers_and_in_an_encoded_word_labelled_utf8():
    [msg], problems = read(SAMPLES / "perceval_mbox_iso8859_encoding.mbox")
    assert problems == [] and msg.sender.name == "Lucía Charlie" and msg.sender.email == "lucíacharlie@wellsfargo.com"
    assert msg.subject == "[ovs-dev] Remittance Advice"


def test_a_pipermail_archive_spells_addresses_with_at():
    found, problems = read(SAMPLES / "perceval_pipermail_2015_november.mbox")
    assert problems == []
    assert [(m.sender.email, m.sender.name) for m in found] == [
        ("andy@example.com", "Andy Grunwald"), ("jgb@gsyc.es", "Jesus M. Gonzalez-Barahona"),
        ("andy@example.com", "Andy Grunwald"), ("andy@example.com", "Andy Grunwald"),
    ]
    assert len({m.thread for m in found[1:]}) == 1


def test_body_lines_starting_with_from_do_not_split_a_message(tmp_path):
    body = ("Hi,\nFrom what I hear it went well.\n>From the archive\n\n>From again\n\n"
            "From the minutes (a writer that does not escape it):\nBye\n")
    data = mbox(message("me@example.com", "dana@example.com", "One", T, msgid="1@x", body=body),
                message("dana@example.com", "me@example.com", "Two", T, msgid="2@x"))
    found, problems = read(write(tmp_path / "box.mbox", data))
    assert problems == [] and [m.key for m in found] == ["<1@x>", "<2@x>"]


@pytest.mark.parametrize("chunk", [3, 1 << 20])
def test_a_writer_that_puts_no_blank_line_before_a_separator_loses_no_message(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(mail, "CHUNK", chunk)
    body = "Hi\nFrom the start of a line in body\nBye"  # no blank line after it, none before the next
    data = b"".join(b"From me@example.com Wed Mar 12 10:00:00 2025\n"
                    + message("me@example.com", "dana@example.com", f"S{i}", T, msgid=f"{i}@x", body=body).rstrip(b"\n")
                    + b"\n" for i in range(12))
    found, problems = read(write(tmp_path / "box.mbox", data))
    assert problems == [] and [m.key for m in found] == [f"<{i}@x>" for i in range(12)]


def test_gmails_from_lines_carry_a_zone_before_the_year(tmp_path):
    data = mbox(message("me@example.com", "dana@example.com", "One", T, msgid="1@x", body="Hi\n\nFrom me\n"),
                message("dana@example.com", "me@example.com", "Two", T, msgid="2@x"),
                envelope=b"From 1781234567890123456@xxx Wed Mar 12 10:00:00 +0000 2025")
    found, problems = read(write(tmp_path / "takeout.mbox", data))
    assert problems == [] and [m.key for m in found] == ["<1@x>", "<2@x>"]
    assert mail.envelope_date(b"From 1@xxx Wed Mar 12 10:00:00 +0000 2025") == dt.datetime(2025, 3, 12, 10, tzinfo=dt.timezone.utc)


def build_box() -> bytes:
    messages = [message("Me <me@example.com>", f"Dana <dana{i}@example.com>", f"Subject {i}", T + dt.timedelta(hours=i),
                        msgid=f"{i}@x", body=("Line of text\n" * (i * 7)) + "\nFrom the minutes\n\n")
                for i in range(12)]
    return mbox(*messages, envelope=b"From me@example.com Mon Mar 10 08:00:00 2025")


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 8, 9, 13, 64, 1 << 20])
def test_any_chunk_size_finds_the_same_messages(tmp_path, monkeypatch, chunk):
    path = write(tmp_path / "box.mbox", build_box())
    monkeypatch.setattr(mail, "CHUNK", chunk)
    found, problems = read(path)
    assert problems == [] and [m.key for m in found] == [f"<{i}@x>" for i in range(12)]
    assert [m.subject for m in found] == [f"Subject {i}" for i in range(12)]


def test_crlf_line_ends(tmp_path):
    data = build_box().replace(b"\n", b"\r\n")
    found, problems = read(write(tmp_path / "box.mbox", data))
    assert problems == [] and len(found) == 12 and found[3].sender.email == "me@example.com"


def test_a_message_without_message_id_is_known_by_its_headers(tmp_path):
    one = message("me@example.com", "dana@example.com", "No id", T)
    two = message("me@example.com", "dana@example.com", "No id either", T)
    first, _ = read(write(tmp_path / "a.mbox", mbox(one, two)))
    again, _ = read(write(tmp_path / "b.mbox", mbox(two, one)))
    assert all(m.key.startswith("sha1:") for m in first)
    assert {m.key for m in first} == {m.key for m in again} and len({m.key for m in first}) == 2
    assert first[0].thread == "subject:no id"


def test_the_conversation_of_a_message():
    def thread(*extra):
        return mail.message_from_headers("\n".join(["From: a@b.c", "Date: Mon, 10 Mar 2025 09:00:00 +0000", *extra]).encode(),
                                         "x").thread

    assert thread("Message-ID: <own@x>", "References: <root@x> <mid@x>", "In-Reply-To: <mid@x>") == "<root@x>"
    assert thread("Message-ID: <own@x>", "In-Reply-To: <parent@x> (Dana's message)") == "<parent@x>"
    assert thread("Message-ID: <own@x>") == "<own@x>"
    assert thread("Subject: Re: [team] Lunch") == "subject:lunch"


@pytest.mark.parametrize("headers, bulk", [
    (["List-Id: <team.example.org>"], "List-Id"),
    (["Precedence: bulk"], "Precedence: bulk"),
    (["Precedence: list"], "Precedence: list"),
    (["Auto-Submitted: auto-replied"], "Auto-Submitted: auto-replied"),
    (["Auto-Submitted: no"], ""),
    (["Precedence: first-class"], ""),
])
def test_list_and_bulk_mail_is_marked(headers, bulk):
    block = "\n".join(["From: a@b.c", "Date: Mon, 10 Mar 2025 09:00:00 +0000", *headers]).encode()
    assert mail.message_from_headers(block, "x").bulk == bulk


def test_a_message_without_date_takes_its_from_lines_and_one_without_sender_is_reported(tmp_path):
    no_date = b"From: Dana <dana@example.com>\nSubject: undated\n\nbody\n"
    no_sender = b"From: undisclosed\nDate: Mon, 10 Mar 2025 09:00:00 +0000\n\nbody\n"
    good = message("me@example.com", "dana@example.com", "Good", T, msgid="g@x")
    path = write(tmp_path / "box.mbox", mbox(no_date, no_sender, good, envelope=b"From dana@example.com  Sat Nov 14 21:29:28 2015"))
    found, problems = read(path)
    assert [m.subject for m in found] == ["undated", "Good"]
    assert found[0].date == dt.datetime(2015, 11, 14, 21, 29, 28, tzinfo=dt.timezone.utc)
    assert [str(p) for p in problems] == [f"{path}, message at line 7: has no sender (From) that is an address; skipped"]


def test_headers_too_long_are_reported_and_the_next_message_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(mail, "MAX_HEADER_BYTES", 200)
    monkeypatch.setattr(mail, "CHUNK", 64)
    huge = b"From: a@b.c\nX-Junk: " + b"x" * 500 + b"\nDate: Mon, 10 Mar 2025 09:00:00 +0000\n\nbody\n"
    good = message("me@example.com", "dana@example.com", "Good", T, msgid="g@x")
    found, problems = read(write(tmp_path / "box.mbox", mbox(huge, good)))
    assert [m.key for m in found] == ["<g@x>"] and "longer than" in problems[0].message


def test_a_message_cut_off_after_its_headers(tmp_path):
    data = (b"From a Mon Mar 10 08:00:00 2025\nFrom: a@b.c\nDate: Mon, 10 Mar 2025 09:00:00 +0000\nMessage-ID: <1@x>\n"
            b"From b Mon Mar 10 08:00:00 2025\nFrom: d@e.f\nDate: Mon, 10 Mar 2025 09:00:00 +0000\nMessage-ID: <2@x>\n\nbody")
    found, problems = read(write(tmp_path / "box.mbox", data))
    assert problems == [] and [m.key for m in found] == ["<1@x>", "<2@x>"]


def test_a_maildir_and_a_tree_of_them(tmp_path):
    one = message("me@example.com", "dana@example.com", "One", T, msgid="1@x")
    two = message("dana@example.com", "me@example.com", "Two", T, msgid="2@x", body="x" * 200_000)
    three = message("me@example.com", "omar@example.com", "Three", T, msgid="3@x")
    root = tmp_path / "Mail"
    maildir(root, one, two)
    maildir(root / ".Sent", three)
    (root / "new" / ".hidden").write_bytes(b"junk")
    assert mailbox_kind(root) == "maildir" and mailbox_kind(root / ".Sent") == "maildir"
    found, problems = read(root)
    assert problems == [] and sorted(m.key for m in found) == ["<1@x>", "<2@x>", "<3@x>"]
    assert all("/Mail/" in m.where for m in found)


def test_what_is_a_mailbox(tmp_path):
    assert is_mbox(b"From me@example.com Mon Mar 10 08:00:00 2025\n")
    assert not is_mbox(b"From: me@example.com\n") and not is_mbox(b"BEGIN:VCALENDAR")
    assert mailbox_kind(SAMPLES / "perceval_mbox_complex.mbox") == "mbox"
    assert mailbox_kind(write(tmp_path / "x.ics", b"BEGIN:VCALENDAR\r\n")) is None
    (tmp_path / "empty").mkdir()
    assert mailbox_kind(tmp_path / "empty") is None
    assert mailbox_kind(tmp_path / "missing") is None


@pytest.mark.parametrize("value, expected", [
    ("Dana Haddad <Dana@Example.com>", [("dana@example.com", "Dana Haddad")]),
    ('"Haddad, Dana" <dana@example.com>, omar@example.com', [("dana@example.com", "Haddad, Dana"), ("omar@example.com", "")]),
    ("=?utf-8?q?Dana_H=C3=A4ddad?= <dana@example.com>", [("dana@example.com", "Dana Häddad")]),
    ("andy at example.com (Andy Grunwald)", [("andy@example.com", "Andy Grunwald")]),
    ("team: dana@example.com, omar@example.com;", [("dana@example.com", ""), ("omar@example.com", "")]),
    ("undisclosed-recipients:;", []),
    ("", []),
])
def test_address_headers(value, expected):
    assert [(p.email, p.name) for p in addresses(value)] == expected


def test_encoded_words_that_cannot_be_decoded_stay_readable():
    assert decode_words("=?x-unknown?q?caf=C3=A9?=") == "café"
    assert decode_words("Grüße") == "Grüße"
