"""Build a realistic benchmark network: tiers, tags, three years of touches, goals, a pause, follow-ups.

    python benchmarks/generate.py --contacts 30000 --touches 300000 --db bench-data/large.db

The generator is netmaint's own sample network (netmaint_tui.demo.build_demo), so the benchmark
ranks the same shape of data a user sees in `netmaint demo`, only more of it. The file is
replaced if it exists. --now fixes the moment the history ends at (default: NETMAINT_NOW, else
now), so a benchmark can run its commands "as of" the same moment.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--contacts", type=int, required=True)
    p.add_argument("--touches", type=int, required=True)
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--now", default=None,
                   help="ISO 8601 moment the history ends at, in TZ's zone unless it has an offset "
                        "(default NETMAINT_NOW or now)")
    p.add_argument("--months", type=int, default=36, help="how far back the history goes (default 36)")
    args = p.parse_args(argv)
    if args.contacts < 1 or args.touches < 0:
        p.error("--contacts must be 1 or more and --touches 0 or more")

    from netmaint_tui.clock import fixed_clock, system_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.demo import build_demo
    from netmaint_tui.services.common import Context
    from netmaint_tui.store.db import close_database

    clock = fixed_clock(args.now) if args.now else system_clock()
    ctx = Context(clock, Settings())
    path = args.db.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        extra = Path(str(path) + suffix)
        if extra.exists():
            extra.unlink()

    started = time.perf_counter()

    def progress(made: int, total: int) -> None:
        print(f"  touches {made:>9,}/{total:,}  {time.perf_counter() - started:6.1f} s", file=sys.stderr, flush=True)

    print(f"building {path}: {args.contacts:,} contacts, {args.touches:,} touches over {args.months} months "
          f"(seed {args.seed}, now {clock.now().isoformat()})", file=sys.stderr, flush=True)
    build_demo(path, ctx, seed=args.seed, contacts=args.contacts, touches=args.touches, months=args.months,
               progress=progress)
    close_database()
    elapsed = time.perf_counter() - started
    # The generator spreads touches week by week (off weeks, a pause), so the count is near M, not M.
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        counts = [con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("contact", "touch", "touch_contact")]
    con.close()
    print(f"done in {elapsed:.1f} s: {counts[0]:,} contacts, {counts[1]:,} touches, {counts[2]:,} links; "
          f"{os.path.getsize(path) / 1e6:.1f} MB", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
