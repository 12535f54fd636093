"""A realistic sample network, for `netmaint demo` and for the benchmarks.

The same generator makes 150 contacts for a newcomer and 30,000 for a benchmark: tiers, tags,
companies, birthdays and work anniversaries (a few of them this week), touches over every channel
and kind spread week by week (so the habit has a real history: a goal raised once, a vacation
pause, most weeks met), and open, overdue and closed follow-ups. Rows go in with executemany
inside one transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from pathlib import Path

from netmaint_tui.rules.dates import local_midnight_utc, week_start
from netmaint_tui.services.common import Context, to_db
from netmaint_tui.store.db import open_database
from netmaint_tui.store.models import database
from netmaint_tui.store.rows import INSERT_CONTACT, to_row

FIRST = (
    "Dana Omar Lena Priya Mateo Yuki Amara Jonas Sofia Kwame Ines Ravi Chloe Tomasz Aisha Lucas Mei "
    "Noah Fatima Diego Hannah Sven Leila Marcus Nadia Felix Zara Hugo Elif Samuel Ana Kenji Maya Ibrahim "
    "Clara Oscar Nia Pavel Rosa Daniel Ingrid Tariq Emma Luis Keiko Arjun Greta Malik Olivia Erik"
).split()
LAST = (
    "Haddad Fischer Nakamura Okafor Rossi Schmidt Garcia Kowalski Dubois Mensah Silva Patel Andersson "
    "Kim Novak Hernandez Ivanova Moreau Yilmaz Brennan Costa Lindqvist Adeyemi Romano Chen Weber Laurent "
    "Sato Bauer Nguyen Horvat Alvarez Petrov Ortiz Larsen Mahmoud Jansen Becker Ferreira Khan"
).split()
COMPANIES = (
    "Northwind Labs", "Acme Analytics", "Bluefin Health", "Harbor Robotics", "Quill & Co", "Lumen Energy",
    "Cobalt Bank", "Tidewater Logistics", "Evergreen Schools", "Pixel Forge", "Atlas Insurance",
    "Orbit Media", "Summit Consulting", "Granite Capital", "Kestrel Aerospace", "Meridian Foods",
    "Juniper Software", "Beacon Recruiting", "Riverbend Hospital", "Copperleaf Design",
)
ROLES = (
    "Engineering Manager", "Staff Engineer", "Product Lead", "Head of Data", "CTO", "Recruiter",
    "Designer", "VP Sales", "Founder", "Analyst", "Director of Operations", "Professor", "Consultant",
)
TAGS = ("former colleague", "university", "client", "recruiter", "mentor", "conference", "investor", "neighbour")
CITIES = ("Berlin", "Lisbon", "Toronto", "Austin", "Nairobi", "Singapore", "London", "Chicago", "Oslo", "Madrid")
HOW_MET = ("worked together", "met at a conference", "introduced by a friend", "university", "a client project", "LinkedIn")

CHANNELS = (("email", 30), ("call", 15), ("meeting", 20), ("card", 4), ("social", 15), ("message", 12), ("event", 4))
KINDS = (("catch-up", 58), ("give", 27), ("ask", 15))
NOTES = {
    "meeting": ("Coffee near the office. Talked about {topic}.", "Lunch; they are hiring for {topic}.",
                "Long walk, caught up on family and {topic}.\n- [ ] send the article on {topic}"),
    "call": ("Quick call about {topic}.", "Called to congratulate on the new role.",
             "Phone catch-up; suggested I talk to someone at {company}.\ntodo: write to {company}"),
    "email": ("Sent an article on {topic}.", "Asked for advice on {topic}.", "Thanked them for the intro."),
    "card": ("Sent a handwritten thank-you card.", "Holiday card."),
    "social": ("Commented on their post about {topic}.", "Shared their talk on {topic}."),
    "message": ("Texted about the meetup.", "Quick message: how's it going?"),
    "event": ("Saw them at the {topic} meetup.", "Both at the industry dinner."),
}
TOPICS = ("data platforms", "hiring", "climate tech", "design systems", "the job market", "AI tooling",
          "open source", "fundraising", "team leadership", "a career change")


def _weighted(rng: random.Random, pairs):
    names, weights = zip(*pairs)
    return rng.choices(names, weights=weights)[0]


def build_demo(path: Path, ctx: Context, seed: int = 7, contacts: int = 150, touches: int | None = None,
               months: int = 18, progress=None) -> Path:
    """Create (or extend) the database at `path` with a sample network and return the path."""

    open_database(path)
    rng = random.Random(seed)
    now = ctx.now()
    today = now.date()
    start_day = ctx.settings.week_start
    first_day = (now.subtract(months=months)).date()

    # One transaction touches every page of a big network: a larger page cache for the build
    # keeps SQLite from spilling and re-reading them (SQLite's default is 2 MB).
    cache = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql("PRAGMA cache_size = -262144")
    try:
        with database.atomic():
            ids = _contacts(database, rng, contacts, first_day, now)
            weeks = _weeks(first_day, today, start_day)
            # By default a person who keeps the habit: about six touches a week.
            total = touches if touches is not None else 6 * len(weeks)
            pause_weeks = _goals_and_pause(database, rng, weeks, now, start_day)
            _touches(database, rng, ids, weeks, pause_weeks, total, now, progress)
            _follow_ups(database, rng, ids, now)
            # Drawn from a generator of their own, so the rest of the network stays as it was.
            _dates(database, random.Random(seed * 31 + 1), ids, today)
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(cache)}")
    return Path(path)


def _contacts(db, rng, n, first_day, now):
    tag_ids = {}
    for t in TAGS:
        tag_ids[t] = db.execute_sql("INSERT INTO tag (name) VALUES (?) ON CONFLICT(name) DO NOTHING RETURNING id", (t,)).fetchone() \
            or db.execute_sql("SELECT id FROM tag WHERE name = ?", (t,)).fetchone()
        tag_ids[t] = tag_ids[t][0]
    rows, seen = [], set()
    span = max(1, (now.date() - first_day).days)
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        if name in seen:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        if name in seen:
            name = f"{name} {i}"
        seen.add(name)
        tier = rng.choices("ABC", weights=(12, 33, 55))[0]
        company = rng.choice(COMPANIES)
        added = now.subtract(days=span + rng.randint(0, 400))
        if i % 29 == 5:  # a few people added recently and never touched
            added = now.subtract(days=rng.randint(0, 20))
        email = f"{first.lower()}.{last.lower()}{i}@{company.split()[0].lower()}.example"
        birthday = f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else None
        rows.append({
            "name": name, "company": company, "role": rng.choice(ROLES), "emails": [email],
            # A number of their own (people do not share phones): the same draws as ever, so the
            # rest of the network stays as it was.
            "phones": [f"+1 555 {100 + i % 900:03d} {rng.randint(0, 99):02d}{i // 900 % 100:02d}"]
            if rng.random() < 0.5 else [],
            "linkedin_url": f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i}",
            "location": rng.choice(CITIES), "how_met": rng.choice(HOW_MET), "tier": tier,
            "cadence_days": 14 if (tier == "A" and rng.random() < 0.1) else None, "birthday": birthday,
            "source": "demo", "source_id": f"demo-{i}", "created_at": to_db(added), "updated_at": to_db(added),
        })
    cur = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM contact")
    base = cur.fetchone()[0]
    db.cursor().executemany(INSERT_CONTACT, [to_row(base + 1 + i, row) for i, row in enumerate(rows)])
    ids = list(range(base + 1, base + n + 1))
    links = []
    for cid in ids:
        for t in rng.sample(TAGS, k=rng.choice((0, 1, 1, 2))):
            links.append((cid, tag_ids[t]))
    db.cursor().executemany("INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", links)
    return ids


def _dates(db, rng, ids, today):
    """Work anniversaries for about one contact in ten, and a few dates this week for key
    contacts long out of touch (so the top of the list shows them): a birthday today (with its
    year), one in two days (without), an anniversary in five."""
    rows = []
    for cid in ids:
        if rng.random() < 0.1:
            rows.append((cid, "work anniversary",
                         f"{rng.randint(2008, today.year - 1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    key = [cid for (cid,) in db.execute_sql(
        f"SELECT id FROM contact WHERE id >= {ids[0]} AND id <= {ids[-1]} AND tier = 'A' "
        "ORDER BY last_touch_at IS NOT NULL, last_touch_at, id LIMIT 8")]
    soon = rng.sample(key, k=min(3, len(key)))
    for i, cid in enumerate(soon):
        day = today + dt.timedelta(days=(0, 2, 5)[i])
        if i == 0:
            db.execute_sql("UPDATE contact SET birthday = ? WHERE id = ?", (_on(day, today.year - rng.randint(28, 55)), cid))
        elif i == 1:
            db.execute_sql("UPDATE contact SET birthday = ? WHERE id = ?", (_on(day, None), cid))
        else:
            rows.append((cid, "work anniversary", _on(day, today.year - rng.randint(2, 9))))
    db.cursor().executemany("INSERT INTO contact_date (contact_id, label, date) VALUES (?, ?, ?)", rows)


def _on(day, year):
    """`day`'s month and day in `year`, as a date is stored; without the year where it has none
    (or no 29 February)."""
    try:
        return dt.date(year, day.month, day.day).isoformat() if year else f"--{day.month:02d}-{day.day:02d}"
    except ValueError:
        return f"--{day.month:02d}-{day.day:02d}"


def _weeks(first_day, today, start_day):
    w = week_start(first_day, start_day)
    out = []
    while w <= today:
        out.append(w)
        w += dt.timedelta(days=7)
    return out


def _goals_and_pause(db, rng, weeks, now, start_day):
    created = to_db(now)
    db.execute_sql("INSERT INTO goal (from_date, touches, minutes, created_at) VALUES (?, 3, NULL, ?)",
                   (weeks[0].isoformat(), created))
    raised = weeks[len(weeks) // 2]
    db.execute_sql("INSERT INTO goal (from_date, touches, minutes, created_at) VALUES (?, 5, 60, ?)",
                   ((raised + dt.timedelta(days=2)).isoformat(), created))
    vac = weeks[-17] if len(weeks) > 17 else weeks[0]
    end = vac + dt.timedelta(days=13)
    db.execute_sql("INSERT INTO pause (start, \"end\", reason, created_at) VALUES (?, ?, 'Vacation in Portugal', ?)",
                   (vac.isoformat(), end.isoformat(), created))
    return {vac, vac + dt.timedelta(days=7)}


def _touches(db, rng, ids, weeks, pause_weeks, total, now, progress):
    tz = now.timezone
    tiers = dict(db.execute_sql(f"SELECT id, tier FROM contact WHERE id >= {ids[0]} AND id <= {ids[-1]}").fetchall())
    weight = {"A": 6, "B": 2, "C": 1}
    # Cumulative weights once: random.choices(weights=...) re-sums all of them on every call,
    # which at 30,000 contacts costs more than everything else put together. Same draws either way.
    cum_weights = list(itertools.accumulate(weight[tiers[i]] for i in ids))
    per_week = max(1, total // max(1, len(weeks)))
    cur = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM touch")
    next_id = cur.fetchone()[0] + 1
    touch_rows, link_rows, made = [], [], 0
    last: dict[int, str] = {}  # contact id -> its latest touch, as stored text
    created = to_db(now)
    # People are added after meeting them: one first touch on the day each contact was added
    # (older than the habit, so it shapes the list, not the streak).
    for cid, added in db.execute_sql(
        f"SELECT id, created_at FROM contact WHERE id >= {ids[0]} AND id <= {ids[-1]} AND id % 7 != 3"
    ).fetchall():
        touch_rows.append((next_id, added, "meeting", "catch-up", 30, "First met; added to the network.", created))
        link_rows.append((next_id, cid))
        last[cid] = added
        next_id += 1
    for wi, w in enumerate(weeks):
        is_current = wi == len(weeks) - 1
        if w in pause_weeks:
            n = rng.choice((0, 1))
        elif is_current:
            n = min(2, per_week)  # the week is under way: a little done, more to do
        elif rng.random() < 0.12:  # an off week now and then
            n = max(0, per_week // 3)
        else:
            spread = max(1, per_week // 4)
            n = per_week + rng.randint(-spread, spread)
        # A plain datetime: pendulum's own arithmetic is several times slower per touch.
        base = dt.datetime.fromtimestamp(local_midnight_utc(w, tz).timestamp(), dt.timezone.utc)
        for _ in range(n):
            offset = dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(8, 19), minutes=rng.choice((0, 15, 30, 45)))
            at = base + offset
            if at > now:
                at = now.subtract(hours=rng.randint(1, 20))
            channel = _weighted(rng, CHANNELS)
            kind = _weighted(rng, KINDS)
            minutes = rng.choice((15, 20, 30, 45, 60)) if channel in ("call", "meeting", "event") else (
                rng.choice((5, 10)) if channel == "email" else None)
            people = rng.choices(ids, cum_weights=cum_weights, k=3 if rng.random() < 0.05 else 1)
            note = rng.choice(NOTES[channel]).format(topic=rng.choice(TOPICS), company=rng.choice(COMPANIES))
            stamp = to_db(at).isoformat(" ")  # the text sqlite3 stores for a datetime
            touch_rows.append((next_id, stamp, channel, kind, minutes, note, created))
            for cid in dict.fromkeys(people):
                link_rows.append((next_id, cid))
                if cid not in last or last[cid] < stamp:
                    last[cid] = stamp
            next_id += 1
            made += 1
        if len(touch_rows) > 20000:
            _flush(db, touch_rows)
            if progress:
                progress(made, total)
    _flush(db, touch_rows)
    # contact.last_touch_at is the trigger's to keep, and it still runs for every link below;
    # but set to its final value first, the trigger's guard (only ever move it later) finds
    # nothing to write, instead of rewriting a contact row once per touch.
    db.cursor().executemany(
        "UPDATE contact SET last_touch_at = ? WHERE id = ? AND (last_touch_at IS NULL OR last_touch_at < ?)",
        [(stamp, cid, stamp) for cid, stamp in last.items()],
    )
    db.cursor().executemany("INSERT OR IGNORE INTO touch_contact (touch_id, contact_id) VALUES (?, ?)", link_rows)
    if progress:
        progress(made, total)


def _flush(db, touch_rows):
    db.cursor().executemany(
        "INSERT INTO touch (id, at, channel, kind, minutes, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", touch_rows)
    touch_rows.clear()


def _follow_ups(db, rng, ids, now):
    created = to_db(now)
    items = [
        ("Send the deck on the data platform", now.add(hours=5), "open"),
        ("Intro Priya to the hiring manager at Juniper Software", now.subtract(days=1), "open"),
        ("Write to Harbor Robotics about the opening", now.add(days=3), "open"),
        ("Read the book they recommended", now.add(days=9), "open"),
        ("Thank them for the referral", now.subtract(days=20), "done"),
        ("Follow up with Lumen Energy", now.subtract(days=40), "done"),
        ("Call back about the conference talk", now.subtract(days=60), "dropped"),
    ]
    extra = max(0, len(ids) // 50 - 3)
    for i in range(extra):
        items.append((f"Look into {rng.choice(COMPANIES)}", now.add(days=rng.randint(-30, 30)),
                      rng.choice(("open", "done", "done", "dropped"))))
    rows = []
    for what, due, status in items:
        suggested = rng.choice(ids)
        closed = created if status != "open" else None
        rows.append((what, to_db(due), status, suggested, created, closed))
    db.cursor().executemany(
        "INSERT INTO follow_up (what, due, status, suggested_by_id, about_text, created_at, closed_at) "
        "VALUES (?, ?, ?, ?, '', ?, ?)",
        rows,
    )
