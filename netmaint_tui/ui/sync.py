"""Sync from the app: the same run as `netmaint sync`, on a worker with its own connection, its
summary line shown when it is done, and when the last one ran shown in the palette."""

from __future__ import annotations

from netmaint_tui.paths import config_file
from netmaint_tui.rules.dates import in_zone
from netmaint_tui.services.common import from_db
from netmaint_tui.services.sync import last_sync, sync
from netmaint_tui.ui.workers import on_own_connection


def configured_folders(settings) -> dict[str, str]:
    return {name: path for name in ("contacts", "follow_ups", "journal")
            if (path := getattr(settings, f"sync_{name}", None))}


def last_sync_text(app) -> str:
    """`last: 2025-03-12 10:00`, or `never run`, for the palette."""
    try:
        when = last_sync()
    except Exception:  # busy or older than sync: the palette still opens
        return ""
    if not when:
        return "never run"
    return "last: " + in_zone(from_db(when), app.ctx.clock.tz).strftime("%Y-%m-%d %H:%M")


def start_sync(app) -> None:
    folders = configured_folders(app.settings)
    if not folders:
        app.notify(f"No folders to sync with: add sync: {{contacts: DIR}} to {config_file()} (netmaint config edit); "
                   "see the README's \"Sync with your phone\"", severity="warning", markup=False, timeout=10)
        return
    if app.readonly:
        app.notify("The database is read-only: nothing can be synced", severity="warning", markup=False)
        return
    app.notify("Syncing…", markup=False, timeout=2)
    app.run_worker(lambda: _sync_on_worker(app, folders), thread=True, exclusive=True, group="sync",
                   exit_on_error=False)


def _sync_on_worker(app, folders) -> None:
    try:
        report = on_own_connection(lambda: sync(app.ctx, folders))
    except Exception as exc:  # a folder gone, the database busy: one line, the app goes on
        app.call_from_thread(app.notify, f"Sync failed: {exc}", severity="error", markup=False, timeout=10)
        return
    app.call_from_thread(_done, app, report)


def _done(app, report) -> None:
    lines = [report.summary(), *report.notices]
    lines += [f"{p.href}: {p.message}" for p in report.problems[:3]]
    if len(report.problems) > 3:
        lines.append(f"… and {len(report.problems) - 3} more files left unread (netmaint sync names them all)")
    severity = "warning" if report.problems or report.conflicts else "information"
    app.notify("\n".join(lines), severity=severity, markup=False, timeout=8)
    app.data_changed()
