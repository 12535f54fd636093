"""Birthdays and anniversaries as a new user meets them in the app: the reason line, the detail
pane, the week pane's coming dates (a row each, or one row in a short terminal), and the form."""

from __future__ import annotations

from textual.widgets import Input

from .conftest import drive, new_app, opened, settle, static_text

NOW = "2025-03-12T10:00:00"  # a Wednesday


def words(app, selector: str) -> str:
    """A pane's text with its rows joined: where it wraps depends on the pane's width."""
    return " ".join(static_text(app, selector).split())


def network(path) -> None:
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.touches import log_touch

    with opened(path, NOW) as ctx:
        dana = add_contact(ctx, "Dana Lee", tier="C", birthday="1985-03-15", cadence_days=365)
        omar = add_contact(ctx, "Omar Haddad", tier="A", dates="work anniversary=2019-03-17; met=--09-01")
        lee = add_contact(ctx, "Lee Wong", tier="B")
        log_touch(ctx, [dana, omar, lee], at=ctx.now().subtract(days=10))


def test_the_reason_the_detail_and_the_week_show_the_dates(empty_db):
    network(empty_db)

    async def scenario(app, pilot):
        # Dana (tier C, touched 10 days ago on a yearly cadence) is due for her birthday: first.
        assert static_text(app, "#reason").startswith("birthday in 3 days · 1.0× overdue · C")
        assert "Birthday 15 Mar 1985 · turns 40 in 3 days" in words(app, "#detail-fields")
        coming = static_text(app, "#week-dates")
        assert coming.splitlines() == ["Coming up this week", "Sat 15 Dana Lee · birthday, turns 40",
                                       "Mon 17 Omar Haddad · work anniversary, 6 years"]
        await pilot.press("j")
        await settle(app, pilot)
        assert static_text(app, "#reason").startswith("work anniversary in 5 days · next touch in 2d · A")
        assert "Dates work anniversary: 17 Mar 2019 · 6 years in 5 days met: 1 Sep · in 173 days" in words(
            app, "#detail-fields")

    drive(new_app(empty_db, NOW), scenario)


def test_a_short_terminal_shows_the_weeks_dates_in_one_row(empty_db):
    network(empty_db)

    async def scenario(app, pilot):
        assert not app.screen.query_one("#week-dates").region  # the row-each version gives way
        short = app.screen.query_one("#week-dates-short")
        assert short.region and words(app, "#week-dates-short") == (
            "Coming up: Sat 15 Dana Lee (birthday, turns 40) and 1 more")

    drive(new_app(empty_db, NOW), scenario, size=(80, 24))


def test_no_dates_this_week_take_no_room(empty_db):
    from netmaint_tui.services.contacts import add_contact

    with opened(empty_db, NOW) as ctx:
        add_contact(ctx, "Dana Lee", birthday="--06-01")

    async def scenario(app, pilot):
        assert not app.screen.query_one("#week-dates").region and not app.screen.query_one("#week-dates-short").region

    drive(new_app(empty_db, NOW), scenario)


def test_dates_are_typed_in_the_contact_form(empty_db):
    network(empty_db)

    async def scenario(app, pilot):
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#f-dates", Input)
        assert field.value == ""
        field.value = "met=2020-03-13; wedding=--03-14"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "met: 13 Mar 2020 · 5 years tomorrow" in words(app, "#detail-fields")
        assert static_text(app, "#reason").startswith("met tomorrow · wedding in 2 days · birthday in 3 days")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#f-dates", Input).value == "met=2020-03-13; wedding=--03-14"
        app.screen.query_one("#f-dates", Input).value = "birthday=2020-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "own field" in str(app.screen.query_one("#form-error").render())

    drive(new_app(empty_db, NOW), scenario)
