"""Exports: the netmaint document round-trips exactly; CSV is spreadsheet-safe; ICS has stable UIDs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat

import pendulum
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from netmaint_tui.cli import main
from netmaint_tui.io.csv_export import contacts_csv, neutralize
from netmaint_tui.io.ics_export import build_calendar
from netmaint_tui.io.formats import DocumentError
from netmaint_tui.io.json_io import dumps_json, dumps_yaml, iter_json, loads_document
from netmaint_tui.services.contacts import add_contact, set_archived, snooze
from netmaint_tui.services.export_file import stream_export
from netmaint_tui.services.exporting import contacts_due_within, export_contacts, open_follow_ups, snapshot
from netmaint_tui.services.followups import add_follow_up, set_status
from netmaint_tui.services.habit import add_pause, set_goal
from netmaint_tui.services.import_document import import_document
from netmaint_tui.services.touches import log_touch
from netmaint_tui.store.db import close_database, open_database

HOSTILE = [
    "[bold]x[/]",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "abc\u202eevil.exe",
    "family: \U0001F468\u200d\U0001F469\u200d\U0001F467 \u00e9\u0301",
    "NEL\x85 LS\u2028 PS\u2029 BOM\ufeff tab\t CR\r LF\n end",
    "yes",
    "2025-01-01",
    "- [ ] a list item: with # colons",
]
BIG_NOTE = ("x" * 99 + "\n") * 1024  # 100 KB


def build_network(ctx) -> dict[str, int]:
    ids = {}
    ids["dana"] = add_contact(
        ctx, "Dana [bold]Haddad[/]", company="Northwind, \"Labs\"", role="=CTO", emails=["dana@x.org", "d@y.org"],
        phones=["+1 555 0100", "(030) 1234"], linkedin_url="https://www.linkedin.com/in/dana", location="Berlin",
        how_met="PyCon", tier="A", cadence_days=14, tags=["mentor", "=cmd", "\u00fcber"], birthday="--02-29",
        dates=[{"label": "work anniversary", "date": "2019-06-14"}, {"label": "met \x1b[2J", "date": "--12-01"}],
        notes=BIG_NOTE, source="linkedin", source_id="https://www.linkedin.com/in/dana", connected_on=dt.date(2020, 5, 1),
    )
    ids["omar"] = add_contact(ctx, "Omar \x1b[2J", company="Acme", tier="C", birthday="1980-03-04",
                              notes="\n".join(HOSTILE))
    ids["twin1"] = add_contact(ctx, "Sam Twin", company="Same Co")
    ids["twin2"] = add_contact(ctx, "Sam Twin", company="Same Co")  # no email: only the export's ids tell them apart
    ids["gone"] = add_contact(ctx, "Archie Ved", tags=HOSTILE[:3])
    set_archived(ctx, ids["gone"])
    ids["later"] = add_contact(ctx, "Sno Ozed")
    snooze(ctx, ids["later"], dt.date(2025, 4, 1))
    t1 = log_touch(ctx, [ids["dana"], ids["omar"]], at=ctx.now().subtract(days=3), channel="meeting", kind="give",
                   minutes=45, note="coffee \u202e\n- [ ] send the deck\ntodo: intro to Lena")
    log_touch(ctx, [ids["twin2"]], at=ctx.now().subtract(days=40), channel="email", kind="ask", note=HOSTILE[1])
    ids["touch"] = t1.touch_id
    fid = add_follow_up(ctx, "call \x1b[5mBluefin\x1b[0m", due=ctx.now().add(days=2), suggested_by=ids["omar"],
                        about_text="Bluefin; \"Health\"")
    done = add_follow_up(ctx, "done one", due=ctx.now().subtract(days=1), suggested_by=ids["dana"])
    set_status(ctx, done, "done")
    ids["follow_up"] = fid
    set_goal(ctx, 3, None, dt.date(2025, 1, 6))
    set_goal(ctx, 5, 120, dt.date(2025, 2, 3))
    add_pause(ctx, dt.date(2025, 2, 10), dt.date(2025, 2, 16), "vacation \U0001F3D6")
    return ids


@pytest.fixture
def network(tmp_db, ctx):
    return build_network(ctx)


def switch_to(path):
    close_database()
    return open_database(path)


# --- the netmaint document --------------------------------------------------------------------


def test_the_document_has_the_stable_shape(network):
    doc = snapshot()
    assert list(doc)[:2] == ["format", "version"] and doc["format"] == "netmaint" and doc["version"] == 1
    assert {"contacts", "touches", "follow_ups", "goals", "pauses"} <= set(doc)
    dana = doc["contacts"][0]
    for key in ("name", "company", "role", "emails", "phones", "linkedin_url", "tier", "cadence_days", "tags",
                "birthday", "dates", "notes", "source", "location", "how_met", "source_id", "connected_on",
                "snoozed_until", "archived", "created_at"):
        assert key in dana
    assert dana["emails"] == ["dana@x.org", "d@y.org"] and dana["birthday"] == "--02-29"
    assert dana["dates"] == [{"label": "work anniversary", "date": "2019-06-14"},
                             {"label": "met \x1b[2J", "date": "--12-01"}]
    assert doc["contacts"][1]["dates"] == []
    assert dana["connected_on"] == "2020-05-01" and dana["created_at"] == "2025-03-12T09:00:00Z"
    assert doc["contacts"][1]["birthday"] == "1980-03-04"
    touch = doc["touches"][0]
    assert touch["contacts"] == [network["dana"], network["omar"]]  # contacts by their stable id
    assert touch["at"] == "2025-03-09T09:00:00Z"


def test_json_round_trip_into_an_empty_database_is_exact(network, tmp_path, ctx):
    first = dumps_json(snapshot())
    switch_to(tmp_path / "restored.db")
    report = import_document(ctx, loads_document(first.encode()))
    assert report.skipped == 0 and not report.issues
    again = dumps_json(snapshot())
    assert again == first
    doc = json.loads(again)
    assert doc["contacts"][0]["notes"] == BIG_NOTE
    assert doc["contacts"][1]["notes"] == "\n".join(HOSTILE)
    assert doc["contacts"][0]["name"] == "Dana [bold]Haddad[/]"


_SYNCED = {"contacts": "contact", "touches": "touch", "follow_ups": "follow_up", "goals": "goal", "pauses": "pause"}


def uids_by_section() -> dict[str, list[str]]:
    from netmaint_tui.store.models import database

    return {section: [u for (u,) in database.execute_sql(f"SELECT uid FROM {table} ORDER BY id")]
            for section, table in _SYNCED.items()}


def test_each_synced_item_is_exported_with_its_uid_and_a_restore_keeps_it(network, tmp_path, ctx):
    """Who an item is in a synced folder (its card's, task's or journal entry's UID) goes with it:
    a restore on a new computer syncs with the same folders without adding anything twice."""
    doc = snapshot()
    uids = uids_by_section()
    assert all(len(uids[s]) > 0 for s in _SYNCED)
    assert {s: [item["uid"] for item in doc[s]] for s in _SYNCED} == uids
    switch_to(tmp_path / "restored.db")
    report = import_document(ctx, json.loads(dumps_json(doc)))
    assert not report.issues and uids_by_section() == uids
    again = import_document(ctx, json.loads(dumps_json(doc)))
    assert all((c.added, c.updated, c.skipped) == (0, 0, 0) for c in again.others.values())
    assert (again.added, again.updated) == (0, 0) and uids_by_section() == uids


def test_a_uid_already_used_in_the_database_or_missing_or_wrong_gives_the_item_a_new_one(network, tmp_path, ctx):
    doc = json.loads(dumps_json(snapshot()))
    taken = doc["contacts"][0]["uid"]
    switch_to(tmp_path / "other.db")
    zoe = add_contact(ctx, "Zoe Zed")
    from netmaint_tui.store.models import Contact, Goal, Touch, database

    Contact.update(uid=taken).where(Contact.id == zoe).execute()  # a uid that is someone else's here
    del doc["touches"][0]["uid"]  # an export of an older netmaint
    doc["goals"][0]["uid"] = 7
    doc["pauses"][0]["uid"] = " padded "
    report = import_document(ctx, doc)
    assert [i.message for i in report.issues] == [
        "goals[0].uid: expected the item's UID (one line of text); imported with a new one",
        "pauses[0].uid: expected the item's UID (one line of text); imported with a new one",
    ] and report.skipped == 0
    assert Contact.get_by_id(zoe).uid == taken
    dana = Contact.get(Contact.name == doc["contacts"][0]["name"])
    assert dana.uid and dana.uid != taken
    assert Contact.get(Contact.name == doc["contacts"][1]["name"]).uid == doc["contacts"][1]["uid"]
    assert Touch.get(Touch.at == "2025-03-09 09:00:00").uid not in (None, "")
    assert Touch.get(Touch.note == doc["touches"][1]["note"]).uid == doc["touches"][1]["uid"]
    assert all(g.uid for g in Goal.select())
    assert database.execute_sql("SELECT COUNT(*) FROM pause WHERE uid IS NULL OR uid = ' padded '").fetchone() == (0,)


@pytest.mark.parametrize("batch", [1, 5000])
def test_a_uid_that_appears_twice_in_the_file_is_kept_by_the_first_item_only(network, tmp_path, ctx, monkeypatch,
                                                                            batch):
    """Whether the first is written yet (a batch of 1) or still waits in its batch."""
    from netmaint_tui.services import import_document as importer

    monkeypatch.setattr(importer.Batch, "SIZE", batch)
    doc = json.loads(dumps_json(snapshot()))
    for section in ("contacts", "touches", "follow_ups", "goals"):
        doc[section][1]["uid"] = doc[section][0]["uid"]
    switch_to(tmp_path / "restored.db")
    report = import_document(ctx, doc)
    assert report.skipped == 0 and not report.issues
    after = uids_by_section()
    for section in ("contacts", "touches", "follow_ups", "goals"):
        assert after[section][0] == doc[section][0]["uid"] and after[section][1] not in (None, after[section][0])
        assert after[section][2:] == [item["uid"] for item in doc[section][2:]]


def test_an_export_without_uids_restores_with_new_ones(network, tmp_path, ctx):
    doc = json.loads(dumps_json(snapshot()))
    before = uids_by_section()
    for section in _SYNCED:
        for item in doc[section]:
            del item["uid"]
    switch_to(tmp_path / "restored.db")
    report = import_document(ctx, doc)
    assert report.skipped == 0 and not report.issues
    after = uids_by_section()
    assert [len(after[s]) for s in _SYNCED] == [len(before[s]) for s in _SYNCED]
    assert all(u for s in _SYNCED for u in after[s]) and not set(after["touches"]) & set(before["touches"])
    assert [{k: v for k, v in item.items() if k != "uid"} for item in snapshot()["touches"]] == doc["touches"]


def test_importing_the_same_json_again_changes_nothing(network, ctx):
    first = snapshot()
    report = import_document(ctx, json.loads(dumps_json(first)))
    assert (report.added, report.updated, report.skipped) == (0, 0, 0)
    assert all((c.added, c.updated, c.skipped) == (0, 0, 0) for c in report.others.values())
    assert snapshot() == first


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6), st.sampled_from([1, 7, 1 << 16]))
def test_the_streamed_json_is_what_json_dumps_writes(doc, size):
    reference = re.sub("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
                       lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    assert dumps_json(doc) == reference
    blocks = list(iter_json(doc, size=size))
    assert "".join(blocks) == reference and all(block.endswith("\n") for block in blocks)


def test_a_section_is_written_as_its_items_are_read():
    taken = []

    def touches():
        for n in range(5000):
            taken.append(n)
            yield {"id": n, "note": "x" * 40}

    blocks = iter_json({"format": "netmaint", "touches": touches()}, size=4096)
    next(blocks)
    assert len(taken) < 100  # the first block went out long before the last item was read
    rest = "".join(blocks)
    assert rest.endswith("  ]\n}\n") and len(taken) == 5000


def test_the_export_command_streams_the_same_bytes_it_used_to_render(network, tmp_path, ctx):
    streamed = b""
    with stream_export(ctx, "json") as out:
        for chunk in out.chunks:
            streamed += chunk
        assert out.what() == "6 contacts, 2 touches, 4 follow-ups, 2 goals, 1 pause"
    assert streamed.decode() == dumps_json(snapshot())


def test_the_json_file_escapes_terminal_controls_but_keeps_them_as_data(network):
    text = dumps_json(snapshot())
    assert "\x1b" not in text and "\u202e" not in text and "\x85" not in text and "\u2028" not in text
    assert "\\u001b" in text and "\\u202e" in text
    assert "\U0001F468\u200d\U0001F469" in text  # readable emoji stay as they are
    assert dumps_json({"note": "plain \x7f ascii"}) == '{\n  "note": "plain \\u007f ascii"\n}\n'  # DEL is ASCII too


def test_yaml_round_trip(network, tmp_path, ctx):
    doc = snapshot()
    text = dumps_yaml(doc)
    assert yaml.safe_load(text) == doc
    switch_to(tmp_path / "from-yaml.db")
    import_document(ctx, loads_document(text.encode()))
    assert snapshot() == doc


def test_a_document_that_is_not_a_netmaint_export_is_refused_with_its_line():
    with pytest.raises(DocumentError) as bad:
        loads_document(b'{\n  "format": "netmaint",\n  "version": 1,\n  "contacts": [,]\n}')
    assert bad.value.line == 4
    with pytest.raises(DocumentError, match="not a netmaint export"):
        loads_document(b'{"contacts": []}')
    with pytest.raises(DocumentError, match="newer netmaint"):
        loads_document(b'{"format": "netmaint", "version": 99}')
    with pytest.raises(DocumentError, match="aliases"):
        loads_document(b"format: netmaint\nversion: 1\ncontacts: &a [1]\ntouches: *a\n")
    with pytest.raises(DocumentError, match="appears twice"):
        loads_document(b'{"format": "netmaint", "version": 1, "contacts": [{"id": 1}, {"id": 1}]}')


def test_bad_items_in_a_document_are_reported_and_the_rest_imported(tmp_db, ctx):
    doc = {
        "format": "netmaint", "version": 1,
        "contacts": [{"id": 1, "name": "Dana"}, {"id": 2, "name": ""}],
        "touches": [{"id": 1, "at": "2025-03-01T10:00:00Z", "contacts": [1], "channel": "pigeon"},
                    {"id": 2, "at": "2025-03-01T10:00:00Z", "contacts": [1], "channel": "call"}],
        "goals": [{"from_date": "not a date", "touches": 3}],
    }
    report = import_document(ctx, doc)
    assert (report.added, report.skipped) == (1, 1)
    assert (report.others["touches"].added, report.others["touches"].skipped) == (1, 1)
    assert report.others["goals"].skipped == 1
    messages = [i.message for i in report.issues]
    assert "contacts[1].name: is empty; skipped" in messages
    assert any(m.startswith("touches[0]: ") and "pigeon" in m for m in messages)


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1 555 0100", "'+1 555 0100"),
    ("+1-555-0100", "'+1-555-0100"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("  =1+2", "'  =1+2"),
    ("Anne-Marie", "Anne-Marie"),
    ("a+b@x.org", "a+b@x.org"),
    ("(030) 1234", "(030) 1234"),
    ("", ""),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralized(cell, written):
    assert neutralize(cell) == written


def test_csv_is_rfc_4180_with_one_row_per_contact(network):
    text = contacts_csv(export_contacts())
    assert text.startswith("\ufeffname,company,role,")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "").replace(BIG_NOTE, "").replace("\n".join(HOSTILE), "")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert len(rows) == 6
    dana = rows[0]
    assert dana["name"] == "Dana [bold]Haddad[/]"
    assert dana["company"] == 'Northwind, "Labs"'
    assert dana["role"] == "'=CTO"
    assert dana["phones"] == "'+1 555 0100; (030) 1234"
    assert dana["emails"] == "dana@x.org; d@y.org"
    assert dana["tags"] == "'=cmd; mentor; \u00fcber"
    assert dana["notes"] == BIG_NOTE
    assert rows[1]["notes"] == "\n".join(HOSTILE)
    assert rows[4]["archived"] == "yes"
    for row in rows:
        for value in row.values():
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


# --- ICS --------------------------------------------------------------------------------------


def calendar_now(ctx):
    return build_calendar(open_follow_ups(), contacts_due_within(ctx, 30), ctx.now())


def test_ics_has_an_event_with_an_alarm_per_open_follow_up_and_parses_back(network, ctx):
    cal = Calendar.from_ical(calendar_now(ctx))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    fu = events[f"followup-{network['follow_up']}@netmaint"]
    assert fu.decoded("dtstart") == dt.datetime(2025, 3, 14, 9, 0, tzinfo=dt.timezone.utc)
    assert str(fu["summary"]) == "Follow up: call ␛[5mBluefin␛[0m"
    assert [a["action"] for a in fu.walk("VALARM")] == ["DISPLAY"]
    # the follow-ups from the touch's note, and not the done one
    assert sum(1 for uid in events if uid.startswith("followup-")) == 3
    assert all("done one" not in str(e["summary"]) for e in events.values())


def test_ics_has_an_all_day_event_per_contact_due_in_the_next_30_days(network, ctx):
    cal = Calendar.from_ical(calendar_now(ctx))
    due = {str(e["uid"]): e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("contact-")}
    dana = due[f"contact-{network['dana']}-due@netmaint"]
    assert dana.decoded("dtstart") == dt.date(2025, 3, 23)  # touched 3 days ago, cadence 14
    assert str(dana["summary"]) == 'Reach out to Dana [bold]Haddad[/] (Northwind, "Labs")'
    assert f"contact-{network['omar']}-due@netmaint" not in due  # tier C: due in 177 days
    assert f"contact-{network['gone']}-due@netmaint" not in due  # archived
    assert f"contact-{network['later']}-due@netmaint" not in due  # snoozed
    assert f"contact-{network['twin1']}-due@netmaint" in due  # added today: due today


def test_ics_uids_are_stable_across_exports(network, make_ctx, ctx):
    first = Calendar.from_ical(calendar_now(ctx))
    later = make_ctx(now="2025-03-12T18:30:00")
    second = Calendar.from_ical(calendar_now(later))
    uids = lambda cal: sorted(str(e["uid"]) for e in cal.walk("VEVENT"))  # noqa: E731
    assert uids(first) == uids(second) and len(uids(first)) == len(set(uids(first)))
    assert first.walk("VEVENT")[0].decoded("dtstamp") != second.walk("VEVENT")[0].decoded("dtstamp")


def test_ics_text_cannot_inject_properties(tmp_db, ctx):
    cid = add_contact(ctx, "Eve")
    add_follow_up(ctx, "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil; \\ ,", due=ctx.now().add(hours=2), suggested_by=cid)
    data = calendar_now(ctx)
    cal = Calendar.from_ical(data)
    assert [str(e["uid"]) for e in cal.walk("VEVENT")] == ["followup-1@netmaint", "contact-1-due@netmaint"]
    assert b"\nUID:evil" not in data


# --- the command ------------------------------------------------------------------------------


def test_export_files_are_created_0600_and_stdout_is_byte_exact(env, capsysbinary):
    assert main(["add", "Dana \x1b[31m", "--phone", "+1 555 0100"]) == 0
    capsysbinary.readouterr()
    old = os.umask(0o022)
    try:
        for fmt in ("json", "yaml", "csv", "ics"):
            target = env.tmp / f"out.{fmt}"
            assert main(["export", fmt, "-o", str(target)]) == 0
            assert stat.S_IMODE(target.stat().st_mode) == 0o600, fmt
            out = capsysbinary.readouterr().out.decode()
            assert out.startswith(f"exported ") and str(target) in out
            assert main(["export", fmt]) == 0
            assert capsysbinary.readouterr().out == target.read_bytes()
    finally:
        os.umask(old)
    assert json.loads((env.tmp / "out.json").read_text())["contacts"][0]["name"] == "Dana \x1b[31m"


def test_export_then_import_json_through_the_command_line(env, capsys, tmp_path):
    assert main(["add", "Dana", "--tag", "x"]) == 0
    assert main(["log", "Dana", "--note", "hi"]) == 0
    assert main(["export", "json", "-o", str(tmp_path / "a.json")]) == 0
    capsys.readouterr()
    fresh = tmp_path / "fresh.db"
    assert main(["--db", str(fresh), "import", "json", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported a.json: contacts: 1 added, 0 updated, 0 unchanged, 0 skipped; touches: 1 added")
    assert main(["--db", str(fresh), "export", "json", "-o", str(tmp_path / "b.json")]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_exporting_a_missing_database_is_one_line(env, capsys):
    assert main(["export", "json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("netmaint: no database at ") and err.count("\n") == 1


def test_two_touches_alike_survive_the_round_trip_and_a_second_import(network, tmp_path, ctx):
    """Two calls with Omar logged in the same minute are two touches: the export has both, an
    import into an empty database brings both, and importing the file again adds neither."""
    at = ctx.now().subtract(days=1)
    for _ in range(2):
        log_touch(ctx, [network["omar"]], at=at, channel="call")
    first = dumps_json(snapshot())
    switch_to(tmp_path / "restored.db")
    report = import_document(ctx, loads_document(first.encode()))
    assert report.others["touches"].added == len(json.loads(first)["touches"])
    assert dumps_json(snapshot()) == first
    again = import_document(ctx, loads_document(first.encode()))
    assert (again.others["touches"].added, again.others["touches"].updated) == (0, 0)
    assert dumps_json(snapshot()) == first


def test_a_value_of_the_wrong_type_is_refused_by_its_path_not_defaulted(tmp_db, ctx):
    doc = {
        "format": "netmaint", "version": 1,
        "contacts": [{"id": 1, "name": "Dana"}, {"id": 2, "name": "Omar"}, {"id": 3, "name": "Lee", "tier": "A"},
                     {"id": 4, "name": "Eve", "archived": "yes"}, {"id": 5, "name": "Kim", "emails": "k@x.org"},
                     {"id": 6, "name": "Ana", "cadence_days": "30"}],
        "touches": [{"id": 1, "at": "2025-03-01T10:00:00Z", "contacts": [1], "minutes": "30"},
                    {"id": 2, "at": "2025-03-01T10:00:00Z", "contacts": "1"}],
        "follow_ups": [{"what": 7, "due": "2025-03-20T10:00:00Z"}],
        "pauses": [{"start": "2025-01-01", "end": "2025-01-05", "reason": ["x"]}],
    }
    report = import_document(ctx, doc)
    messages = [i.message for i in report.issues]
    assert "contacts[3].archived: expected true or false; skipped" in messages
    assert "contacts[4].emails: expected a list of text; skipped" in messages
    assert "contacts[5].cadence_days: expected a whole number; skipped" in messages
    assert "touches[0].minutes: expected a whole number; skipped" in messages
    assert "touches[1].contacts: expected a list of contact ids; skipped" in messages
    assert "follow_ups[0].what: expected text; skipped" in messages
    assert "pauses[0].reason: expected text; skipped" in messages
    assert report.added == 3


def test_the_forms_add_and_an_import_share_one_set_of_limits(tmp_db, ctx):
    from netmaint_tui.services.common import InputError
    from netmaint_tui.services.contacts import add_contact

    with pytest.raises(InputError, match="at most 500"):
        add_contact(ctx, "x" * 501)
    with pytest.raises(InputError, match="cadence must be 1 to 3650"):
        add_contact(ctx, "Dana", cadence_days=99999)
    cid = add_contact(ctx, "y" * 500, company="  Acme  ", emails=["a@x.org", "A@X.org"], tags=["Client", "client"])
    report = import_document(ctx, {"format": "netmaint", "version": 1, "contacts": [
        {"id": 9, "name": "z" * 501}, {"id": 10, "name": "Omar", "cadence_days": 99999}]})
    assert [i.message for i in report.issues] == [
        "contacts[0].name: is 501 characters long (at most 500); skipped",
        "contacts[1].cadence_days: must be 1 to 3650 days, not 99999; skipped",
    ]
    exported = snapshot(ctx)["contacts"]
    assert [(c["id"], c["company"], c["emails"], c["tags"]) for c in exported] == [
        (cid, "Acme", ["a@x.org"], ["Client"])]


def test_the_calendar_puts_every_contact_on_the_day_the_due_list_gives(env, monkeypatch, capsys):
    """One "due on" for the list and the calendar, on a generated network in a zone east of UTC,
    with touches late in the evening (a day earlier in UTC than locally) and early in the morning."""
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.demo import build_demo
    from netmaint_tui.services.common import Context

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    monkeypatch.setenv("NETMAINT_NOW", "2025-03-12T10:00:00+09:00")
    ctx = Context(fixed_clock("2025-03-12T10:00:00", "Asia/Tokyo"), Settings())
    env.db.parent.mkdir(parents=True)
    build_demo(env.db, ctx, seed=11)
    db = open_database(env.db)
    first = [cid for (cid,) in db.execute_sql("SELECT id FROM contact WHERE archived = 0 ORDER BY id LIMIT 62")]
    db.execute_sql(f"UPDATE contact SET cadence_days = 30 WHERE id IN ({','.join(map(str, first))})")
    for i, cid in enumerate(first):  # due from today to 30 days ahead
        day = ctx.now().subtract(days=i % 31)
        late = i % 2 and day.date() < ctx.today()
        log_touch(ctx, [cid], at=day.replace(hour=23, minute=30) if late else day.replace(hour=0, minute=15))
    close_database()

    assert main(["due", "--json", "--limit", "0"]) == 0
    due = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    ics = env.tmp / "due.ics"
    assert main(["export", "ics", "-o", str(ics)]) == 0
    events = {str(e["uid"]): e.decoded("dtstart") for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
              if str(e["uid"]).endswith("-due@netmaint")}
    coming = {f"contact-{cid}-due@netmaint": dt.date.fromisoformat(row["due"])
              for cid, row in due.items() if 0 <= row["days_until_due"] <= 30}
    assert len(coming) >= 60
    assert events == coming


@pytest.mark.parametrize("text, says", [
    ('{"format": "netmaint", "version": 1, "contacts": [{"id": 1180591620717411303424, "name": "A"}]}',
     "contacts[0].id: 1180591620717411303424 is not a whole number from 1 up"),
    ('{"format": "netmaint", "version": 1, "contacts": [{"id": -1, "name": "A"}]}', "contacts[0].id: -1"),
    ('{"format": "netmaint", "version": 1, "touches": [{"minutes": ' + "9" * 5000 + '}]}', "not a netmaint export"),
])
def test_numbers_no_database_can_hold_are_refused_in_one_line(text, says):
    with pytest.raises(DocumentError, match=re.escape(says)):
        loads_document(text.encode())


def test_text_that_is_not_text_is_refused_by_its_path(tmp_db, ctx):
    doc = {"format": "netmaint", "version": 1, "contacts": [{"id": 1, "name": "\ud800"}, {"id": 2, "name": "Ok"}],
           "touches": [{"at": "2025-03-01T10:00:00Z", "contacts": [2], "note": "x\udcff"}]}
    report = import_document(ctx, doc)
    messages = [i.message for i in report.issues]
    assert any(m.startswith("contacts[0].name: holds a character that is not text (U+D800)") for m in messages)
    assert any(m.startswith("touches[0].note: holds a character that is not text") for m in messages)
    from netmaint_tui.services.common import InputError

    with pytest.raises(InputError, match="not text"):
        add_contact(ctx, "Eve \udcff")


def test_an_id_the_file_does_not_hold_is_said_not_dropped_silently(tmp_db, ctx):
    doc = {"format": "netmaint", "version": 1, "contacts": [{"id": 1, "name": "Dana"}],
           "touches": [{"id": 1, "at": "2025-03-01T10:00:00Z", "contacts": [1, 999]}],
           "follow_ups": [{"what": "x", "due": "2025-03-20T10:00:00Z", "suggested_by": 999, "touch": 7}]}
    report = import_document(ctx, doc)
    messages = [i.message for i in report.issues]
    assert "touches[0].contacts: 999 is not a contact in the file (or it was left out); imported without it" in messages
    assert "follow_ups[0].suggested_by: 999 is not a contact in the file (or it was left out); imported without it" in messages
    assert "follow_ups[0].touch: 7 is not a touch in the file (or it was left out); imported without it" in messages


def test_what_captures_keep_is_read_back_item_by_item_and_merged(tmp_db, ctx):
    from netmaint_tui.store.models import CapturedItem, Contact, Correspondent, Touch

    item = {"source": "mail", "source_id": "<1@x>", "touch": 1, "outcome": "captured", "at": "2025-03-01T10:00:00Z"}
    doc = {
        "format": "netmaint", "version": 1,
        "contacts": [{"id": 1, "name": "Dana", "last_heard_at": "2025-03-02T09:00:00Z"},
                     {"id": 2, "name": "Omar", "last_heard_at": "yesterday"}],
        "touches": [{"id": 1, "at": "2025-03-01T10:00:00Z", "contacts": [1], "channel": "email", "note": "Deck",
                     "source": "mail", "source_id": "<1@x>"},
                    {"id": 2, "at": "2025-03-01T11:00:00Z", "contacts": [1], "source": "fax"}],
        "captured_items": [item, {**item, "source_id": "<2@x>", "touch": 9}, {**item, "source": "pigeon"},
                           {**item, "source_id": ""}, {**item, "source_id": "<3@x>", "outcome": "no-contact",
                                                       "touch": None}],
        "correspondents": [{"email": "Lee@Example.net", "name": "Lee", "times": 3, "first_at": "2025-01-01T10:00:00Z",
                            "last_at": "2025-03-01T10:00:00Z"},
                           {"email": "ann@example.net", "times": 0, "first_at": "2025-01-01T10:00:00Z",
                            "last_at": "2025-01-01T10:00:00Z"}],
    }
    report = import_document(ctx, doc)
    messages = [i.message for i in report.issues]
    assert messages == [
        "contacts[1].last_heard_at: 'yesterday' is not an ISO 8601 date-time; left out",
        "touches[1].source: expected calendar or mail (or null); skipped",
        "captured_items[1].touch: 9 is not a touch in the file (or it was left out); imported without it",
        "captured_items[2].source: expected calendar or mail; skipped",
        "captured_items[3].source_id: missing; expected the id it has in its calendar or mailbox; skipped",
        "correspondents[1].times: expected a whole number from 1 to 1,000,000,000; skipped",
    ]
    assert [(t.source, t.source_id) for t in Touch.select()] == [("mail", "<1@x>")]
    assert str(Contact.get_by_id(1).last_heard_at) == "2025-03-02 09:00:00" and Contact.get_by_id(2).last_heard_at is None
    assert [(c.source_id, c.touch_id, c.outcome) for c in CapturedItem.select().order_by(CapturedItem.id)] == [
        ("<1@x>", 1, "captured"), ("<2@x>", None, "captured"), ("<3@x>", None, "no-contact")]
    assert [(c.email, c.times) for c in Correspondent.select()] == [("lee@example.net", 3)]

    # Again, with the third item captured since and Lee met more often elsewhere: merged, never undone.
    doc["captured_items"][4].update(outcome="captured", touch=1)
    doc["correspondents"][0].update(times=2, last_at="2025-03-05T10:00:00Z")
    doc["contacts"][0]["last_heard_at"] = "2025-01-01T09:00:00Z"
    again = import_document(ctx, doc)
    assert (again.others["captured_items"].updated, again.others["captured_items"].unchanged) == (1, 2)
    assert again.others["correspondents"].updated == 1
    assert CapturedItem.get(CapturedItem.source_id == "<3@x>").touch_id == 1
    assert (Correspondent.get().times, str(Correspondent.get().last_at)) == (3, "2025-03-05 10:00:00")
    assert str(Contact.get_by_id(1).last_heard_at) == "2025-03-02 09:00:00"  # only ever later


def test_a_streamed_import_that_meets_a_fault_late_in_the_file_leaves_the_database_as_it_was(network, tmp_path, ctx):
    from netmaint_tui.io.json_io import StreamedDocument
    from netmaint_tui.services.import_file import import_file

    good = dumps_json(snapshot())
    switch_to(tmp_path / "restored.db")
    before = dumps_json(snapshot())
    broken = good.rstrip().rstrip("}") + ', "pauses": []}'  # a section twice, after everything else
    with pytest.raises(DocumentError, match="appears twice"):
        import_file(ctx, "json", broken.encode())
    assert dumps_json(snapshot()) == before
    torn = good[: good.index('"follow_ups"')]  # cut off after the touches
    with pytest.raises(DocumentError, match="not valid JSON"):
        import_file(ctx, "json", torn.encode())
    assert dumps_json(snapshot()) == before
    StreamedDocument.BLOCK, block = 97, StreamedDocument.BLOCK  # items split across reads
    try:
        import_file(ctx, "json", good.encode())
    finally:
        StreamedDocument.BLOCK = block
    assert dumps_json(snapshot()) == good


def test_a_restore_builds_the_search_index_and_last_touches_the_touches_would_have(network, tmp_path, ctx):
    """Into an empty database the contacts' and touches' triggers do their work once for all
    (store.bulk): the same search hits, the same last touches and the same notes for sync as row
    by row."""
    from netmaint_tui.services.import_file import import_file
    from netmaint_tui.services.search import term_hits
    from netmaint_tui.store.models import Contact, SyncFolder, database

    now = ctx.now()
    for days, people, note in ((9, ["dana"], "Quarterly roadmap über alles"), (2, ["omar", "twin1"], "roadmap"),
                               (60, ["twin1"], ""), (1, ["later", "dana", "twin2"], "Lunch at Café Ümlaut"),
                               (30, ["gone"], "kept, archived")):
        log_touch(ctx, [network[p] for p in people], at=now.subtract(days=days), channel="call", note=note)
    terms = ["roadmap", "road", "uber", "cafe", "umlaut", "lunch", "deck", "coffee", "kept", "haddad", "mentor",
             "berlin", "pycon", "northwind", "xxx", "zzz"]

    def state():
        touch_rows = {term: {r for (r,) in database.execute_sql(
            "SELECT rowid FROM touch_fts WHERE touch_fts MATCH ?", [f'"{term}"*']).fetchall()} for term in terms}
        return ({term: term_hits(term) for term in terms}, touch_rows,
                {c.id: c.last_touch_at for c in Contact.select()},
                sorted(database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()))

    expected = state()
    assert expected[0]["roadmap"].anywhere == {network["dana"], network["omar"], network["twin1"]}
    assert expected[0]["mentor"].fields == {network["dana"]} and expected[0]["xxx"].anywhere == {network["dana"]}
    assert expected[2][network["dana"]] == expected[2][network["later"]] > expected[2][network["omar"]]
    good = dumps_json(snapshot())
    switch_to(tmp_path / "restored.db")
    SyncFolder.create(name="journal", path=str(tmp_path / "journal"))  # so changes are noted for sync
    empty = state()
    torn = good[: good.index('"note": "roadmap"')]  # a fault met while the touches go in, their triggers away
    with pytest.raises(DocumentError, match="not valid JSON"):
        import_file(ctx, "json", torn.encode())
    assert state() == empty and empty[3] == expected[3]  # nothing in, every trigger as it was
    import_file(ctx, "json", good.encode())
    assert state() == expected
    noted = {i for (i,) in database.execute_sql("SELECT local_id FROM sync_change WHERE kind = 'touch'")}
    assert noted == {t["id"] for t in json.loads(good)["touches"]}

    # The triggers are back: a touch logged now is found, and moves its contact's last touch.
    log_touch(ctx, [network["omar"]], at=now.subtract(hours=1), channel="call", note="zzz")
    assert term_hits("zzz").anywhere == {network["omar"]}
    assert Contact.get_by_id(network["omar"]).last_touch_at > expected[2][network["omar"]]


# --- a restore brings back every table ----------------------------------------------------------

# Tables of ALL_MODELS a restore does not bring back, and why. Every other table must come back row
# for row: a table added to the models without an export section fails the test below.
NOT_EXPORTED = {
    "draft": "text being typed in the app on this computer, offered back at its next start there",
    "sync_folder": "which folders this computer syncs with and when it last did: per machine",
    "sync_item": "each item as this computer last synced it: per machine, rebuilt by the next sync",
    "sync_change": "rows changed since this computer's last sync: per machine",
    "deleted_touch": "the 30-day trash: an undo, not data (services/exporting.py, _SECTIONS, says why)",
}
# Columns likewise.
NOT_EXPORTED_COLUMNS = {
    "notified_due": "the reminder this computer's notification service showed: per machine",
}
# Tables whose rows the document names by what they hold, not by their number: a tag by its name
# (on its contacts), a contact's tags, dates and a touch's people by their contact.
BY_VALUE = {"tag", "contact_tag", "contact_date", "touch_contact"}


def build_everything(ctx, tmp_path) -> dict[str, int]:
    """build_network, and a row in each table of the user's data it leaves empty."""
    from netmaint_tui.services import capture
    from netmaint_tui.services.drafts import save_draft
    from netmaint_tui.services.history import add_notes
    from netmaint_tui.services.merging import merge_contacts, not_duplicates
    from netmaint_tui.services.touches import delete_touch
    from netmaint_tui.store.models import SyncFolder, database
    from tests.capture_files import ME, mbox, message

    ids = build_network(ctx)
    # An alias: a contact from a vCard merged into the same person from LinkedIn.
    ids["lena"] = add_contact(ctx, "Lena Li", source="linkedin", source_id="https://www.linkedin.com/in/lena")
    merged = add_contact(ctx, "Lena Li", source="vcard", source_id="urn:uuid:lena-card")
    merge_contacts(ctx, ids["lena"], merged, backup=False)
    not_duplicates(ctx, ids["twin2"], ids["twin1"])
    # What a sync kept: a line about a contact, and two alike about a follow-up.
    with database.atomic():
        add_notes(dt.datetime(2025, 3, 10, 8, 30), [(ids["dana"], None, "phone: moved to \u202eLisbon\n[b]x[/b]"),
                                                    (None, ids["follow_up"], "due: 2025-03-20"),
                                                    (None, ids["follow_up"], "due: 2025-03-20")])
    # A mail sent to a contact and to someone who is none yet: a captured touch, what was read, who to add.
    box = tmp_path / "sent.mbox"
    box.write_bytes(mbox(message(ME, "dana@x.org, lee@example.net", "The deck", ctx.now().subtract(days=1),
                                 msgid="deck@x")))
    capture.capture_mail(ctx, [box], [ME])
    # What this computer keeps for itself.
    save_draft(ctx, {"note": "half typed"})
    SyncFolder.create(name="journal", path=str(tmp_path / "journal"))
    log_touch(ctx, [ids["omar"]], at=ctx.now().subtract(days=5), channel="call", note="deleted")
    delete_touch(ctx, max(t["id"] for t in snapshot()["touches"]))
    return ids


def table_rows(model) -> list[tuple]:
    """A table's rows, as a restore should give them back (without NOT_EXPORTED_COLUMNS)."""
    from netmaint_tui.store.models import database

    table = model._meta.table_name
    columns = [c for c in (f.column_name for f in model._meta.sorted_fields) if c not in NOT_EXPORTED_COLUMNS]
    if table in BY_VALUE:
        columns = [c for c in columns if c != "id"]
        if table == "contact_tag":
            return sorted(database.execute_sql(
                "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id").fetchall())
    quoted = ", ".join(f'"{c}"' for c in columns)
    return sorted(database.execute_sql(f"SELECT {quoted} FROM {table}").fetchall(), key=repr)


def test_a_restore_brings_back_every_table_of_the_users_data(tmp_path, tmp_db, ctx):
    """Export a network with a row in every table of the user's data, import it into an empty
    database, and compare the two table by table. A table added later without its section in the
    export (and a row in build_everything) fails here."""
    from netmaint_tui.store.models import ALL_MODELS

    build_everything(ctx, tmp_path)
    compared = [m for m in ALL_MODELS if m._meta.table_name not in NOT_EXPORTED]
    before = {m._meta.table_name: table_rows(m) for m in compared}
    empty = [table for table, rows in before.items() if not rows]
    assert not empty, f"build_everything leaves {empty} empty: give each a row (and a section in the export)"
    assert {m._meta.table_name for m in ALL_MODELS} >= set(NOT_EXPORTED)
    first = dumps_json(snapshot())
    switch_to(tmp_path / "restored.db")
    report = import_document(ctx, loads_document(first.encode()))
    assert report.skipped == 0 and not report.issues
    for model in compared:
        table = model._meta.table_name
        assert table_rows(model) == before[table], f"{table} does not come back whole from export json"
    assert dumps_json(snapshot()) == first
    # And the same through YAML.
    switch_to(tmp_path / "from-yaml.db")
    import_document(ctx, loads_document(dumps_yaml(json.loads(first)).encode()))
    assert {m._meta.table_name: table_rows(m) for m in compared} == before


def kept_rows() -> tuple:
    """What merges and syncs keep, by what it names: the alias's contact, the pair's, the note's."""
    from netmaint_tui.store.models import database

    return tuple(sorted(database.execute_sql(sql).fetchall(), key=repr) for sql in (
        "SELECT c.name, a.source, a.source_id FROM contact_alias a JOIN contact c ON c.id = a.contact_id",
        "SELECT a.name, a.company, b.name, b.id > a.id FROM not_duplicate n JOIN contact a ON a.id = n.first_id "
        "JOIN contact b ON b.id = n.second_id",
        "SELECT c.name, f.what, h.at, h.source, h.text FROM history_note h LEFT JOIN contact c ON c.id = h.contact_id "
        "LEFT JOIN follow_up f ON f.id = h.follow_up_id"))


def test_what_merges_and_syncs_keep_is_merged_into_a_database_with_data_once(tmp_path, tmp_db, ctx):
    """Into a database that has data, the file's aliases, pairs and notes name the rows its
    contacts and follow-ups became; importing the file again, or into a database that has them
    already, adds none of them twice."""
    from netmaint_tui.services.merging import duplicate_pairs
    from netmaint_tui.services.importing import ContactIndex

    build_everything(ctx, tmp_path)
    expected = kept_rows()
    assert [len(rows) for rows in expected] == [1, 1, 3]
    first = dumps_json(snapshot())
    switch_to(tmp_path / "other.db")
    add_contact(ctx, "Zoe Zed")  # numbers taken: every contact of the file gets another
    add_contact(ctx, "Yan Yu")
    dry = import_document(ctx, json.loads(first), dry_run=True)
    assert [dry.others[s].added for s in ("contact_aliases", "not_duplicates", "history_notes")] == [1, 1, 3]
    assert not dry.issues and kept_rows() == ([], [], [])
    report = import_document(ctx, json.loads(first))
    assert not report.issues
    assert [report.others[s].added for s in ("contact_aliases", "not_duplicates", "history_notes")] == [1, 1, 3]
    assert kept_rows() == expected
    assert not [p for p in duplicate_pairs(ctx) if p.first_name == "Sam Twin"]  # still set apart
    # The next import finds Lena by the id of the contact merged into her.
    assert ContactIndex.load().find({"name": "Lena", "source": "vcard", "source_id": "urn:uuid:lena-card"})[0] is not None
    again = import_document(ctx, json.loads(first))
    assert [(again.others[s].added, again.others[s].unchanged)
            for s in ("contact_aliases", "not_duplicates", "history_notes")] == [(0, 1), (0, 1), (0, 3)]
    assert kept_rows() == expected


def test_importing_everything_again_changes_nothing(tmp_path, tmp_db, ctx):
    from netmaint_tui.store.models import ALL_MODELS

    build_everything(ctx, tmp_path)
    first = snapshot()
    before = {m._meta.table_name: table_rows(m) for m in ALL_MODELS}
    report = import_document(ctx, json.loads(dumps_json(first)))
    assert (report.added, report.updated, report.skipped) == (0, 0, 0) and not report.issues
    assert all((c.added, c.updated, c.skipped) == (0, 0, 0) for c in report.others.values())
    assert {m._meta.table_name: table_rows(m) for m in ALL_MODELS} == before


def test_an_export_without_the_newer_sections_still_imports(tmp_path, tmp_db, ctx):
    """A file from before aliases, pairs and notes were exported: the rest comes in as before."""
    from netmaint_tui.services.import_file import import_file

    build_everything(ctx, tmp_path)
    doc = snapshot()
    for section in ("contact_aliases", "not_duplicates", "history_notes"):
        del doc[section]
    old = dumps_json(doc)
    switch_to(tmp_path / "restored.db")
    report = import_file(ctx, "json", old.encode())
    assert report.skipped == 0 and not report.issues
    assert kept_rows() == ([], [], [])
    again = snapshot()
    assert [again.pop(s) for s in ("contact_aliases", "not_duplicates", "history_notes")] == [[], [], []]
    assert dumps_json(again) == old


def test_the_export_of_the_older_sections_is_unchanged(network):
    """The sections added after correspondents come after it: what was there before is byte for
    byte as it was, and the new ones are empty lists when there is nothing to keep."""
    text = dumps_json(snapshot())
    head, tail = text.split(',\n  "contact_aliases": ', 1)
    assert tail == '[],\n  "not_duplicates": [],\n  "history_notes": []\n}\n'
    assert head + "\n}\n" == dumps_json({k: v for k, v in snapshot().items()
                                          if k not in ("contact_aliases", "not_duplicates", "history_notes")})


def test_a_streamed_restore_takes_the_kept_sections_in_any_order(tmp_path, tmp_db, ctx):
    """The notes name follow-ups: a file that has them first still imports them whole."""
    from netmaint_tui.io.json_io import StreamedDocument
    from netmaint_tui.services.import_file import import_file

    build_everything(ctx, tmp_path)
    expected = kept_rows()
    doc = snapshot()
    reordered = {"format": "netmaint", "version": 1, "history_notes": doc.pop("history_notes"),
                 "not_duplicates": doc.pop("not_duplicates"), **doc}
    switch_to(tmp_path / "restored.db")
    StreamedDocument.BLOCK, block = 97, StreamedDocument.BLOCK  # items split across reads
    try:
        report = import_file(ctx, "json", dumps_json(reordered).encode())
    finally:
        StreamedDocument.BLOCK = block
    assert report.skipped == 0 and not report.issues
    assert kept_rows() == expected


def test_bad_aliases_pairs_and_notes_are_said_and_skipped(tmp_db, ctx):
    from netmaint_tui.store.models import ContactAlias, HistoryNote, NotDuplicate

    doc = {"format": "netmaint", "version": 1,
           "contacts": [{"id": 1, "name": "Dana"}, {"id": 2, "name": "Omar"}],
           "follow_ups": [{"id": 5, "what": "call", "due": "2025-03-20T10:00:00Z"}],
           "contact_aliases": [{"contact": 1, "source": "vcard", "source_id": "u1"},
                               {"contact": 9, "source": "vcard", "source_id": "u2"},
                               {"contact": 2, "source": "vcard", "source_id": ""},
                               {"contact": "1", "source_id": "u3"}],
           "not_duplicates": [{"first": 2, "second": 1, "created_at": "2025-03-01T10:00:00Z"},
                              {"first": 1, "second": 1}, {"first": 1}],
           "history_notes": [{"contact": 1, "at": "2025-03-01T10:00:00Z", "text": "kept"},
                             {"follow_up": 5, "contact": 9, "at": "2025-03-01T10:00:00Z", "text": "both"},
                             {"follow_up": 6, "at": "2025-03-01T10:00:00Z", "text": "gone"},
                             {"at": "2025-03-01T10:00:00Z", "text": "nobody's"},
                             {"contact": 1, "at": "soon", "text": "when?"}]}
    report = import_document(ctx, doc)
    assert [i.message for i in report.issues] == [
        "contact_aliases[1].contact: 9 is not a contact in the file (or it was left out); skipped",
        "contact_aliases[2].source_id: missing; expected the id the contact had in its source; skipped",
        "contact_aliases[3].contact: expected a whole number; skipped",
        "not_duplicates[1]: both are one contact in this database; skipped",
        "not_duplicates[2].second: missing; expected a contact's id; skipped",
        "history_notes[1].contact: 9 is not a contact in the file (or it was left out); imported without it",
        "history_notes[2].follow_up: 6 is not a follow-up in the file (or it was left out); imported without it",
        "history_notes[2]: neither its contact nor its follow-up is in the file; skipped",
        "history_notes[3]: names neither a contact nor a follow-up; skipped",
        "history_notes[4].at: 'soon' is not an ISO 8601 date-time; skipped",
    ]
    assert [(a.contact_id, a.source, a.source_id) for a in ContactAlias.select()] == [(1, "vcard", "u1")]
    assert [(p.first_id, p.second_id) for p in NotDuplicate.select()] == [(1, 2)]
    assert [(n.contact_id, n.follow_up_id, n.source, n.text) for n in HistoryNote.select().order_by(HistoryNote.id)] \
        == [(1, None, "sync", "kept"), (None, 5, "sync", "both")]
