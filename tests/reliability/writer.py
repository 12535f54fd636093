"""A child process that logs touches through the services, printing each touch's id only after
its commit has returned.

    python writer.py DB count TAG N       log N touches, then exit 0
    python writer.py DB until-eof TAG     log touches until standard input is closed, then exit 0
    python writer.py DB forks             for each line "go RUN SEED" on stdin, fork a writer that
                                          logs touches until it is killed; print "pid RUN PID",
                                          then "done RUN STATUS" once it is gone

`forks` pays Python's start-up once, so 50 kills cost seconds, not half a minute; each writer is
a separate process that opens the database itself (the parent never connects), exactly like a
fresh netmaint.

Every line is one os.write: a kill can never leave half a line, or a line whose commit had not returned.
"""

from __future__ import annotations

import os
import random
import sys

CONTACTS = ("Zoë Ångström", "Małgorzata Nguyễn")
TASKS = 2  # each note holds two task lines, so each touch brings two follow-ups
MAX_WRITES = 5000  # a writer the test forgot to kill stops by itself


def marker(tag: str, i: int) -> str:
    return f"⟦{tag}:{i}⟧"


def note_for(tag: str, i: int) -> str:
    m = marker(tag, i)
    return (
        f"Coffee with both — Grüße, 日本語, emoji 👩‍👩‍👧‍👦 and ‮reversed‬ {m}\n"
        f"- [ ] thank them {m}\n"
        f"todo: send the deck {m}\n"
        + "padding so a commit spans several pages · " * (i % 7) * 40
    )


def follow_ups_for(tag: str, i: int) -> set[str]:
    m = marker(tag, i)
    return {f"thank them {m}", f"send the deck {m}"}


def context():
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context

    return Context(fixed_clock("2025-03-12T10:00:00", "Europe/Berlin"), Settings())


def setup_database(path) -> list[int]:
    """A database holding the two contacts every touch is logged with; closed again."""
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.store.db import close_database, open_database

    open_database(path)
    try:
        ctx = context()
        return [add_contact(ctx, name, tier="A") for name in CONTACTS]
    finally:
        close_database()


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def _contact_ids() -> list[int]:
    from netmaint_tui.store.models import Contact

    return [c.id for c in Contact.select(Contact.id).where(Contact.name.in_(CONTACTS)).order_by(Contact.id)]


def _stdin_closed() -> bool:
    import select

    if not select.select([0], [], [], 0)[0]:
        return False
    return os.read(0, 1) == b""


def write(db: str, tag: str, count: int, seed: int | None = None, until_eof: bool = False) -> None:
    from netmaint_tui.services.touches import log_touch
    from netmaint_tui.store.db import open_database

    open_database(db)
    say(f"ready {tag}")
    ctx = context()
    ids = _contact_ids()
    rng = random.Random(seed)
    for i in range(count):
        if until_eof and _stdin_closed():
            return
        if seed is not None:
            # A varying amount of work between commits moves the kill around inside the next one.
            for _ in range(rng.randrange(0, 20000)):
                pass
        result = log_touch(ctx, ids, note=note_for(tag, i))
        say(f"id {tag} {i} {result.touch_id}")


def forks(db: str) -> None:
    # Everything a writer needs is imported here, once: a fork then starts in a millisecond. No
    # connection is opened before forking (a connection must never cross a fork).
    import netmaint_tui.rules.notes  # noqa: F401
    import netmaint_tui.services.touches  # noqa: F401
    import netmaint_tui.store.backup  # noqa: F401
    import netmaint_tui.store.db  # noqa: F401

    context().now()
    for line in sys.stdin:
        command, run, seed = line.split()
        assert command == "go"
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                write(db, run, MAX_WRITES, int(seed))
            except BaseException as exc:  # reported as a line: the test fails on it
                say(f"error {run} {type(exc).__name__}: {exc}".replace("\n", " "))
                status = 1
            finally:
                os._exit(status)
        say(f"pid {run} {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"done {run} {status}")


if __name__ == "__main__":
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "count":
        write(path, sys.argv[3], int(sys.argv[4]))
    elif mode == "until-eof":
        write(path, sys.argv[3], MAX_WRITES, until_eof=True)
    elif mode == "forks":
        forks(path)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
