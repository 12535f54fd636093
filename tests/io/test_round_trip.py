"""`export json` -> `import json` into an empty database -> `export json` gives the same file, for
any network the services let a person build: odd and long names, whitespace, identical
follow-ups and touches, every field, and what captures from calendars and mail leave (touches
with their source, the items read, deleted captured touches, last heard, the people worth
adding). Values the services refuse are not part of such a network, and what they accept an
import accepts (one set of limits, rules.schema)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmaint_tui.clock import fixed_clock
from netmaint_tui.config import Settings
from netmaint_tui.io.json_io import dumps_json
from netmaint_tui.services import capture, contacts, followups, habit, touches
from netmaint_tui.services.common import Context, InputError
from netmaint_tui.services.exporting import snapshot
from netmaint_tui.services.import_document import import_document
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.store.models import Touch
from tests.capture_files import ME, ics, mbox, message, vevent

NOW = "2025-03-12T10:00:00"
ZONE = "America/New_York"

# Text a person types or pastes: every character but lone surrogates, whitespace at either end.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
PADDED = st.builds(lambda pad, text, tail: pad + text + tail, st.sampled_from(["", " ", "\t", "  "]), TEXT,
                   st.sampled_from(["", " ", "\n"]))
NAME = st.one_of(PADDED, st.text(st.sampled_from("ab é"), min_size=480, max_size=520))
URL = st.sampled_from(["", "linkedin.com/in/Dana-X/", "https://www.linkedin.com/in/dana", "http://example.org/x",
                       " https://DE.linkedin.com/in/Omar?trk=1 "])
LIST = st.lists(st.sampled_from(["a@x.org", "A@X.org", " b@y.org ", "+1 555 0100", "+15550100", "Client",
                                 "client", "mentor", ""]), max_size=5)
# Who a captured meeting or mail names: contacts' addresses (any case), and one nobody has.
PEOPLE = st.lists(st.sampled_from(["a@x.org", "B@y.org", "lee@example.net"]), min_size=1, max_size=3, unique=True)
BIRTHDAY = st.sampled_from([None, "", "1985-07-09", "--02-29", "02-29", "1604-03-01", "1980-02-30"])
# Anniversaries as `add --date` and the form take them, and as an export holds them; some refused.
DATES = st.one_of(
    st.sampled_from([None, "", "met=2019-04-01", " work  anniversary =--02-29; met=1604-06-12\nMET=2019-06-12",
                     "2020-01-01", "birthday=2000-01-01", "met=1980-02-30", "x=1776-07-04"]),
    st.lists(st.fixed_dictionaries({"label": PADDED, "date": st.sampled_from(["2019-04-01", "--12-31", "--02-29"])}),
             max_size=3),
)

CONTACT = st.fixed_dictionaries({
    "name": NAME,
}, optional={
    "company": PADDED, "role": PADDED, "location": PADDED, "how_met": PADDED, "notes": PADDED,
    "linkedin_url": URL, "emails": LIST, "phones": LIST, "tags": LIST,
    "tier": st.sampled_from(["A", "b", " C ", "D", ""]),
    "cadence_days": st.one_of(st.none(), st.integers(-1, 4000), st.sampled_from(["30", " 7 ", "x"])),
    "birthday": BIRTHDAY, "dates": DATES,
})

OPERATION = st.one_of(
    st.tuples(st.just("add"), CONTACT),
    st.tuples(st.just("log"), st.lists(st.integers(0, 9), min_size=1, max_size=3), st.integers(0, 3 * 365 * 24 * 60),
              st.sampled_from(["email", "call", "meeting"]), st.sampled_from(["give", "ask", "catch-up"]),
              st.one_of(st.none(), st.integers(0, 1440)),
              st.sampled_from(["", "Coffee.", "Coffee.\ntodo: send the deck", " spaced \n"])),
    st.tuples(st.just("follow_up"), st.sampled_from(["send the deck", " intro to Lee "]),
              st.sampled_from([None, 0, 1]), st.one_of(st.none(), st.integers(0, 9)),
              st.one_of(st.none(), st.integers(0, 9)), st.sampled_from(["", "Acme", " Acme "])),
    st.tuples(st.just("close"), st.integers(0, 9), st.sampled_from(["done", "dropped"])),
    st.tuples(st.just("edit"), st.integers(0, 9), CONTACT),
    st.tuples(st.just("snooze"), st.integers(0, 9), st.integers(1, 90)),
    st.tuples(st.just("archive"), st.integers(0, 9)),
    st.tuples(st.just("goal"), st.one_of(st.none(), st.integers(0, 20)), st.one_of(st.none(), st.integers(0, 600)),
              st.integers(0, 400)),
    st.tuples(st.just("pause"), st.integers(0, 400), st.integers(0, 30), PADDED),
    # A meeting (its UID, so that one may be read again), a mail sent or received, a touch deleted.
    st.tuples(st.just("meeting"), st.integers(0, 4), PEOPLE, st.integers(60, 3 * 365 * 24 * 60), PADDED),
    st.tuples(st.just("mail"), st.integers(0, 4), PEOPLE, st.integers(0, 3 * 365 * 24 * 60), st.booleans(), PADDED),
    st.tuples(st.just("delete"), st.integers(0, 30)),
)


def _build(ctx: Context, operations, folder) -> None:
    ids: list[int] = []
    follow_up_ids: list[int] = []
    now = ctx.now()

    def pick(i):
        return ids[i % len(ids)] if ids else None

    for op in operations:
        kind = op[0]
        try:
            if kind == "add":
                fields = dict(op[1])
                ids.append(contacts.add_contact(ctx, fields.pop("name"), **fields))
            elif kind == "log" and ids:
                who = [pick(i) for i in op[1]]
                result = touches.log_touch(ctx, who, at=now.subtract(minutes=op[2]), channel=op[3], kind=op[4],
                                           minutes=op[5], note=op[6])
                follow_up_ids += [fid for fid, _, _ in result.follow_ups]
            elif kind == "follow_up":
                due = None if op[2] is None else now.add(days=op[2]).replace(microsecond=0)
                follow_up_ids.append(followups.add_follow_up(
                    ctx, op[1], due=due, suggested_by=pick(op[3]) if op[3] is not None else None,
                    about=pick(op[4]) if op[4] is not None else None, about_text=op[5]))
            elif kind == "close" and follow_up_ids:
                followups.set_status(ctx, follow_up_ids[op[1] % len(follow_up_ids)], op[2])
            elif kind == "edit" and ids:
                contacts.update_contact(ctx, pick(op[1]), **op[2])
            elif kind == "snooze" and ids:
                contacts.snooze(ctx, pick(op[1]), ctx.today() + dt.timedelta(days=op[2]))
            elif kind == "archive" and ids:
                contacts.set_archived(ctx, pick(op[1]), True)
            elif kind == "goal":
                habit.set_goal(ctx, op[1], op[2], ctx.today() - dt.timedelta(days=op[3]))
            elif kind == "pause":
                start = ctx.today() - dt.timedelta(days=op[1])
                habit.add_pause(ctx, start, start + dt.timedelta(days=op[2]), op[3])
            elif kind == "meeting":
                start = now.subtract(minutes=op[3])
                path = folder / f"cal{len(ids)}.ics"
                path.write_bytes(ics(vevent(f"m{op[1]}", start - dt.timedelta(hours=1), summary=op[4].strip() or "x",
                                            attendees=tuple(op[2]))))
                capture.capture_calendar(ctx, [path], [ME])
            elif kind == "mail":
                at = now.subtract(minutes=op[3])
                sent = message(ME, ", ".join(op[2]), op[5].replace("\n", " "), at, msgid=f"{op[1]}@x") if op[4] else \
                    message(op[2][0], ME, "Hello", at, msgid=f"{op[1]}@x")
                path = folder / f"box{len(ids)}.mbox"
                path.write_bytes(mbox(sent))
                capture.capture_mail(ctx, [path], [ME])
            elif kind == "delete":
                made = [tid for (tid,) in Touch.select(Touch.id).tuples()]
                if made:
                    touches.delete_touch(ctx, made[op[1] % len(made)])
        except InputError:
            pass  # refused by the services: not part of a network a person can build


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(operations=st.lists(OPERATION, max_size=25))
def test_export_import_export_gives_the_same_file(tmp_path_factory, operations):
    folder = tmp_path_factory.mktemp("round")
    ctx = Context(fixed_clock(NOW, ZONE), Settings())
    open_database(folder / "a.db")
    try:
        _build(ctx, operations, folder)
        first = dumps_json(snapshot(ctx))
        doc = snapshot(ctx)
    finally:
        close_database()
    open_database(folder / "b.db")
    try:
        report = import_document(ctx, doc)
        assert not report.issues, [i.message for i in report.issues]
        assert dumps_json(snapshot(ctx)) == first
        again = import_document(ctx, doc)  # and a second import of the same file changes nothing
        assert (again.added, again.updated, again.skipped) == (0, 0, 0)
        assert all((c.added, c.updated, c.skipped) == (0, 0, 0) for c in again.others.values())
        assert dumps_json(snapshot(ctx)) == first
    finally:
        close_database()
