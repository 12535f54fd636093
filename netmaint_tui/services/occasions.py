"""Birthdays and anniversaries as the database keeps them: a contact's dates, writing them, and
those coming up in the next days (rules.occasions says when each falls).

A birthday is a column of the contact; anniversaries are rows of contact_date. Either way the
stored date ends in 'MM-DD', so the days coming up are found by that month-day (indexed, see
migration 4), with no date arithmetic in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netmaint_tui.rules.occasions import BIRTHDAY, SOON_DAYS, Occasion, month_days_ahead, next_on, parse, years_on
from netmaint_tui.services.common import Context
from netmaint_tui.store.models import database

MAX_DAYS_AHEAD = 366  # a whole year, 29 February included


def dates_of(contact_ids) -> dict[int, list[dict]]:
    """Each contact's anniversaries, [{"label", "date"}] in the order they were given."""
    ids = list(contact_ids)
    out: dict[int, list[dict]] = {}
    for start in range(0, len(ids), 900):  # SQLite's limit on bound values
        chunk = ids[start:start + 900]
        for cid, label, date in database.execute_sql(
            f"SELECT contact_id, label, date FROM contact_date WHERE contact_id IN ({','.join('?' * len(chunk))}) "
            "ORDER BY id",
            chunk,
        ).fetchall():
            out.setdefault(cid, []).append({"label": label, "date": date})
    return out


def all_dates() -> dict[int, list[dict]]:
    """Every contact's anniversaries (for an export), as dates_of gives them."""
    out: dict[int, list[dict]] = {}
    for cid, label, date in database.execute_sql("SELECT contact_id, label, date FROM contact_date ORDER BY id"):
        out.setdefault(cid, []).append({"label": label, "date": date})
    return out


def set_dates(contact_id: int, dates: list[dict]) -> None:
    """Replace a contact's anniversaries (cleaned by rules.schema.clean_dates) in the caller's
    transaction."""
    database.execute_sql("DELETE FROM contact_date WHERE contact_id = ?", [contact_id])
    insert_dates([(contact_id, d) for d in dates])


def insert_dates(rows: list[tuple[int, dict]], cursor=None) -> None:
    """Add (contact id, {"label", "date"}) rows, through `cursor` when a bulk writer has one."""
    if not rows:
        return
    params = [(cid, d["label"], d["date"]) for cid, d in rows]
    sql = "INSERT INTO contact_date (contact_id, label, date) VALUES (?, ?, ?)"
    if cursor is not None:
        cursor.executemany(sql, params)
    else:
        database.connection().executemany(sql, params)


def occasions(birthday: str | None, dates: list[dict]) -> list[Occasion]:
    """A contact's birthday and anniversaries as occasions (a stored value that is no date is
    left out: it is still shown as it is written)."""
    found = [parse(BIRTHDAY, birthday)] + [parse(d["label"], d["date"]) for d in dates]
    return [o for o in found if o is not None]


@dataclass
class UpcomingDate:
    contact_id: int
    name: str
    tier: str
    occasion: Occasion
    on: dt.date  # the day it falls on next
    in_days: int
    turns: int | None  # the age they turn, or the years an anniversary marks; None without a year

    @property
    def what(self) -> str:
        return self.occasion.what

    def as_json(self) -> dict:
        return {"id": self.contact_id, "name": self.name, "what": self.what, "date": self.on.isoformat(),
                "in_days": self.in_days, "turns": self.turns}


def upcoming_dates(ctx: Context, days: int = SOON_DAYS, include_snoozed: bool = False) -> list[UpcomingDate]:
    """Birthdays and anniversaries of active contacts in the next `days` days (0: today only),
    soonest first, then by tier (A first) and name. Snoozed contacts are left out as the list leaves them out, and
    archived ones always."""
    today = ctx.today()
    days = max(0, min(int(days), MAX_DAYS_AHEAD))
    window = sorted({md for md, _ in month_days_ahead(today, days)})
    every_day = len(window) >= 366
    match = "" if every_day else f" AND substr({{col}}, -5) IN ({','.join('?' * len(window))})"
    params = [] if every_day else window
    active = "c.archived = 0" + ("" if include_snoozed else " AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?)")
    active_params = [] if include_snoozed else [today.isoformat()]
    rows = database.execute_sql(
        f"SELECT c.id, c.name, c.tier, ?, c.birthday FROM contact c WHERE {active} AND c.birthday IS NOT NULL"
        + match.format(col="c.birthday")
        + f" UNION ALL SELECT c.id, c.name, c.tier, d.label, d.date FROM contact_date d JOIN contact c ON c.id = d.contact_id "
        f"WHERE {active}" + match.format(col="d.date"),
        [BIRTHDAY, *active_params, *params, *active_params, *params],
    ).fetchall()
    out = []
    for cid, name, tier, what, stored in rows:
        occasion = parse(what, stored)
        if occasion is None:
            continue
        on = next_on(occasion, today)
        ahead = (on - today).days
        if ahead <= days:
            out.append(UpcomingDate(cid, name, tier, occasion, on, ahead, years_on(occasion, on)))
    # Key contacts first within a day: in a large network a day holds dozens of birthdays.
    out.sort(key=lambda u: (u.in_days, u.tier, not u.occasion.is_birthday, u.name.casefold(), u.contact_id,
                            u.what.casefold()))
    return out
