"""Time `netmaint import linkedin` on a 30,000-connection export, as whole processes.

Writes a realistic Connections.csv (LinkedIn's 2022+ layout: the `Notes:` preamble, a blank
line, then `First Name,Last Name,URL,Email Address,Company,Position,Connected On`; most emails
blank, some names with accents, commas and quotes, a few removed members), then runs:

  1. import into an empty database
  2. the same file again (nothing changes)
  3. "next month": the same people, one in ten with a new company or position

Target: each under 10 s. Usage: python benchmarks/bench_import.py [--rows N] [--keep DIR]
Exit status 1 if a run misses the target or reports the wrong counts.

With --network DB (a database built by generate.py), it times the streamed files instead, each
a whole process with its peak memory (the child's own maximum resident size, from wait4):

  1. `export json` of the whole network           target < 5 s, < 150 MB
  2. `import json` of that file into an empty one  target < 20 s, < 300 MB
  3. `import linkedin --dry-run` of a --big-mb CSV (default 200 MB) into an empty database:
     target < 300 MB

    python benchmarks/bench_import.py --network bench-data/large.db [--runs 2] [--no-linkedin]

--no-linkedin leaves out the third run (and writing its file).

With --linkedin-only, just the big LinkedIn file (no network needed): its dry run and its real
import into an empty database, each < 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0

FIRST = ("Dana Omar Lena Priya Mateo Yuki Amara Jonas Sofia Kwame Inés Ravi Chloé Tomasz Aisha Lucas Mei Noah "
         "Fatima Diego Hannah Sven Leila Marcus Nadia Félix Zara Hugo Elif Samuel Ana Kenji Maya Ibrahim Clara "
         "Oscar Nia Pavel Rosa Daniel Ingrid Tariq Emma Luis Keiko Arjun Greta Malik Olivia Erik Søren Zoë").split()
LAST = ("Haddad Fischer Nakamura Okafor Rossi Schmidt García Kowalski Dubois Mensah Silva Patel Andersson Kim "
        "Novak Hernández Ivanova Moreau Yılmaz Brennan Costa Lindqvist Adeyemi Romano Chen Weber Laurent Sato "
        "Bauer Nguyen Horvat Álvarez Petrov Ortiz Larsen Mahmoud Jansen Becker Ferreira Khan O'Neil").split()
COMPANIES = ("Northwind Labs", "Acme Analytics", "Bluefin Health", "Harbor Robotics", '"Quill, & Co"',
             "Lumen Energy", "Cobalt Bank", "Tidewater Logistics", "Evergreen Schools", "Pixel Forge",
             "Atlas Insurance", "Orbit Media", "Summit Consulting", "Granite Capital", "Kestrel Aerospace",
             "Self-employed", "Juniper Software", "Beacon Recruiting", "Riverbend Hospital", "Copperleaf Design")
ROLES = ("Engineering Manager", "Staff Engineer", "Product Lead", "Head of Data", "CTO", "Recruiter",
         "Designer", '"VP Sales, EMEA"', "Founder", "Analyst", "Director of Operations", "Professor",
         "Consultant", "Senior Software Engineer", '"Partner ""Growth"""')
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. '
    "You will only see email addresses for connections who have allowed their connections to see or "
    "download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def write_connections(path: Path, rows: int, seed: int = 11, changed_every: int = 0) -> int:
    """Write the file; returns how many rows are removed members (blank but for the date)."""
    rng = random.Random(seed)
    moves = random.Random(seed + 1)  # its own stream, so the people are the same in both files
    start = dt.date(2009, 1, 1)
    removed = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(PREAMBLE)
        out.write(HEADER)
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(6200))
            date = day.strftime("%d %b %Y")
            if i % 997 == 500:
                out.write(f",,,,,,{date}\n")
                removed += 1
                continue
            first, last = rng.choice(FIRST), rng.choice(LAST)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{first}-{last}".lower()) + f"-{i:05d}"
            email = f"{slug}@example.org" if rng.random() < 0.12 else ""
            company, role = rng.choice(COMPANIES), rng.choice(ROLES)
            if changed_every and i % changed_every == 0:
                company = moves.choice([c for c in COMPANIES if c != company])
                role = '"Principal, moved on"'
            out.write(f"{first},{last},https://www.linkedin.com/in/{slug},{email},{company},{role},{date}\n")
    return removed


def run(cmd: list[str], env: dict) -> tuple[float, str, int]:
    began = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    return elapsed, (done.stdout.strip().splitlines() or [""])[-1], done.returncode


def measured(cmd: list[str], env: dict) -> tuple[float, float, str, int, float]:
    """Seconds, peak resident MB of the child alone, its last line of output, its exit status, and
    its processor seconds (user and system: on a loaded machine, wall time is more than its own)."""
    began = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines() or [""]
    return elapsed, usage.ru_maxrss / 1024, lines[-1][:90], child.returncode, usage.ru_utime + usage.ru_stime


def bench_network(network: Path, folder: Path, runs: int, big_mb: int, linkedin: bool = True) -> int:
    netmaint = [sys.executable, "-m", "netmaint_tui"]
    env = dict(os.environ, NETMAINT_CONFIG=str(folder / "config.yaml"))
    env.pop("NETMAINT_NOW", None)
    exported = folder / "network.json"
    big = folder / "Connections-big.csv"
    rows = big_mb * 1_000_000 // 108  # a row of the generated file is about 108 bytes
    if linkedin:
        write_connections(big, rows)
        print(f"network {network}; LinkedIn file {big.stat().st_size / 1e6:.0f} MB ({rows:,} rows)")
    else:
        print(f"network {network}")
    print()
    print(f"{'run':<40} {'seconds':>8} {'cpu s':>6} {'peak MB':>8}  {'ok':<3} summary")
    print(f"{'-' * 40} {'-' * 8} {'-' * 6} {'-' * 8}  {'-' * 3} {'-' * 40}")
    failed = False
    for _ in range(runs):
        target_db = folder / "restored.db"
        for stale in folder.glob("restored.db*"):
            stale.unlink()
        empty_db = folder / "empty.db"
        steps = [
            ("export json (whole network)", [*netmaint, "--db", str(network), "export", "json", "-o", str(exported)],
             5.0, 150),
            ("import json into an empty database", [*netmaint, "--db", str(target_db), "import", "json",
                                                    str(exported)], 20.0, 300),
            (f"import linkedin --dry-run ({big_mb} MB)", [*netmaint, "--db", str(empty_db), "import", "linkedin",
                                                         "--dry-run", str(big)], None, 300),
        ]
        for label, cmd, seconds, megabytes in steps if linkedin else steps[:2]:
            elapsed, peak, summary, code, cpu = measured(cmd, env)
            ok = code == 0 and peak < megabytes and (seconds is None or elapsed < seconds)
            failed |= not ok
            print(f"{label:<40} {elapsed:>8.2f} {cpu:>6.1f} {peak:>8.0f}  {'yes' if ok else 'NO':<3} {summary}")
    return 1 if failed else 0


def bench_linkedin_big(folder: Path, runs: int, big_mb: int) -> int:
    netmaint = [sys.executable, "-m", "netmaint_tui"]
    env = dict(os.environ, NETMAINT_CONFIG=str(folder / "config.yaml"))
    env.pop("NETMAINT_NOW", None)
    big = folder / "Connections-big.csv"
    rows = big_mb * 1_000_000 // 108
    write_connections(big, rows)
    print(f"LinkedIn file {big.stat().st_size / 1e6:.0f} MB ({rows:,} rows); load {os.getloadavg()[0]:.1f}")
    print(f"{'run':<40} {'seconds':>8} {'cpu s':>8} {'peak MB':>8}  {'ok':<3} summary")
    failed = False
    for _ in range(runs):
        for dry in (True, False):
            for stale in folder.glob("big.db*"):
                stale.unlink()
            before = os.times()
            elapsed, peak, summary, code = measured(
                [*netmaint, "--db", str(folder / "big.db"), "import", "linkedin", *(["--dry-run"] if dry else []),
                 str(big)], env)
            after = os.times()
            cpu = after.children_user + after.children_system - before.children_user - before.children_system
            ok = code == 0 and peak < 300
            failed |= not ok
            label = f"import linkedin {'--dry-run ' if dry else ''}({big_mb} MB)"
            print(f"{label:<40} {elapsed:>8.2f} {cpu:>8.2f} {peak:>8.0f}  {'yes' if ok else 'NO':<3} {summary}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--keep", default=None, help="write files here and keep them")
    parser.add_argument("--network", type=Path, default=None, help="time export and import json of this database")
    parser.add_argument("--runs", type=int, default=2, help="with --network: rounds of the three runs")
    parser.add_argument("--big-mb", type=int, default=200, help="with --network: size of the LinkedIn file")
    parser.add_argument("--no-linkedin", action="store_true", help="with --network: only export and import json")
    parser.add_argument("--linkedin-only", action="store_true", help="only the big LinkedIn file, dry run and real")
    args = parser.parse_args()
    if args.linkedin_only:
        folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="netmaint-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return bench_linkedin_big(folder, args.runs, args.big_mb)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    if args.network:
        folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="netmaint-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return bench_network(args.network.resolve(), folder, args.runs, args.big_mb, not args.no_linkedin)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="netmaint-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        first = folder / "Connections.csv"
        later = folder / "Connections-next-month.csv"
        removed = write_connections(first, args.rows)
        write_connections(later, args.rows, changed_every=10)
        db = folder / "bench.db"
        for stale in folder.glob("bench.db*"):
            stale.unlink()
        shutil.rmtree(folder / "backups", ignore_errors=True)
        env = dict(os.environ, NETMAINT_DB=str(db), NETMAINT_CONFIG=str(folder / "config.yaml"))
        env.pop("NETMAINT_NOW", None)
        netmaint = [sys.executable, "-m", "netmaint_tui"]

        size_mb = first.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size_mb:.1f} MB, {removed} removed members; database {db}")
        print()
        print(f"{'run':<34} {'seconds':>8}  {'ok':<3} summary")
        print(f"{'-' * 34} {'-' * 8}  {'-' * 3} {'-' * 40}")
        failed = False
        people = args.rows - removed
        runs = [
            ("import into an empty database", first, f"{people} added, 0 updated, 0 unchanged"),
            ("the same file again", first, f"0 added, 0 updated, {people} unchanged"),
            ("next month (1 in 10 changed)", later, "0 added, "),
        ]
        for label, path, expected in runs:
            elapsed, summary, code = run([*netmaint, "import", "linkedin", str(path)], env)
            ok = code == 0 and expected in summary and elapsed < TARGET_SECONDS
            failed |= not ok
            print(f"{label:<34} {elapsed:>8.2f}  {'yes' if ok else 'NO':<3} {summary}")
        print()
        print(f"target: under {TARGET_SECONDS:.0f} s each")
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
