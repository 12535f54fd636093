"""A child process that opens a database with one more (test-only) migration in this version.

    python migrator.py DB stall    the migration changes the schema and rows, prints "halfway",
                                   then waits on standard input for ever (the test kills it there)
    python migrator.py DB finish   the same migration, run to the end; prints "done VERSION"
"""

from __future__ import annotations

import os
import sys

from netmaint_tui.store import migrations


def _next_migration(db, stall: bool) -> None:
    db.execute_sql("ALTER TABLE contact ADD COLUMN pronouns TEXT NOT NULL DEFAULT ''")
    db.execute_sql("UPDATE contact SET pronouns = 'they/them', name = name || ' (migrating)'")
    db.execute_sql("CREATE TABLE reminder (id INTEGER PRIMARY KEY, what TEXT NOT NULL)")
    db.execute_sql("INSERT INTO reminder (what) SELECT name FROM contact")
    if stall:
        os.write(1, b"halfway\n")
        sys.stdin.read()  # the barrier: killed here, inside the migration's transaction
    db.execute_sql("UPDATE contact SET name = substr(name, 1, length(name) - length(' (migrating)'))")


def main(path: str, mode: str) -> None:
    migrations.MIGRATIONS = [*migrations.MIGRATIONS, lambda db: _next_migration(db, mode == "stall")]
    migrations.SCHEMA_VERSION = len(migrations.MIGRATIONS)
    from netmaint_tui.store.db import close_database, open_database

    db = open_database(path)
    version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    close_database()
    os.write(1, f"done {version}\n".encode())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
