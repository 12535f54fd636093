"""The yardstick for start-up: the smallest real Textual app with a table (Header, DataTable, Footer).

With --with-netmaint-libraries it first imports the libraries netmaint loads before Textual.
"""

import sys

if "--with-netmaint-libraries" in sys.argv:
    # What netmaint's data layer is built on, imported before Textual as netmaint does: the part
    # of netmaint's start that stays as long as those libraries load before its first frame.
    import argparse  # noqa: F401
    import sqlite3  # noqa: F401

    import peewee  # noqa: F401
    import pendulum  # noqa: F401
    import yaml  # noqa: F401

from textual.app import App
from textual.widgets import DataTable, Footer, Header


class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Company")
        table.add_row("Yardstick Person", "Example Co")


if __name__ == "__main__":
    Minimal().run()
