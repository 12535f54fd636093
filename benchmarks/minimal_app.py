"""The yardstick for start-up: the smallest real Textual app with a table (Header, DataTable, Footer)."""

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
