"""Import a file: path, format, a dry-run preview, then the import with progress. Contacts come
from a contacts file or a netmaint export (services.import_file); touches from a calendar or a
mailbox (services.capture), whose preview lists the touches it would log before anything is
written. A folder (a vdir of .ics files, a Maildir) is taken for the calendar or mailbox it holds.

Both runs happen in a worker thread with its own database connection (ui.workers), so a
30,000-row file or a 1 GB mailbox never freezes the screen; the import or capture itself is one
transaction (all or nothing) and the database is backed up first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from netmaint_tui.io.formats import (
    CAPTURE,
    READABLE,
    FormatError,
    WrongFormat,
    file_format,
    guess_format,
    identify,
    locate_capture,
)
from netmaint_tui.paths import config_file
from netmaint_tui.rules.vocabulary import field_label, plural
from netmaint_tui.services.capture import CaptureReport, NoAddresses, capture, people_worth_adding
from netmaint_tui.services.common import InputError
from netmaint_tui.services.import_file import import_file, read_import_file
from netmaint_tui.store.errors import StoreError
from netmaint_tui.ui.workers import on_own_connection
from netmaint_tui.ui.format import safe
from netmaint_tui.ui.screens.people import PeopleScreen
from netmaint_tui.ui.widgets.contact_field import SteadyInput
from netmaint_tui.ui.widgets.title_bar import TitleBar
from netmaint_tui.ui.widgets.fitting_footer import FittingFooter

FORMATS = tuple((f.picker, f.name) for f in READABLE)
ROWS_SHOWN = 12
TOUCHES_SHOWN = 100  # a capture's preview: what the user checks before anything is written
ISSUES_SHOWN = 8
PHASES = {"reading": "Reading the file", "saving": "Matching and saving"}


class PathSuggester(Suggester):
    """Completes the path being typed from the folder it names, as a shell would: the first
    entry by name that starts with the last part typed (hidden ones only when that part starts
    with a dot); a folder comes with its slash, ready for the next part. → takes it."""

    LOOKED_AT = 5000  # entries read from one folder: a huge download folder must not stall typing

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # the disk changes; paths have case

    async def get_suggestion(self, value: str) -> str | None:
        folder, slash, start = value.rpartition("/")
        if not value.strip() or (not slash and value.startswith("~")):
            return None
        base = Path(folder or ("/" if slash else ".")).expanduser()
        best: tuple[str, bool] | None = None
        try:
            with os.scandir(base) as entries:
                for count, entry in enumerate(entries):
                    if count >= self.LOOKED_AT:
                        break
                    name = entry.name
                    if not name.startswith(start) or (name.startswith(".") and not start.startswith(".")):
                        continue
                    if best is None or name < best[0]:
                        best = (name, entry.is_dir())
        except OSError:
            return None
        if best is None:
            return None
        name, is_dir = best
        completed = value + name[len(start):] + ("/" if is_dir else "")
        return completed if completed != value else None


@dataclass
class Outcome:
    """What a worker hands back: a report, or one line saying why there is none."""

    report: object = None
    error: str = ""
    dry_run: bool = True
    name: str = ""
    worth_adding: int = 0  # after a capture: the people worth adding there now


class ImportScreen(Screen):
    HELP_GROUP = "Import"
    BINDINGS = [
        Binding("ctrl+r", "preview", "Preview", id="import.preview", tooltip="A dry run: what would be added or updated"),
        Binding("ctrl+s", "run_import", "Import", id="import.run", tooltip="Import the file (a backup is made first)"),
        Binding("ctrl+o", "people", "People", id="import.people",
                tooltip="People you met or wrote to three times or more who are no contacts"),
        Binding("escape", "close", "Back", id="import.back", tooltip="Back to the contacts"),
    ]
    DEFAULT_CSS = """
    ImportScreen #imp-form { height: auto; padding: 0 1; }
    ImportScreen .row { height: auto; }
    ImportScreen .row > Label { width: 8; padding: 1 1 0 0; color: $text-muted; }
    ImportScreen #imp-path { width: 1fr; }
    ImportScreen #imp-format { width: 22; }
    ImportScreen #imp-buttons { height: auto; padding: 0 0 0 8; }
    ImportScreen #imp-buttons Button { margin-right: 2; }
    ImportScreen #imp-progress-box { height: auto; padding: 0 1 0 9; }
    ImportScreen #imp-phase { color: $text-muted; }
    ImportScreen #imp-result { height: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    """

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.busy = False
        self.outcome: Outcome | None = None
        self._format_chosen = False  # the user picked one: stop guessing from the name
        self._chosen_for = ""  # the path the user picked it for
        self._format_set = guess_format(path) or Select.NULL  # blank: "choose…", nothing chosen yet

    def compose(self):
        yield TitleBar()
        with Vertical(id="imp-form"):
            with Horizontal(classes="row"):
                yield Label("File")
                yield SteadyInput(self.initial_path, placeholder="e.g. ~/Downloads/Connections.csv or calendar.ics "
                                                                 "(→ completes)",
                                  suggester=PathSuggester(), id="imp-path")
                yield Label(" As")
                yield Select(FORMATS, value=self._format_set, prompt="choose…", id="imp-format")
            with Horizontal(id="imp-buttons"):
                yield Button("Preview (ctrl+r)", id="imp-preview")
                yield Button("Import (ctrl+s)", id="imp-run", variant="primary")
        with Vertical(id="imp-progress-box"):
            yield Static(id="imp-phase")
            yield ProgressBar(total=100, show_eta=False, id="imp-bar")
        with VerticalScroll(id="imp-result", can_focus=True):
            yield Static(Content.assemble(
                ("Give the file (→ takes the suggested path) and its format, then preview (nothing is written) "
                 "or import.\n", "$text-muted"),
                ("Importing the same file again changes nothing; contacts are matched by id, email, LinkedIn URL, "
                 "then name and company.\n", "$text-muted"),
                ("A calendar (.ics, Google's .zip, a folder of .ics) or a mailbox (mbox, Maildir) gives touches: "
                 "the meetings you had and the mail you sent, each captured once. ctrl+o: the people worth adding.",
                 "$text-muted"),
            ), id="imp-text")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Import a file"
        self.query_one("#imp-progress-box").display = False
        self.set_focus(self.query_one("#imp-path", Input))

    # --- the form ---------------------------------------------------------------------------------

    @on(Input.Changed, "#imp-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # A format picked by hand is for the file it was picked for: another file is guessed anew.
        if self._format_chosen and event.value.strip() != self._chosen_for:
            self._format_chosen = False
        if not self._format_chosen:
            # A name that says nothing leaves nothing chosen, not the format of the file before.
            self._set_format(guess_format(event.value) or Select.NULL)

    @on(Select.Changed, "#imp-format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Only a value this screen did not set itself is the user's choice.
        if event.value == Select.NULL:
            self._format_chosen = False  # "choose…" picked: guessed again, from the name and the content
        elif event.value != self._format_set:
            self._format_chosen = True
            self._chosen_for = self.query_one("#imp-path", Input).value.strip()

    @on(Input.Submitted, "#imp-path")
    def _submitted(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#imp-preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#imp-run")
    def _run_pressed(self) -> None:
        self.action_run_import()

    def chosen(self) -> tuple[Path, str]:
        raw = self.query_one("#imp-path", Input).value.strip()
        value = self.query_one("#imp-format", Select).value
        # Nothing chosen: the file's content decides (see _work), from the LinkedIn export as before.
        return Path(raw).expanduser(), "linkedin" if value == Select.NULL else value

    # --- running ----------------------------------------------------------------------------------

    def action_preview(self) -> None:
        self._start(dry_run=True)

    def action_run_import(self) -> None:
        if self.app.readonly:
            self._show_text(Content.assemble(("The database is read-only: nothing can be imported.", "$error")))
            return
        self._start(dry_run=False)

    def _start(self, dry_run: bool) -> None:
        if self.busy:
            return
        path, fmt = self.chosen()
        if not str(path) or str(path) == ".":
            self._show_text(Content.assemble(("Give the path of the file to import.", "$error")))
            self.set_focus(self.query_one("#imp-path", Input))
            return
        self.busy = True
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#imp-progress-box").display = True
        self._progress("reading", 0, 0)
        self._show_text(Content.assemble(("Previewing…" if dry_run else "Importing…", "$text-muted")))
        self._work(path, fmt, dry_run, guessed=not self._format_chosen)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _work(self, path: Path, fmt: str, dry_run: bool, guessed: bool = False) -> None:
        """`guessed`: the format was not picked by hand, so what the file's content says wins."""
        outcome = Outcome(dry_run=dry_run, name=path.name)
        # Said when it stops: a preview never writes, so it did not "import nothing".
        stopped = "nothing to preview" if dry_run else "nothing was imported"
        if file_format(fmt).kind != CAPTURE and path.is_dir():
            held = locate_capture(path)  # a vdir or a Maildir: what else would a folder be
            if held is not None:
                fmt = held
                self.app.call_from_thread(self._set_format, held)
        if file_format(fmt).kind == CAPTURE:
            self._capture(path, fmt, outcome)
            self.app.call_from_thread(self._done, outcome)
            return
        try:
            data = read_import_file(path)
        except InputError as exc:
            outcome.error = str(exc)
        if not outcome.error and guessed:
            found = identify(data.head)
            if found is not None and found != fmt and file_format(found).reader:
                fmt = found
                self.app.call_from_thread(self._set_format, found)
            elif found is None and guess_format(str(path)) is None:
                outcome.error = (f"{path.name}: neither its name nor its content says what it holds; "
                                 f"choose its format under “As”; {stopped}")
                self.app.call_from_thread(self._set_format, Select.NULL)
        if not outcome.error:
            def progress(phase: str, done: int, total: int) -> None:
                self.app.call_from_thread(self._progress, phase, done, total)

            ctx = self.app.ctx
            try:
                outcome.report = on_own_connection(lambda: import_file(ctx, fmt, data, dry_run=dry_run, progress=progress))
            except WrongFormat as exc:
                found = file_format(exc.found)
                outcome.error = (f"{path.name} looks like a {found.label}: choose “{found.picker}” as the format; "
                                 f"{stopped}")
            except FormatError as exc:
                where = f" line {exc.line}" if exc.line else ""
                outcome.error = f"{path.name}{where}: {exc.message}; {stopped}"
            except (InputError, StoreError) as exc:
                outcome.error = f"{exc}; {stopped}"
        self.app.call_from_thread(self._done, outcome)

    def _capture(self, path: Path, fmt: str, outcome: Outcome) -> None:
        def progress(phase: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, phase, done, total)

        ctx, me = self.app.ctx, self.app.settings.me_emails

        def run():
            report = capture(ctx, fmt, [path], me, dry_run=outcome.dry_run, progress=progress)
            return report, (0 if outcome.dry_run else len(people_worth_adding(ctx)))

        try:
            outcome.report, outcome.worth_adding = on_own_connection(run)
        except NoAddresses:
            outcome.error = str(NoAddresses(str(config_file()), "netmaint config edit opens it"))
        except (InputError, StoreError) as exc:
            outcome.error = f"{exc}; " + ("nothing to preview" if outcome.dry_run else "nothing was captured")

    def _set_format(self, name) -> None:
        """The format this screen found (a name, or Select.NULL for none), shown under "As"."""
        self._format_set = name
        self.query_one("#imp-format", Select).value = name

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.query_one("#imp-phase", Static).update(Content(PHASES.get(phase, phase)))
        bar = self.query_one("#imp-bar", ProgressBar)
        bar.update(total=max(total, 1), progress=done if total else 0)

    def _done(self, outcome: Outcome) -> None:
        self.busy = False
        self.outcome = outcome
        for button in self.query(Button):
            button.disabled = False
        if outcome.error:
            self.query_one("#imp-progress-box").display = False
            self._show_text(Content.assemble((safe(outcome.error), "$error")))
            return
        bar = self.query_one("#imp-bar", ProgressBar)
        bar.update(total=100, progress=100)
        self.query_one("#imp-phase", Static).update(Content("Preview done" if outcome.dry_run else "Import done"))
        r = outcome.report
        if isinstance(r, CaptureReport):
            self._show_text(capture_content(outcome.name, r, outcome.worth_adding))
        else:
            self._show_text(report_content(outcome.name, r))
        if outcome.dry_run:
            return
        if isinstance(r, CaptureReport):
            self.notify(f"Captured {safe(outcome.name)}: {plural(r.captured, 'touch')}", markup=False)
        else:
            self.notify(f"Imported {safe(outcome.name)}: {r.added} added, {r.updated} updated", markup=False)
        self.app.changed()

    def _show_text(self, content: Content) -> None:
        self.query_one("#imp-text", Static).update(content)
        self.query_one("#imp-result", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        if self.busy:
            self.notify("Still working; the import finishes in a moment", markup=False)
            return
        self.dismiss(self.outcome)

    def action_people(self) -> None:
        self.app.push_screen(PeopleScreen())


def report_content(name: str, r) -> Content:
    """Counts, the first rows with what happens to each, and the first problems, by line."""
    head = "Dry run, nothing written: " if r.dry_run else "Imported "
    parts: list = [(head, "bold"), safe(name), "\n",
                   ("added ", "$text-muted"), (str(r.added), "bold $success"),
                   ("  ·  updated ", "$text-muted"), (str(r.updated), "bold"),
                   ("  ·  unchanged ", "$text-muted"), str(r.unchanged),
                   ("  ·  skipped ", "$text-muted"), (str(r.skipped), "bold $warning" if r.skipped else "")]
    for why, n in sorted((r.left_out or {}).items()):
        parts += ["\n", (f"left out on purpose: {n} {why}", "$text-muted")]
    for section, counts in (r.others or {}).items():
        parts += ["\n", (section.replace("_", "-") + ": ", "$text-muted"),
                  f"{counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged, {counts.skipped} skipped"]
    if getattr(r, "backup", None):
        parts += ["\n", ("backup first: ", "$text-muted"), safe(str(r.backup))]
    changes = [c for c in r.changes if c.action != "skip"]
    if changes:
        verbs = {"add": "would add" if r.dry_run else "added", "update": "would update" if r.dry_run else "updated",
                 "same": "unchanged"}
        parts += ["\n\n", ("First rows", "bold")]
        for c in changes[:ROWS_SHOWN]:
            parts += ["\n", (f"line {c.line:<6}", "$text-muted"), (f"{verbs.get(c.action, c.action):<13}", ""),
                      safe(c.name)]
            if c.fields:
                shown = ", ".join(f"{field_label(k)}: {safe(str(old or '—'))} → {safe(str(new or '—'))}"
                                  for k, (old, new) in list(c.fields.items())[:3])
                parts += [("  " + shown, "$text-muted")]
            if c.how:  # whom it was taken for, and why; another name in warning colours
                parts += [("  " + safe(c.match_words()), "$warning" if c.other_name else "$text-muted")]
        if len(changes) > ROWS_SHOWN:
            parts += ["\n", (f"… and {len(changes) - ROWS_SHOWN} more", "$text-muted")]
    if r.issues:
        parts += ["\n\n", (f"Problems ({len(r.issues)})", "bold $warning")]
        for issue in r.issues[:ISSUES_SHOWN]:
            parts += ["\n", (f"line {issue.line}: ", "$text-muted"), safe(issue.message)]
        if len(r.issues) > ISSUES_SHOWN:
            parts += ["\n", (f"… and {len(r.issues) - ISSUES_SHOWN} more", "$text-muted")]
    return Content.assemble(*parts)


def capture_content(name: str, r: CaptureReport, worth_adding: int = 0) -> Content:
    """Counts, the touches logged (or that would be), why the rest were left out, and the problems."""
    head = "Dry run, nothing written: " if r.dry_run else "Captured "
    parts: list = [(head, "bold"), safe(name), "\n", ("touches ", "$text-muted"), (str(r.captured), "bold $success"),
                   ("  ·  with contacts ", "$text-muted"), str(r.contacts)]
    if r.joined:
        parts += [("  ·  mails joined a touch of their conversation ", "$text-muted"), str(r.joined)]
    if r.heard:
        parts += [("  ·  last heard moved for ", "$text-muted"), plural(r.heard, "contact")]
    skipped = r.skipped_words()
    if skipped:
        parts += ["\n", ("left out: ", "$text-muted"), "  ·  ".join(skipped)]
    if r.backup:
        parts += ["\n", ("backup first: ", "$text-muted"), safe(str(r.backup))]
    if worth_adding:
        who = "1 person" if worth_adding == 1 else f"{worth_adding} people"
        parts += ["\n", (f"{who} worth adding (met or written to three times or more): ctrl+o shows them",
                          "$warning")]
    if r.touches:
        parts += ["\n\n", ("Touches that would be logged" if r.dry_run else "Touches logged", "bold")]
        for t in r.touches[:TOUCHES_SHOWN]:
            minutes = f" {t.minutes} min" if t.minutes else ""
            parts += ["\n", (f"{t.at:%a %Y-%m-%d %H:%M}  ", "$text-muted"), (f"{t.channel}{minutes}", "bold"), "  ",
                      safe(", ".join(t.names)), ("  " + safe(t.note), "$text-muted")]
        if len(r.touches) > TOUCHES_SHOWN:
            parts += ["\n", (f"… and {len(r.touches) - TOUCHES_SHOWN} more", "$text-muted")]
    if r.problems:
        parts += ["\n\n", (f"Could not be read ({len(r.problems)}); the rest was", "bold $warning")]
        for problem in r.problems[:ISSUES_SHOWN]:
            parts += ["\n", (safe(problem.where) + ": ", "$text-muted"), safe(problem.message)]
        if len(r.problems) > ISSUES_SHOWN:
            parts += ["\n", (f"… and {len(r.problems) - ISSUES_SHOWN} more", "$text-muted")]
    return Content.assemble(*parts)
