"""Desktop notifications through the freedesktop notification service, by way of `notify-send`.

`notify-send` (libnotify) is the one client every desktop that has the service also has, and
it speaks D-Bus for us: netmaint needs no D-Bus library. Which `notify-send` runs is the first on
PATH, so a test can put its own there.

A reminder from cron or a systemd timer runs outside the desktop session: without
DBUS_SESSION_BUS_ADDRESS, the user's own session bus (XDG_RUNTIME_DIR/bus, where systemd puts
it) is used when it is there. The body may hold markup on most notification servers, so what
comes from the user (names, a follow-up's words) is escaped there; the summary is never markup.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from pathlib import Path

from netmaint_tui.rules.text import visible

CLIENT = "notify-send"
TIMEOUT = 20  # seconds: a service that does not answer by then is not going to
INSTALL_HINT = "install libnotify (Debian, Ubuntu: apt install libnotify-bin; Fedora: dnf install libnotify)"


class NotifyError(Exception):
    """No notification could be shown: one line saying why and what to do (exit status 1)."""

    exit_code = 1


def session_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the client: the caller's, with the user's session bus named when
    nothing names one (cron gives a command neither the address nor XDG_RUNTIME_DIR)."""
    env = dict(os.environ if env is None else env)
    if not env.get("DBUS_SESSION_BUS_ADDRESS"):
        runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
        bus = Path(runtime) / "bus"
        if bus.exists():
            env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
    return env


def send(summary: str, body: str = "", *, urgency: str = "normal", env: dict[str, str] | None = None) -> None:
    """Show one notification, or raise NotifyError saying why none could be."""
    env = session_environment(env)
    client = shutil.which(CLIENT, path=env.get("PATH", os.defpath))
    if client is None:
        raise NotifyError(f"no desktop notification service to send to: {CLIENT} is not installed; {INSTALL_HINT}")
    argv = [client, "--app-name=netmaint", f"--urgency={urgency}", "--",
            visible(summary, single_line=True), html.escape(visible(body), quote=False)]
    try:
        done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace", timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise NotifyError(f"the desktop notification service did not answer within {TIMEOUT} s; "
                          "nothing was shown") from None
    except OSError as exc:
        raise NotifyError(f"{CLIENT} could not be run ({exc.strerror or exc}); nothing was shown") from None
    if done.returncode != 0:
        said = next((line.strip() for line in (done.stderr or "").splitlines() if line.strip()), "")
        said = visible(said, single_line=True)[:200]
        raise NotifyError(
            "no desktop notification service answered"
            + (f" ({CLIENT}: {said})" if said else f" ({CLIENT} exited with status {done.returncode})")
            + "; is a desktop session running? (from cron, see README: Reminders outside the app)"
        )
