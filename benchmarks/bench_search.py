"""Time the filter as a user types it, on 30,000 contacts and 300,000 touches.

Each query is typed one character at a time, as in the app: a keystroke is what the main screen
does on the screen's own thread, namely narrowing the ranking it holds (services.search.Finder,
one per query, as after a reload: nothing looked up before) and fetching the rows the list then
draws (rows_for_ids, the first 40). The reason line's words for the top row (found_words) are
timed apart: the screen shows them once typing pauses.

The same typing in the app itself (Pilot; bench_ui.py's measure, key sent to list redrawn).
Also timed: building the index for a network that has none (the migration a user's file takes
once, copy before it included), and `netmaint due --filter WORD --limit 20 --json` as a whole process.

Targets per keystroke: median under 50 ms, 95th percentile under 100 ms.
Usage: python benchmarks/bench_search.py [--db FILE] [--rounds N] [--no-app] [--no-migration] [--no-cli]
The database is made with generate.py (30,000 / 300,000) when --db does not exist.
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2026-11-22T10:00:00"
ZONE = "Europe/Berlin"
MEDIAN_MS, P95_MS = 50.0, 100.0
ROWS_DRAWN = 40
# Names, companies, places, tags, words said in touches, words found nowhere, and two words.
QUERIES = ("dana haddad", "northwind", "lisbon", "mentor", "fundraising", "coffee", "the job market",
           "kowalski", "berlin investor", "zzzqx", "a", "t")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ensure_database(path: Path) -> None:
    if path.exists():
        return
    here = Path(__file__).parent
    subprocess.run([sys.executable, str(here / "generate.py"), "--contacts", "30000", "--touches", "300000",
                    "--db", str(path), "--now", NOW], check=True, env={**os.environ, "TZ": ZONE})


def keystrokes(path: Path, rounds: int) -> dict:
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context
    from netmaint_tui.services.due import rank_ids, rows_for_ids
    from netmaint_tui.services.search import Finder, found_words
    from netmaint_tui.store.db import close_database, open_database

    open_database(path)
    ctx = Context(fixed_clock(NOW, ZONE), Settings())
    ranking = rank_ids(ctx)
    wall, cpu, reason, worst = [], [], [], ("", 0.0)
    for _ in range(rounds):
        for query in QUERIES:
            finder = Finder()
            for end in range(1, len(query) + 1):
                typed = query[:end]
                began, began_cpu = time.perf_counter(), time.process_time()
                ids = finder.order(ranking, typed)
                rows_for_ids(ctx, ids[:ROWS_DRAWN])
                ms = (time.perf_counter() - began) * 1000
                wall.append(ms)
                cpu.append((time.process_time() - began_cpu) * 1000)
                if ms > worst[1]:
                    worst = (typed, ms)
            if ids:
                began = time.perf_counter()
                found_words(ctx, ids[0], query)
                reason.append((time.perf_counter() - began) * 1000)
    found = {q: len(Finder().order(ranking, q)) for q in QUERIES}
    close_database()
    return {"wall": wall, "cpu": cpu, "reason": reason, "worst": worst, "found": found, "ranked": len(ranking)}


def in_the_app(path: Path) -> list[float]:
    """Milliseconds per keystroke in the app itself (bench_ui's method: key sent to list redrawn),
    typing words and taking them back with backspace."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_ui import bench_filter

    keys = "".join(word + "<" * len(word) for word in ("fundraising", "lisbon", "mentor", "kowalski")) + "coffee"
    return [t * 1000 for t in bench_filter(path, keys)]


def migration(path: Path) -> tuple[float, float]:
    """Seconds to open a copy of the network without the index (the schema before it), the index
    built on opening."""
    from netmaint_tui.store.db import close_database, open_database
    from netmaint_tui.store.migrations import MIGRATIONS

    # The schema just before the search index, wherever its migration stands in the list.
    before = next(i for i, m in enumerate(MIGRATIONS) if (m.__doc__ or "").startswith("Search:"))
    folder = Path(tempfile.mkdtemp(prefix="netmaint-bench-search-"))
    try:
        copy = folder / "old.db"
        shutil.copy(path, copy)
        conn = sqlite3.connect(copy)
        for table in ("contact_fts", "touch_fts", "follow_up_fts"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"PRAGMA user_version = {before}")
        conn.commit()
        conn.execute("VACUUM")
        conn.close()
        began, began_cpu = time.perf_counter(), time.process_time()
        open_database(copy)
        close_database()
        return time.perf_counter() - began, time.process_time() - began_cpu
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def whole_process(path: Path, word: str, runs: int = 7) -> float:
    env = {**os.environ, "NETMAINT_NOW": NOW, "TZ": ZONE, "NETMAINT_CONFIG": str(path.parent / "no-config.yaml")}
    command = [sys.executable, "-m", "netmaint_tui", "--db", str(path), "due", "--filter", word, "--limit", "20",
               "--json"]
    times = []
    for i in range(runs + 1):
        began = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        if i:  # the first run warms the file cache
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, default=Path("bench-data/large.db"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--no-migration", action="store_true")
    p.add_argument("--no-cli", action="store_true")
    p.add_argument("--no-app", action="store_true")
    args = p.parse_args(argv)
    os.environ["TZ"] = ZONE
    time.tzset()
    ensure_database(args.db)
    print(f"database {args.db}: {os.path.getsize(args.db) / 1e6:.1f} MB")
    result = keystrokes(args.db, args.rounds)
    wall, cpu = result["wall"], result["cpu"]
    median, p95 = statistics.median(wall), percentile(wall, 0.95)
    print(f"{len(wall)} keystrokes over {len(QUERIES)} queries x {args.rounds}, ranking of {result['ranked']:,} held")
    print(f"  keystroke  median {median:6.1f} ms  p95 {p95:6.1f} ms  max {max(wall):6.1f} ms "
          f"(slowest: {result['worst'][0]!r})   target: median < {MEDIAN_MS:g}, p95 < {P95_MS:g}")
    print(f"  processor  median {statistics.median(cpu):6.1f} ms  p95 {percentile(cpu, 0.95):6.1f} ms  "
          f"max {max(cpu):6.1f} ms")
    print(f"  reason line (where the words were found, top row): median {statistics.median(result['reason']):.1f} ms, "
          f"max {max(result['reason']):.1f} ms")
    print("  found: " + ", ".join(f"{q!r} {n:,}" for q, n in result["found"].items()))
    if not args.no_app:
        typed = in_the_app(args.db)
        print(f"in the app, key to redrawn list ({len(typed)} keys, backspaces included): "
              f"median {statistics.median(typed):.1f} ms, p95 {percentile(typed, 0.95):.1f} ms, max {max(typed):.1f} ms")
    if not args.no_migration:
        seconds, cpu_seconds = migration(args.db)
        print(f"index built for an existing network (migration, copy before it included): {seconds:.1f} s "
              f"({cpu_seconds:.1f} s processor)")
    if not args.no_cli:
        for word in ("fundraising", "lisbon"):
            print(f"netmaint due --filter {word} --limit 20 --json, whole process: "
                  f"median {whole_process(args.db, word):.0f} ms")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    met = median < MEDIAN_MS and p95 < P95_MS
    print("targets met" if met else "target missed")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
