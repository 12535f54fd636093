"""Shared by the reliability tests: command-line runs with deadlines, and reading a child's output
line by line without sleeping (select with a deadline)."""

from __future__ import annotations

import ctypes
import os
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
HERE = Path(__file__).resolve().parent
NOW = "2025-03-12T10:00:00"
ZONE = "Europe/Berlin"
TIMEOUT = 60  # seconds; a run that takes this long has hung


def cli_env(db: Path, config: Path, **extra) -> dict:
    """A replayable environment for `python -m netmaint_tui`: its own database, config, clock and zone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETMAINT_")}
    env.update(NETMAINT_DB=str(db), NETMAINT_CONFIG=str(config), NETMAINT_NOW=NOW, TZ=ZONE)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_cli(env: dict, *args: str, timeout: float = TIMEOUT, stdin: str | None = None,
            preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "netmaint_tui", *args], env=env, capture_output=True, text=True,
        timeout=timeout, input=stdin, preexec_fn=preexec_fn,
    )


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The run failed with exactly one `netmaint: ...` line on stderr, nothing on stdout, no traceback."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    assert lines[0].startswith("netmaint: "), lines[0]
    assert result.stdout == "", result.stdout
    return lines[0]


def kill_when(argv: list[str], env: dict, marker: str) -> None:
    """Run a child until it prints a line starting with `marker`, then kill it with SIGKILL there."""
    import signal

    proc = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        Lines(proc.stdout).until(marker, time.monotonic() + TIMEOUT)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)


class Lines:
    """A child's output, line by line, each read bounded by a deadline."""

    def __init__(self, stream) -> None:
        self.fd = stream.fileno()
        self.buf = b""

    def readline(self, deadline: float) -> str | None:
        """The next line without its newline; None at end of output; TimeoutError past the deadline."""
        while b"\n" not in self.buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete line before the deadline (have {self.buf[-200:]!r})")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.fd, 65536)
            if not chunk:
                rest, self.buf = self.buf, b""
                return rest.decode() if rest else None
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode()

    def until(self, prefix: str, deadline: float, seen: list[str] | None = None) -> str:
        """Read up to the first line starting with `prefix`; earlier lines go to `seen`."""
        while True:
            line = self.readline(deadline)
            if line is None:
                raise EOFError(f"output ended before a line starting {prefix!r}")
            if line.startswith(prefix):
                return line
            if seen is not None:
                seen.append(line)


def read_for(fd: int, seconds: float, until: bytes | None = None, limit: int = 64 << 20) -> bytes:
    """Everything written to `fd` within `seconds` (or up to `until`, or end of output)."""
    deadline = time.monotonic() + seconds
    data = b""
    while len(data) < limit:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # a pty whose other side has closed
            break
        if not chunk:
            break
        data += chunk
        if until is not None and until in data:
            break
    return data


# --- running as a user whom file permissions bind -------------------------------------------------

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def bound_by_permissions() -> None:
    """preexec_fn: the child obeys file modes even as root (chmod 0400 then really means read-only).

    Root ignores file modes through the CAP_DAC_* capabilities; dropping them from the bounding set
    before exec leaves a root child without them. For other users this changes nothing.
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop CAP_DAC_* (needs CAP_SETPCAP)")


def permissions_bind_children(probe_dir: Path) -> bool:
    """True if a child started with bound_by_permissions cannot write a 0400 file."""
    probe = probe_dir / ".probe-0400"
    probe.write_bytes(b"x")
    probe.chmod(0o400)
    try:
        result = subprocess.run(
            [PYTHON, "-c", f"import os; print(os.access({str(probe)!r}, os.W_OK))"],
            capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=bound_by_permissions,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.chmod(0o600)
        probe.unlink()
    return result.returncode == 0 and result.stdout.strip() == "False"


# --- a real terminal ---------------------------------------------------------------------------


def run_in_pty(args: list[str], env: dict, *, keys: list = (), ready: bytes | None = None,
               ready_within: float = 30.0, key_wait: float = 0.4, size=(40, 120), preexec_fn=None) -> tuple[bytes, int]:
    """Run `python -m netmaint_tui ARGS` on a pseudo-terminal; returns (every byte it wrote, exit status).

    Waits for `ready` to appear (or just starts), then types each key, reading what comes back
    for `key_wait` seconds after each -- or, for a key given as (key, expected bytes), until those
    bytes appear; finally waits for the program to end.
    """
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    proc = subprocess.Popen([PYTHON, "-m", "netmaint_tui", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True, close_fds=True, preexec_fn=preexec_fn)
    os.close(slave)
    out = b""
    try:
        if ready is not None:
            out += read_for(master, ready_within, until=ready)
            assert ready in out, f"{ready!r} never appeared; the program wrote {out[-2000:]!r}"
        for key in keys:
            key, expected = key if isinstance(key, tuple) else (key, None)
            os.write(master, key)
            if expected is None:
                # A lone Esc needs longer: read together with the next key it is Alt+that key,
                # and a busy machine reads late.
                out += read_for(master, max(key_wait, 1.0) if key == b"\x1b" else key_wait)
                continue
            seen = len(out)
            out += read_for(master, ready_within, until=expected)
            assert expected in out[seen:], f"{expected!r} never appeared after {key!r}; got {out[-2000:]!r}"
        out += read_for(master, TIMEOUT)  # to the end of its output
        status = proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=TIMEOUT)
        os.close(master)
    return out, status


def flip_root_page(path, table: str) -> bytes:
    """The file with the page-type byte of `table`'s root page flipped: reading that table fails,
    everything else still reads."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size + (100 if root == 1 else 0)
    data[offset] ^= 0xFF
    return bytes(data)
