"""The prioritized list, ranked in SQL: one indexed pass over contacts, never over all touches.

contact.last_touch_at is kept by triggers, and the formula itself is rules.priority, which
SQLite calls as nm_score() for the rows returned; the order comes from _RANK_SQL, the same
formula in SQL arithmetic; only the rows asked for are enriched with their reason. Whether a
birthday or anniversary makes a contact due now is one more column, from a set SQLite builds once
(_date_due_sql).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from netmaint_tui.rules.dates import calendar_months, is_after, local_midnight_utc
from netmaint_tui.rules.occasions import DUE_BEFORE, SOON_DAYS, due_for_date, month_days_ahead, soon_words, upcoming
from netmaint_tui.rules.priority import TIER_WEIGHT, ReasonFacts, balance, due_on, reason
from netmaint_tui.rules.search import describe
from netmaint_tui.services.common import Context, local_day, local_time, plain_date, to_db
from netmaint_tui.services.contacts import kind_counts, tags_of
from netmaint_tui.services.occasions import dates_of, occasions
from netmaint_tui.services.search import Finder, found_in
from netmaint_tui.store.models import database

URGENT_WITHIN = dt.timedelta(days=1)
SORTS = ("priority", "leads", "last touch", "name")


@dataclass
class DueRow:
    id: int
    name: str
    company: str
    tier: str
    score: float
    overdue: float
    cadence: int
    last_touch: dt.datetime | None  # aware, local
    last_channel: str | None
    due: dt.date
    days_until_due: int
    gives: int
    asks: int
    balance: int
    leads: int
    urgent: bool
    urgent_follow_up: str | None
    snoozed_until: dt.date | None
    archived: bool
    reason: str
    tags: list[str] = field(default_factory=list)
    last_heard: dt.datetime | None = None  # aware, local: when they last wrote (a captured mail)
    # Where a filter found this contact (rules.search.Found); empty without a filter.
    found: list = field(default_factory=list)

    @property
    def reason_shown(self) -> str:
        """The reason, and first where the filter found the contact: the words of the list's reason line."""
        return " · ".join(p for p in (describe(self.found), self.reason) if p)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "tier": self.tier,
            "score": round(self.score, 4),
            "overdue": round(self.overdue, 4),
            "cadence_days": self.cadence,
            "last_touch": self.last_touch.isoformat() if self.last_touch else None,
            "last_heard": self.last_heard.isoformat() if self.last_heard else None,
            "due": self.due.isoformat(),
            "days_until_due": self.days_until_due,
            "balance": self.balance,
            "gives": self.gives,
            "asks": self.asks,
            "leads": self.leads,
            "follow_up_due": self.urgent,
            "snoozed_until": self.snoozed_until.isoformat() if self.snoozed_until else None,
            "tags": self.tags,
            "found": [{"word": f.word, "where": f.where} for f in self.found],
            "reason": self.reason_shown,
        }


def _follow_up_when(due_local, now, today: dt.date) -> str:
    if is_after(now, due_local):
        return "overdue"
    day = plain_date(due_local.date())
    word = {today: "today", today + dt.timedelta(days=1): "tomorrow"}.get(day, due_local.strftime("%a"))
    return f"due {word} {due_local.strftime('%H:%M')}"


def _where(ctx: Context, include_snoozed: bool, include_archived: bool) -> tuple[str, list]:
    clauses, params = [], []
    if not include_archived:
        clauses.append("c.archived = 0")
    if not include_snoozed:
        clauses.append("(c.snoozed_until IS NULL OR c.snoozed_until <= ?)")
        params.append(ctx.today().isoformat())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


# rules.priority.score as SQL over the ranking's columns (tier, dst, dsa, cad, date_due), giving
# the same floats: weight × max(0, days since touch) / cadence, or for a contact never touched
# weight × (1 + max(0, days since added) / cadence), the cadence an integer of at least 1; at
# least weight × 1 while a birthday or anniversary makes them due (date_due is 0 or 1).
# Sorting 30,000 contacts calls a Python function 30,000 times (most of the command's time);
# this keeps the sort inside SQLite and nm_score for the returned rows, so it must change with it.
_CADENCE_SQL = "MAX(1, CAST(IFNULL(NULLIF(cad, 0), 1) AS INTEGER))"
_RANK_SQL = (
    "(CASE tier " + " ".join(f"WHEN '{t}' THEN {int(w)}" for t, w in TIER_WEIGHT.items()) + " ELSE 1 END) * "
    f"MAX(CASE WHEN dst IS NULL THEN 1.0 + MAX(0.0, dsa) / {_CADENCE_SQL} ELSE MAX(0.0, dst) / {_CADENCE_SQL} END, "
    "date_due * 1.0)"
)

# Each order ends on the id, so it is total: contacts alike in every sorted respect keep one
# order, and a page taken with LIMIT (`due --limit`, a JSON consumer paging) is exactly that
# part of the whole ranking.
_ORDER = {
    "priority": "urgent DESC, rank_score DESC, name COLLATE NOCASE, id",
    "leads": "leads DESC, rank_score DESC, name COLLATE NOCASE, id",
    "last touch": "last_touch_at IS NOT NULL, last_touch_at, name COLLATE NOCASE, id",
    "name": "name COLLATE NOCASE, id",
}


def count_due(ctx: Context, text: str = "", include_snoozed: bool = False, include_archived: bool = False) -> int:
    if (text or "").strip():
        return len(_found(ctx, text, include_snoozed, include_archived, "priority"))
    where, params = _where(ctx, include_snoozed, include_archived)
    return database.execute_sql(f"SELECT COUNT(*) FROM contact c{where}", params).fetchone()[0]


def _date_due_sql(ctx: Context) -> tuple[str, list]:
    """rules.occasions.due_for_date in SQL, for the dates DUE_BEFORE days ahead or fewer: the
    contacts that one of them makes due now, as a set SQLite builds once (so ranking 30,000 costs
    one lookup a row), with the values it binds. A stored date ends in 'MM-DD': each month-day of
    the window maps to the local midnight from which a touch counts for its date, and the
    month-day indexes (migration 4) find the few dates in the window."""
    today, tz = ctx.today(), ctx.clock.tz
    window = month_days_ahead(today, DUE_BEFORE)
    starts = {k: to_db(local_midnight_utc(today + dt.timedelta(days=k - DUE_BEFORE), tz)).isoformat(" ")
              for k in range(DUE_BEFORE + 1)}
    marks = ",".join("?" * len(window))
    days = [md for md, _ in window]

    def start_of(column: str) -> tuple[str, list]:
        return (f"CASE substr({column}, -5) {' '.join('WHEN ? THEN ?' for _ in window)} END",
                [v for md, k in window for v in (md, starts[k])])

    birthday, birthday_params = start_of("b.birthday")
    date, date_params = start_of("d.date")
    sql = (f"SELECT b.id FROM contact b WHERE substr(b.birthday, -5) IN ({marks})"
           f" AND (b.last_touch_at IS NULL OR b.last_touch_at < {birthday})"
           f" UNION SELECT d.contact_id FROM contact_date d JOIN contact a ON a.id = d.contact_id"
           f" WHERE substr(d.date, -5) IN ({marks}) AND (a.last_touch_at IS NULL OR a.last_touch_at < {date})")
    return sql, [*days, *birthday_params, *days, *date_params]


def _found(ctx: Context, text: str, include_snoozed: bool, include_archived: bool, sort: str) -> list[int]:
    """The ranking narrowed by a filter, best matches first (services.search)."""
    return Finder().order(rank_ids(ctx, include_snoozed=include_snoozed, include_archived=include_archived,
                                   sort=sort), text)


def _ranking_sql(ctx: Context, where: str, sort: str, columns: str = "*") -> tuple[str, list]:
    now_db = to_db(ctx.now())
    soon_db = to_db(ctx.now() + URGENT_WITHIN)
    cad = ctx.settings.cadence_days
    leads_column = (
        "(SELECT COUNT(*) FROM follow_up f WHERE f.suggested_by_id = c.id)" if sort == "leads" else "0"
    )
    date_due, date_params = _date_due_sql(ctx)
    sql = f"""
        SELECT {columns} FROM (
          SELECT *, nm_score(tier, dst, dsa, cad, date_due) AS score, nm_overdue(dst, dsa, cad, date_due) AS overdue,
                 {_RANK_SQL} AS rank_score FROM (
            SELECT c.id, c.name, c.company, c.tier, c.last_touch_at, c.last_heard_at, c.snoozed_until, c.archived,
                   c.created_at, c.birthday,
                   COALESCE(c.cadence_days, CASE c.tier WHEN 'A' THEN ? WHEN 'B' THEN ? ELSE ? END) AS cad,
                   julianday(?) - julianday(c.last_touch_at) AS dst,
                   julianday(?) - julianday(c.created_at) AS dsa,
                   c.id IN (SELECT COALESCE(f.about_id, f.suggested_by_id) FROM follow_up f
                            WHERE f.status = 'open' AND f.due <= ?) AS urgent,
                   {leads_column} AS leads,
                   c.id IN ({date_due}) AS date_due
            FROM contact c{where}
          )
        ) ORDER BY {_ORDER.get(sort, _ORDER['priority'])}
    """
    return sql, [cad.get("A", 30), cad.get("B", 90), cad.get("C", 180), now_db, now_db, soon_db, *date_params]


def due_list(
    ctx: Context,
    limit: int | None = None,
    offset: int = 0,
    text: str = "",
    include_snoozed: bool = False,
    include_archived: bool = False,
    sort: str = "priority",
) -> list[DueRow]:
    """The ranking, a page of it; with a filter `text`, the contacts it finds (services.search),
    each row's reason saying where."""
    if (text or "").strip():
        ids = _found(ctx, text, include_snoozed, include_archived, sort)
        rows = rows_for_ids(ctx, ids[int(offset):None if limit is None else int(offset) + int(limit)])
        for row in rows:
            row.found = found_in(ctx, row.id, text)
        return rows
    where, params = _where(ctx, include_snoozed, include_archived)
    sql, head = _ranking_sql(ctx, where, sort)
    cursor = database.execute_sql(sql + " LIMIT ? OFFSET ?", [*head, *params, -1 if limit is None else int(limit), int(offset)])
    names = [d[0] for d in cursor.description]
    return _enrich(ctx, [dict(zip(names, r)) for r in cursor.fetchall()])


def rank_ids(
    ctx: Context, text: str = "", include_snoozed: bool = False, include_archived: bool = False, sort: str = "priority"
) -> list[int]:
    """The whole ranking as ids only: the app keeps this and fetches visible rows with rows_for_ids.
    With a filter `text`, the contacts it finds, best matches first."""
    if (text or "").strip():
        return _found(ctx, text, include_snoozed, include_archived, sort)
    where, params = _where(ctx, include_snoozed, include_archived)
    sql, head = _ranking_sql(ctx, where, sort, columns="id")
    # One row holding every id, not 30,000 rows: each row fetched takes the interpreter lock
    # back, and at start-up this runs on a thread beside the interface's imports. An aggregate
    # over an ordered subquery keeps its order (SQLite does not flatten that subquery); the
    # tests compare it with due_list row by row for every sort.
    (joined,) = database.execute_sql(f"SELECT group_concat(id) FROM ({sql})", [*head, *params]).fetchone()
    return [int(i) for i in joined.split(",")] if joined else []


def rows_for_ids(ctx: Context, ids: list[int]) -> list[DueRow]:
    """Full rows (score, reason…) for these contacts, in the order given."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    sql, head = _ranking_sql(ctx, f" WHERE c.id IN ({marks})", "priority")
    cursor = database.execute_sql(sql, [*head, *ids])
    names = [d[0] for d in cursor.description]
    rows = {r.id: r for r in _enrich(ctx, [dict(zip(names, r)) for r in cursor.fetchall()])}
    return [rows[i] for i in ids if i in rows]


def contact_due_day(ctx: Context, last_touch_at, created_at, cadence: int, dates=()) -> dt.date:
    """The day a contact falls due (rules.priority.due_on) from its stored last touch and
    creation time, read as local days, or earlier for a birthday or anniversary among `dates`
    (rules.occasions.due_for_date): what the list, the exports and the calendar all show."""
    tz = ctx.clock.tz
    last_day = local_day(last_touch_at, tz)
    day = due_on(last_day, local_day(created_at, tz) or ctx.today(), cadence)
    early = due_for_date(dates, ctx.today(), last_day) if dates else None
    return min(day, early) if early is not None else day


def _enrich(ctx: Context, raw: list[dict]) -> list[DueRow]:
    if not raw:
        return []
    soon_db = to_db(ctx.now() + URGENT_WITHIN)
    ids = [r["id"] for r in raw]
    marks = ",".join("?" * len(ids))
    counts = kind_counts(ids)
    tags = tags_of(ids)
    channels = dict(
        database.execute_sql(
            f"""SELECT tc.contact_id, t.channel FROM touch_contact tc JOIN touch t ON t.id = tc.touch_id
                JOIN contact c ON c.id = tc.contact_id
                WHERE tc.contact_id IN ({marks}) AND t.at = c.last_touch_at""",
            ids,
        ).fetchall()
    )
    leads = dict(
        database.execute_sql(
            f"SELECT suggested_by_id, COUNT(*) FROM follow_up WHERE suggested_by_id IN ({marks}) GROUP BY 1", ids
        ).fetchall()
    )
    urgent: dict[int, tuple[str, str]] = {}
    for cid, what, due in database.execute_sql(
        f"""SELECT COALESCE(about_id, suggested_by_id), what, due FROM follow_up
            WHERE status = 'open' AND due <= ? AND COALESCE(about_id, suggested_by_id) IN ({marks})
            ORDER BY due""",
        [soon_db, *ids],
    ).fetchall():
        urgent.setdefault(cid, (what, due))
    anniversaries = dates_of(ids)
    tz = ctx.clock.tz
    today = ctx.today()
    rows = []
    for r in raw:
        gives, asks = counts.get(r["id"], (0, 0))
        last = local_time(r["last_touch_at"], tz)
        heard = local_time(r["last_heard_at"], tz)
        dates = occasions(r["birthday"], anniversaries.get(r["id"], []))
        due_day = contact_due_day(ctx, r["last_touch_at"], r["created_at"], r["cad"], dates)
        until = (due_day - today).days
        urgent_text = None
        if r["id"] in urgent:
            what, due = urgent[r["id"]]
            due_local = local_time(due, tz)
            urgent_text = f"follow-up {_follow_up_when(due_local, ctx.now(), today)}: {what}"
        snoozed = dt.date.fromisoformat(str(r["snoozed_until"])) if r["snoozed_until"] else None
        facts = ReasonFacts(
            # Words like "yesterday" count calendar days: a touch at 23:30 was yesterday, even 10 hours on.
            tier=r["tier"], overdue=r["overdue"],
            days_since_touch=None if last is None else float((today - plain_date(last.date())).days),
            months_since_touch=0 if last is None else calendar_months(plain_date(last.date()), today),
            last_channel=channels.get(r["id"]), gives=gives, asks=asks,
            urgent_follow_up=urgent_text,
            snoozed_until=snoozed.isoformat() if snoozed and snoozed > today else None,
            days_since_heard=None if heard is None else float((today - plain_date(heard.date())).days),
            months_since_heard=0 if heard is None else calendar_months(plain_date(heard.date()), today),
            dates=tuple(soon_words(o, today) for o, _, _ in upcoming(dates, today, SOON_DAYS)),
            days_until_due=until,
        )
        rows.append(
            DueRow(
                id=r["id"], name=r["name"], company=r["company"], tier=r["tier"],
                score=r["score"], overdue=r["overdue"], cadence=r["cad"], last_touch=last,
                last_channel=channels.get(r["id"]), due=due_day,
                days_until_due=until, gives=gives, asks=asks, balance=balance(gives, asks),
                leads=leads.get(r["id"], 0), urgent=bool(r["urgent"]), urgent_follow_up=urgent_text,
                snoozed_until=snoozed, archived=bool(r["archived"]), reason=reason(facts),
                tags=tags.get(r["id"], []), last_heard=heard,
            )
        )
    return rows
