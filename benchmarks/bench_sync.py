"""Time `netmaint sync` on a large network, and measure its peak memory.

Builds the benchmark network (benchmarks/generate.py: netmaint's sample network, only more of it)
with --contacts contacts and --touches touches, then, each in a child process that reports its own
time and peak memory (resource.getrusage, ru_maxrss):
  1. the first sync of contacts, follow-ups and the journal to empty folders;
  2. a sync with nothing changed;
  3. a sync after ten changes: five contacts edited in netmaint, five cards edited in the folder
     (as vdirsyncer writes them: a new file renamed over the old one);
  4. a touch logged in netmaint (its journal folder is written while nothing else changed);
  5. one journal entry changed by another program (the journal folder is listed: one stat per file);
  6. a second database's first sync from the folders A wrote (everything comes in).

Targets (the issue's): first sync under 60 s, nothing changed under 2 s, ten changes under 3 s.
Usage: python benchmarks/bench_sync.py [--contacts 30000] [--touches 300000] [--keep DIR]
Exit status 1 if a run misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NOW = "2025-03-12T10:00:00"
ZONE = "Europe/Berlin"
HERE = Path(__file__).resolve().parent
TARGETS = {"first": 60.0, "unchanged": 2.0, "ten changes": 3.0}

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from netmaint_tui.cli.base import load_settings, make_context
from netmaint_tui.store.db import close_database, open_database
from netmaint_tui.services.sync import sync
db, folders, change = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
open_database(db)
ctx = make_context(load_settings(warn=False))
if change == "touch":
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.store.models import Contact
    log_touch(ctx, [Contact.select().order_by(Contact.id).first().id], note="coffee")
elif change == "entry":
    # Another computer's (or app's) edit of one journal entry: the folder's time moves.
    entry = min(p for p in Path(folders["journal"]).iterdir() if p.suffix == ".ics")
    temp = entry.with_name(f".{entry.name}.other")
    temp.write_bytes(entry.read_bytes().replace(b"END:VJOURNAL", b"X-OTHER-APP:1\r\nEND:VJOURNAL"))
    os.replace(temp, entry)
elif change == "change":
    from netmaint_tui.services.contacts import update_contact
    from netmaint_tui.store.models import Contact
    for i, contact in enumerate(Contact.select().order_by(Contact.id).limit(10)):
        if i < 5:
            update_contact(ctx, contact.id, role=f"changed {i}")
        else:
            # As vdirsyncer brings a phone's edit: a new file, renamed over the old one.
            card = Path(folders["contacts"]) / f"{contact.uid}.vcf"
            temp = card.with_name(f".{card.name}.phone")
            temp.write_bytes(card.read_bytes().replace(b"END:VCARD", b"NOTE:changed on a phone\r\nEND:VCARD"))
            os.replace(temp, card)
start = time.perf_counter()
report = sync(ctx, {k: Path(v) for k, v in folders.items()})
seconds = time.perf_counter() - start
close_database()
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "summary": report.summary()}))
"""


def run(db: Path, folders: dict, change: str = "") -> dict:
    env = dict(os.environ, NETMAINT_NOW=NOW, TZ=ZONE, NETMAINT_CONFIG=str(db.parent / "none.yaml"))
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), json.dumps(folders), change],
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--contacts", type=int, default=30_000)
    p.add_argument("--touches", type=int, default=300_000)
    p.add_argument("--keep", type=Path, default=None, help="work in this folder and leave it")
    args = p.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="netmaint-sync-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        db = root / "a.db"
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--contacts", str(args.contacts), "--touches",
                        str(args.touches), "--db", str(db), "--now", NOW], check=True,
                       env=dict(os.environ, TZ=ZONE), stdout=subprocess.DEVNULL)
        folders = {}
        for name in ("contacts", "follow_ups", "journal"):
            folders[name] = str(root / name)
            shutil.rmtree(folders[name], ignore_errors=True)
            os.makedirs(folders[name])
        results = {
            "first": run(db, folders),
            "unchanged": run(db, folders),
            "ten changes": run(db, folders, change="change"),
            "one touch logged here": run(db, folders, change="touch"),
            "a journal entry changed elsewhere": run(db, folders, change="entry"),
            "second database, first sync": run(root / "b.db", folders),
        }
        failed = False
        print(f"{args.contacts:,} contacts, {args.touches:,} touches")
        for name, result in results.items():
            target = TARGETS.get(name)
            mark = "" if target is None else (" (target %.0f s)" % target)
            if target is not None and result["seconds"] > target:
                failed, mark = True, mark + " MISSED"
            print(f"{name:<34} {result['seconds']:8.3f} s  {result['peak_mb']:6.0f} MB peak  {result['summary']}{mark}")
        return 1 if failed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
