"""Merging duplicates in the app: from the likely pairs, or two contacts marked in the list."""

from __future__ import annotations

from netmaint_tui.store.models import Contact
from netmaint_tui.ui.screens.merging import DuplicatesScreen, MergeDialog
from netmaint_tui.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, drive, list_lines, new_app, notifications, opened, screen_text, settle


def network(path):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    with opened(path, NOW) as ctx:
        john = add_contact(ctx, "John Doe", emails=["john@doe.example"], tier="A")
        other = add_contact(ctx, "Mr. John Richter James Doe Sr.", company="Acme", location="Lisbon", tier="B")
        dana = add_contact(ctx, "Dana Haddad", tier="C")
        log_touch(ctx, [john], at=ctx.now().subtract(days=40), kind="give")
        log_touch(ctx, [other], at=ctx.now().subtract(days=100), kind="ask", note="Lunch in Lisbon")
    return john, other, dana


def listed(app) -> list[int]:
    return list(app.main.query_one(ContactList).ids)


def test_pick_a_pair_from_the_likely_duplicates_see_the_result_merge_and_undo(tmp_path):
    john, other, dana = network(tmp_path / "n.db")

    async def scenario(app, pilot):
        await pilot.press("M")
        await settle(app, pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        text = screen_text(app)
        assert "1 likely duplicate pair" in text and "same name with and without middle names or titles" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MergeDialog)
        preview = screen_text(app)
        for shown in ("Keep    John Doe  #1", "Merge in Mr. John Richter James Doe Sr.  #2",
                      "Company   Acme  ← theirs", "Location  Lisbon  ← theirs",
                      "Name      Mr. John Richter James Doe Sr.  (kept: John Doe)", "History   1 + 1 touches → 2",
                      "Goodwill  +1 and −1 → 0"):
            assert shown in preview, shown
        await pilot.press("enter")  # a second Enter (the one that opened the preview, pressed twice) is no yes
        await settle(app, pilot)
        assert isinstance(app.screen, MergeDialog) and Contact.get_or_none(Contact.id == other) is not None
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, DuplicatesScreen) and "No likely duplicates." in screen_text(app)
        assert "Merged Mr. John Richter James Doe Sr. into John Doe · u to undo" in notifications(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert sorted(listed(app)) == [john, dana]
        assert "History (2)" in screen_text(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert sorted(listed(app)) == [john, other, dana]

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_mark_two_then_merge_keeping_the_other_or_cancel(tmp_path):
    john, other, dana = network(tmp_path / "n.db")

    async def scenario(app, pilot):
        ids = listed(app)
        await pilot.press("m")
        await settle(app, pilot)
        assert list_lines(app)[1].startswith("*")
        await pilot.press("j", "j", "M")  # one marked, another highlighted: those two
        await settle(app, pilot)
        assert isinstance(app.screen, MergeDialog)
        assert app.screen.preview.keep.id == ids[0] and app.screen.preview.other.id == ids[2]
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.preview.keep.id == ids[2] and app.screen.preview.other.id == ids[0]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.main and len(listed(app)) == 3
        await pilot.press("k", "m", "M")  # two marked now
        await settle(app, pilot)
        assert (app.screen.preview.keep.id, app.screen.preview.other.id) == (ids[0], ids[1])
        await pilot.press("y")
        await settle(app, pilot)
        assert len(listed(app)) == 2 and not any(line.startswith("*") for line in list_lines(app))

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_two_people_not_one_leave_the_list_and_undo_brings_them_back(tmp_path):
    network(tmp_path / "n.db")

    async def scenario(app, pilot):
        await pilot.press("M")
        await settle(app, pilot)
        assert "1 likely duplicate pair" in screen_text(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, DuplicatesScreen) and "No likely duplicates." in screen_text(app)
        assert any("are two people: no longer listed · u to undo" in n for n in notifications(app))
        await pilot.press("escape", "M")
        await settle(app, pilot)
        assert "No likely duplicates." in screen_text(app)  # remembered, not only hidden
        await pilot.press("u")
        await settle(app, pilot)
        assert "1 likely duplicate pair" in screen_text(app)

    drive(new_app(tmp_path / "n.db", NOW), scenario)


def test_long_values_in_the_preview_wrap_under_their_value_column(tmp_path):
    from netmaint_tui.services.contacts import add_contact

    path = tmp_path / "n.db"
    with opened(path, NOW) as ctx:
        add_contact(ctx, "John Doe", emails=["john.doe.longname@northwind.example"])
        add_contact(ctx, "Mr. John Doe", emails=["john.doe.other@evergreen.example"],
                    linkedin_url="https://www.linkedin.com/in/john-doe-with-a-very-long-profile-name-1234567")

    async def scenario(app, pilot):
        await pilot.press("M")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MergeDialog)
        preview = app.screen.query_one("#merge-preview")
        lines = [strip.text for strip in preview.render_lines(preview.region.reset_offset)]
        result = lines[lines.index(next(l for l in lines if l.startswith("The result"))) + 1:]
        result = result[:next(i for i, l in enumerate(result) if not l.strip())]
        assert any(l.startswith("LinkedIn  https://") for l in result)
        continued = [l for l in result if not l[:10].strip()]
        assert continued and all(l[10] != " " for l in continued)  # under the values, not at column 0
        assert any("theirs)" in l for l in continued)

    drive(new_app(path, NOW), scenario, size=(56, 30))
