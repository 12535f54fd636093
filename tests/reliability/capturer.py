"""A child process that captures a mailbox into a database and can stop at a chosen moment.

    python capturer.py DB MBOX finish          capture, print "done <touches>"
    python capturer.py DB MBOX stall POINT     print "at POINT" there, then wait on standard input for
                                               ever (the test kills it): POINT is one of
                                               reading   after a few messages are read
                                               backup    after the copy before the capture
                                               writing   inside the transaction, after rows went in
                                               commit    inside the transaction, after the last row

Rows go in a few at a time (BATCH 5), so "writing" stops with the transaction half full.
"""

from __future__ import annotations

import os
import sys

POINTS = ("reading", "backup", "writing", "commit")


def barrier(point: str) -> None:
    os.write(1, f"at {point}\n".encode())
    sys.stdin.read()  # killed here


def main(db: str, mbox: str, mode: str, point: str = "") -> None:
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services import capture, capture_writing
    from netmaint_tui.services.common import Context
    from netmaint_tui.store.db import close_database, open_database

    capture_writing.BATCH = 5
    if mode == "stall":
        if point == "reading":
            read = capture.read_mailboxes

            def reading(*args, **kwargs):
                for n, message in enumerate(read(*args, **kwargs)):
                    if n == 3:
                        barrier(point)
                    yield message

            capture.read_mailboxes = reading
        elif point == "backup":
            made = capture._backup
            capture._backup = lambda report: (made(report), barrier(point))
        elif point == "writing":
            flush = capture_writing.Writer.flush

            def writing(self, final=False):
                flush(self, final)
                if self.touches == [] and not final:
                    barrier(point)

            capture_writing.Writer.flush = writing
        elif point == "commit":
            hear = capture.hear
            capture.hear = lambda writer, heard: (hear(writer, heard), barrier(point))[0]
    open_database(db)
    ctx = Context(fixed_clock("2025-03-12T10:00:00", "Europe/Berlin"), Settings())
    report = capture.capture_mail(ctx, [mbox], ["me@example.com"])
    close_database()
    os.write(1, f"done {report.captured}\n".encode())


if __name__ == "__main__":
    main(*sys.argv[1:])
