"""Command-line speed at network scale: whole processes, a large network next to an empty one.

    python benchmarks/bench_cli.py [--runs 15] [--large bench-data/cli-large.db] [--markdown FILE]

Times `netmaint due --limit 20 --json`, `netmaint week --json` and `netmaint today --json` as a user runs them (the
installed console script, else `python -m netmaint_tui`), each on an empty database and on a
30,000-contact / 300,000-touch one (built with benchmarks/generate.py if missing). Runs are
interleaved (empty, large, large, empty, ...) so load from other programs falls on both sides;
the median of --runs after --warmup untimed runs is reported. NETMAINT_NOW and TZ are fixed and
NETMAINT_CONFIG names a file that does not exist, so no user setting leaks in. `week` runs twice:
on the Sunday the network was generated (goal met) and on the Monday after (nothing logged yet,
so it also ranks contacts to suggest).

Target: large within 1.5x of empty. Then `python -X importtime` for `due` lists the slowest
imports and checks that the command line never imports textual (the full-screen app).

Exit status 1 if a target is missed, a command fails or prints the wrong thing, or textual loads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOW = "2026-11-22T10:00:00"  # a Sunday: the sample network has met this week's goal
NEXT_MONDAY = "2026-11-23T10:00:00"  # a week with nothing logged yet: `week` also ranks suggestions
ZONE = "Europe/Berlin"
TARGET_RATIO = 1.5
COMMANDS = (  # (label, arguments, NETMAINT_NOW)
    ("due --limit 20 --json", ["due", "--limit", "20", "--json"], NOW),
    ("week --json", ["week", "--json"], NOW),
    ("week --json (Monday: goal open, suggestions)", ["week", "--json"], NEXT_MONDAY),
    ("today --json", ["today", "--json"], NOW),
)
FORBIDDEN = ("textual",)  # the full-screen app: `due` and `week` must not pay for it


def netmaint_argv(module: bool = False) -> list[str]:
    script = Path(sys.executable).parent / "netmaint"
    if script.exists() and not module:
        return [str(script)]
    return [sys.executable, "-m", "netmaint_tui"]


def bench_env(config_dir: Path) -> dict:
    env = dict(os.environ, NETMAINT_NOW=NOW, TZ=ZONE, NETMAINT_CONFIG=str(config_dir / "absent" / "config.yaml"))
    env.pop("NETMAINT_DB", None)
    return env


def ensure_large(path: Path, contacts: int, touches: int, rebuild: bool) -> None:
    stamp = path.with_name(path.name + ".params")
    wanted = f"{contacts} {touches} {NOW} {ZONE}"
    if path.exists() and not rebuild and stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"building {path} ({contacts:,} contacts, {touches:,} touches)…", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--contacts", str(contacts), "--touches", str(touches),
         "--db", str(path), "--now", NOW],
        check=True, env=dict(os.environ, TZ=ZONE),
    )
    stamp.write_text(wanted)


def make_empty(path: Path) -> None:
    """A database as `netmaint` creates it on first use: the schema and nothing else."""
    from netmaint_tui.store.db import close_database, open_database

    open_database(path)
    close_database()


def run_once(argv: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed, done.stdout


def check_output(label: str, which: str, stdout: str) -> None:
    value = json.loads(stdout)
    if label.startswith("due"):
        expected = 0 if which == "empty" else 20
        if len(value) != expected:
            raise RuntimeError(f"{label} on the {which} database listed {len(value)} contacts, not {expected}")
    elif label.startswith("today"):
        if list(value) != ["date", "follow_ups", "dates", "due", "week"]:
            raise RuntimeError(f"{label} printed no digest: {stdout[:200]}")
        if which == "large" and not (value["dates"] and value["due"] and value["week"]["week_start"]):
            raise RuntimeError(f"{label} on the large database found no dates or nobody due: {stdout[:200]}")
    elif which == "large" and "week_start" not in value:
        raise RuntimeError(f"{label} printed no week: {stdout[:200]}")
    elif which == "large" and "Monday" in label and not value.get("suggestions"):
        raise RuntimeError(f"{label} suggested nobody, so it did not time the ranking: {stdout[:200]}")


def bench(dbs: dict[str, Path], runs: int, warmup: int, env: dict, base: list[str]) -> list[dict]:
    results = []
    for label, args, now in COMMANDS:
        run_env = dict(env, NETMAINT_NOW=now)
        times: dict[str, list[float]] = {name: [] for name in dbs}
        for i in range(warmup + runs):
            order = list(dbs) if i % 2 == 0 else list(reversed(dbs))
            for name in order:
                elapsed, stdout = run_once([*base, *args, "--db", str(dbs[name])], run_env)
                if i < warmup:
                    check_output(label, name, stdout)
                else:
                    times[name].append(elapsed)
        empty, large = statistics.median(times["empty"]), statistics.median(times["large"])
        results.append({
            "command": label,
            "empty_ms": empty * 1000,
            "large_ms": large * 1000,
            "ratio": large / empty,
            "spread_ms": {n: (min(t) * 1000, max(t) * 1000) for n, t in times.items()},
        })
        print(f"  {label}: empty {empty * 1000:.0f} ms, large {large * 1000:.0f} ms", file=sys.stderr, flush=True)
    return results


def import_times(db: Path, env: dict, top: int):
    """The slowest imports by own time and the heaviest top-level ones by cumulative time, each as
    (self µs, cumulative µs, module); the total import time in ms; and any forbidden modules."""
    argv = [sys.executable, "-X", "importtime", "-m", "netmaint_tui", *COMMANDS[0][1], "--db", str(db)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, total, name = line[len("import time:"):].split("|", 2)
        rows.append((int(own), int(total), name.rstrip()[1:]))  # nested imports keep their indent
    outer = [r for r in rows if not r[2].startswith(" ")]
    loaded = {name.strip() for _, _, name in rows}
    forbidden = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN)
    slowest = sorted(rows, key=lambda r: r[0], reverse=True)[:top]
    heaviest = sorted(outer, key=lambda r: r[1], reverse=True)[:top]
    return slowest, heaviest, sum(r[1] for r in outer) / 1000, forbidden


def markdown(results: list[dict], runs: int, warmup: int, imports, large_info: str, base: list[str]) -> str:
    slowest, heaviest, import_total, forbidden = imports
    lines = [
        f"Median of {runs} runs after {warmup} warm-ups, whole processes (`{' '.join(Path(a).name for a in base)}`), "
        f"NETMAINT_NOW={NOW} (Monday row: {NEXT_MONDAY}), TZ={ZONE}, no config file. Large: {large_info}.",
        "",
        "| command | empty ms | large ms | ratio | target | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        verdict = "PASS" if r["ratio"] <= TARGET_RATIO else "FAIL"
        command, _, note = r["command"].partition(" (")
        shown = f"`netmaint {command}`" + (f" ({note}" if note else "")
        lines.append(f"| {shown} | {r['empty_ms']:.0f} | {r['large_ms']:.0f} | {r['ratio']:.2f}× "
                     f"| <= {TARGET_RATIO}× | {verdict} |")
    lines += [
        "",
        f"`python -X importtime -m netmaint_tui due --limit 20 --json` (large): "
        f"imports take {import_total:.0f} ms in all.",
        "",
        "| slowest by own time | self ms | | heaviest first-level imports | cumulative ms |",
        "|---|---:|---|---|---:|",
    ]
    for (own, _, name), (_, total, outer) in zip(slowest, heaviest):
        lines.append(f"| `{name.strip()}` | {own / 1000:.1f} | | `{outer.strip()}` | {total / 1000:.1f} |")
    lines += ["", "textual imported: " + (", ".join(forbidden) if forbidden else "no")]
    return "\n".join(lines) + "\n"


def describe(db: Path) -> str:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        c, t, links = (con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                       for name in ("contact", "touch", "touch_contact"))
    finally:
        con.close()
    return f"{c:,} contacts, {t:,} touches ({links:,} contact links), {db.stat().st_size / 1e6:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--large", type=Path, default=ROOT / "bench-data" / "cli-large.db")
    p.add_argument("--contacts", type=int, default=30000)
    p.add_argument("--touches", type=int, default=300000)
    p.add_argument("--rebuild", action="store_true", help="rebuild the large database even if it exists")
    p.add_argument("--top", type=int, default=12, help="how many imports to list")
    p.add_argument("--markdown", type=Path, default=None, help="also write the report to this file")
    p.add_argument("--module", action="store_true",
                   help="run `python -m netmaint_tui`, not the console script (e.g. another checkout on PYTHONPATH)")
    args = p.parse_args(argv)
    if args.runs < 1 or args.warmup < 1:
        p.error("--runs and --warmup must be 1 or more (a warm-up also checks the output)")

    large = args.large.expanduser().resolve()
    large.parent.mkdir(parents=True, exist_ok=True)
    ensure_large(large, args.contacts, args.touches, args.rebuild)
    work = Path(tempfile.mkdtemp(prefix="netmaint-bench-cli-"))
    try:
        empty = work / "empty.db"
        make_empty(empty)
        env = bench_env(work)
        base = netmaint_argv(args.module)
        results = bench({"empty": empty, "large": large}, args.runs, args.warmup, env, base)
        imports = import_times(large, env, args.top)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = markdown(results, args.runs, args.warmup, imports, describe(large), base)
    print(report)
    if args.markdown:
        args.markdown.write_text(report)
    failed = [r["command"] for r in results if r["ratio"] > TARGET_RATIO]
    forbidden = imports[3]
    if forbidden:
        print(f"FAIL: the command line imported {', '.join(forbidden)}", file=sys.stderr)
    if failed:
        print(f"FAIL: over {TARGET_RATIO}x: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed or forbidden else 0


if __name__ == "__main__":
    raise SystemExit(main())
