"""The full-screen app: `netmaint` on your own network, `netmaint demo` on a throw-away one."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import shutil
import tempfile
from pathlib import Path

from netmaint_tui.cli.base import command, count, db_path, make_context, say
from netmaint_tui.cli.due import print_due
from netmaint_tui.clock import system_clock
from netmaint_tui.services.startup import Preload
from netmaint_tui.store.db import close_database, open_database


def open_app(args, settings) -> int:
    """`netmaint` with no command: the app on the network the options and settings name."""
    clock = system_clock()
    return run_app(db_path(args, settings), settings, getattr(args, "theme", None), clock)


def run_app(path: Path, settings, theme, clock) -> int:
    # Open (and migrate) before the screen takes over, so a locked, newer or damaged file is one
    # clear line on the terminal, not an error inside a half-drawn app. Then rank on a thread
    # while the interface itself is imported and composed.
    open_database(path)
    preload = Preload(make_context(settings, clock))
    # Imported only now: Textual and the screens are most of the start-up time, and no other
    # command needs them.
    from netmaint_tui.ui.app import make_app

    app = make_app(path, clock, settings, theme, preload=preload)
    # What start-up loaded (Textual, the modules, the first page) lives as long as the app: frozen,
    # the collector stops walking it, and the full collection it would otherwise run a moment
    # before the first frame (20-30 ms) does not happen.
    gc.freeze()
    app.run()
    return app.return_code or 0


def _demo_arguments(d) -> None:
    # SUPPRESS: without --theme here, the subcommand must not overwrite `netmaint --theme X demo`.
    d.add_argument("--theme", default=argparse.SUPPRESS, help="theme for this run")
    d.add_argument("--print", action="store_true", help="print the prioritized list instead of opening the app")
    d.add_argument("--seed", type=count, default=7)


@command("demo", help="open the app on a throw-away sample network", arguments=_demo_arguments, database=False)
def demo(args, settings) -> int:
    # Loaded here: only the demo builds a sample network, and every other command starts without it.
    from netmaint_tui.demo import build_demo

    # Always its own throw-away database, removed when the demo ends: 150 sample contacts and
    # 18 months of made-up touches must never land in a real network, whatever names one
    # (--db, NETMAINT_DB, the config's data_file).
    given = getattr(args, "db", None)
    if given:
        say(f"the demo uses its own throw-away database and leaves {given} alone")
    # Nor may it reach the user's sync folders: a sync from the demo would carry the sample
    # network into them, and from there into the real one and the phone.
    settings = dataclasses.replace(settings, sync_contacts=None, sync_follow_ups=None, sync_journal=None)
    folder = Path(tempfile.mkdtemp(prefix="netmaint-demo-"))
    path = folder / "demo.db"
    try:
        ctx = make_context(settings)
        build_demo(path, ctx, seed=args.seed)
        if args.print:
            open_database(path)
            try:
                print_due(ctx)
            finally:
                close_database()
            return 0
        return run_app(path, settings, getattr(args, "theme", None), ctx.clock)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
