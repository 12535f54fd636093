"""The ranking and what is built on it, inside one process, at network scale.

    python benchmarks/bench_ranking.py [--db bench-data/cli-large.db] [--runs 15]

Times the calls the list, `due`, `week` and `today` make on a database built by
benchmarks/generate.py (bench_cli.py builds bench-data/cli-large.db): `due_list(limit=20)`,
`rank_ids` (the app's whole ranking), `week_summary` on the Sunday the network was generated, and,
where this version has them, `upcoming_dates` (the next week's birthdays and anniversaries) and
`digest` (all of `netmaint today`). Each call runs --runs times after one warm-up; the median wall
time and the median processor time are reported, the second steadier on a busy machine. Run it
with PYTHONPATH naming another checkout to time that version on its own database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = "2026-11-22T10:00:00"
ZONE = "Europe/Berlin"


def calls(ctx) -> dict:
    from netmaint_tui.services.due import due_list, rank_ids
    from netmaint_tui.services.habit import week_summary

    found = {
        "due_list(limit=20)": lambda: due_list(ctx, limit=20),
        "rank_ids (the whole ranking)": lambda: rank_ids(ctx),
        "week_summary": lambda: week_summary(ctx),
    }
    try:
        from netmaint_tui.services.occasions import upcoming_dates
        from netmaint_tui.services.today import digest
    except ImportError:  # a version from before birthdays
        return found
    found["upcoming_dates (7 days)"] = lambda: upcoming_dates(ctx)
    found["digest (netmaint today)"] = lambda: digest(ctx)
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, default=HERE.parent / "bench-data" / "cli-large.db")
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args(argv)
    if not args.db.exists():
        p.error(f"{args.db} does not exist: build it with benchmarks/bench_cli.py or benchmarks/generate.py")

    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context
    from netmaint_tui.store.db import close_database, open_database

    open_database(args.db)
    ctx = Context(fixed_clock(NOW, ZONE), Settings())
    try:
        print(f"{args.db} (median of {args.runs}; wall ms / processor ms)")
        for label, call in calls(ctx).items():
            call()
            wall, cpu = [], []
            for _ in range(args.runs):
                w, c = time.perf_counter(), time.process_time()
                call()
                wall.append((time.perf_counter() - w) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            print(f"  {label:<30} {statistics.median(wall):7.1f} / {statistics.median(cpu):7.1f}")
    finally:
        close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
