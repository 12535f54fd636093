"""NetmaintApp and its factory. Tests build the app with make_app(db_path, clock=…)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap
from textual.screen import Screen
from textual.theme import ThemeProvider

from netmaint_tui.clock import Clock, system_clock
from netmaint_tui.config import Settings, save_setting
from netmaint_tui.paths import user_themes_dir
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.services.common import Context
from netmaint_tui.services.undo import History
from netmaint_tui.store.backup import SourceDamaged, daily_backup
from netmaint_tui.store.db import current_database, data_version
from netmaint_tui.store.errors import DatabaseDamaged, StoreError
from netmaint_tui.store.files import translate_error
from netmaint_tui.ui.commands import ContactPicker, ContactsProvider
from netmaint_tui.ui.compat import HoldsKeysUntilReady
from netmaint_tui.ui.format import safe
from netmaint_tui.ui.screens.main import MainScreen


class NetmaintApp(HoldsKeysUntilReady):
    HELP_GROUP = "Everywhere"
    TITLE = "netmaint"
    CSS_PATH = "styles/app.tcss"
    COMMANDS = App.COMMANDS | {ContactsProvider}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="Every key of this pane and the app"),
        # priority: the note opens before the next keys arrive, so "n" and the name can be typed in one go;
        # the action hands "n" back to text fields and to screens that give it their own meaning.
        Binding("n", "quick_note_key", "Note", id="app.quick_note", tooltip="Quick note after a meeting", priority=True),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette", tooltip="Every action, and Go to contact…"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit netmaint"),
    ]
    ENABLE_COMMAND_PALETTE = True

    # The palette's own commands: (title, the binding whose action it runs and whose key it shows,
    # the user's keymap applied).
    PALETTE = (
        ("Add a contact", "main.add"),
        ("Edit the selected contact", "main.edit"),
        ("Log a touch", "main.log"),
        ("Quick note", "app.quick_note"),
        ("Snooze the selected contact", "main.snooze"),
        ("Archive the selected contact", "main.archive"),
        ("Filter the list", "main.filter"),
        ("Show or hide snoozed contacts", "main.snoozed"),
        ("Show or hide archived contacts", "main.archived"),
        ("Change the sort", "main.sort"),
        ("Follow-ups", "main.follow_ups"),
        ("Weekly session", "main.session"),
        ("Import a file: contacts, or capture touches from a calendar or mailbox", "main.import"),
        ("People worth adding", "main.people"),
        ("Sync with your phone and other computers", "main.sync"),
        ("Mark a contact to merge", "main.mark"),
        ("Merge duplicates", "main.merge"),
        ("Go to contact…", None),
        ("Help: every key", "app.help"),
    )

    def __init__(self, db_path: Path, clock: Clock, settings, theme: str | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.ctx = Context(clock, settings)
        self.settings = settings
        self.requested_theme = theme
        self.startup_problems: list[str] = []
        self.readonly = False
        self.damage: str | None = None  # set once the file is found damaged: what to say instead of saving
        self.own_themes: dict[str, int] = {}  # netmaint's and the user's themes, in picker order
        self._themes_pending = False  # True until the themes not in use are loaded
        # The theme the config file names: a choice is saved only when it differs from it.
        self._theme_in_config = settings.theme
        # Set while the theme picker is open: the theme it started from, restored by Escape.
        self._theme_before_pick: str | None = None
        # False until mounted: the theme set at start-up is not a choice to save. (App.is_mounted
        # is a method, always truthy, so it can't tell.)
        self._started = False
        self.start_up_complete = False  # True once start_up_done has run
        self._weighing_note_key = False  # see _quick_note_key_taken
        self._draft_pending = False  # a crash's draft still to offer, once the user is at the list

        self.history = History()  # what u / ctrl+z take back, newest last
        self._register_themes()

    # --- themes ---------------------------------------------------------------------------

    def _register_themes(self) -> None:
        from netmaint_tui.ui.themes import load_all_themes, quick_theme  # lazy: not needed for the first frame

        wanted = self.requested_theme or self.settings.theme
        # Reading every theme file costs as much as drawing the first frame; when the one in use
        # is a shipped theme and no user theme could replace it, the others load after that frame.
        quick = quick_theme(wanted, user_themes_dir())
        if quick is not None:
            self._add_themes([quick])
            self._themes_pending = True
        else:
            themes, problems = load_all_themes(user_themes_dir())
            self.startup_problems += problems
            self._add_themes(themes)
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self.startup_problems.append(f"unknown theme {wanted!r}; using netmaint-dark")
            self.theme = "netmaint-dark" if "netmaint-dark" in self.available_themes else "textual-dark"

    def _add_themes(self, themes) -> None:
        for theme in themes:
            self.register_theme(theme)
            # In load order (the default, then by name, then the user's): the picker's order.
            self.own_themes[theme.name] = self.own_themes.get(theme.name, len(self.own_themes))

    def _load_other_themes(self) -> None:
        from netmaint_tui.ui.themes import load_all_themes  # lazy: not needed for the first frame

        if not self._themes_pending:
            return
        self._themes_pending = False
        themes, problems = load_all_themes(user_themes_dir())
        self.own_themes = {}
        self._add_themes(themes)
        for line in problems:  # e.g. a themes path that is a file, not a folder
            self.notify(line, severity="warning", markup=False, timeout=10)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        from netmaint_tui.ui.themes import theme_variable_defaults  # lazy: not needed for the first frame

        return theme_variable_defaults(self.current_theme)

    def watch_theme(self, theme: str) -> None:
        # A theme chosen while the app runs is remembered; the start-up one (a --theme for one run,
        # or the fallback for an unknown name) is not, and neither is a preview in the picker.
        if self._started and self._theme_before_pick is None:
            self.remember_theme(theme)

    def remember_theme(self, theme: str) -> None:
        if theme == self._theme_in_config:
            return
        try:
            save_setting("theme", theme, databases=[self.db_path])
        except Exception as exc:  # the theme still applies for this run
            self.notify(f"Could not save the theme choice: {exc}", severity="warning", markup=False)
        else:
            self._theme_in_config = theme

    def search_themes(self) -> None:
        """Textual's theme picker, showing each highlighted theme as a preview; Escape goes back."""
        from textual.command import CommandPalette

        self._load_other_themes()
        self._theme_before_pick = self.theme
        self.push_screen(CommandPalette(providers=[ThemePicker], placeholder="Search for themes…"))

    def on_command_palette_option_highlighted(self, message) -> None:
        if self._theme_before_pick is None:
            return
        hit = getattr(message.highlighted_event.option, "hit", None)
        name = getattr(hit, "text", None)
        if name in self.available_themes:
            self.theme = name

    def on_command_palette_closed(self, message) -> None:
        before = self._theme_before_pick
        if before is None:
            return
        if message.option_selected:
            self._theme_before_pick = None
            # After the picker's own command has set the theme (queued behind this message).
            self.call_later(lambda: self.remember_theme(self.theme))
        else:
            self.theme = before  # still counted as a preview: nothing is saved
            self._theme_before_pick = None

    # --- start ------------------------------------------------------------------------------

    def main_screen_ready(self) -> None:
        self.release_keys()  # typed while the app started; see HoldsKeysUntilReady

    def get_default_screen(self) -> Screen:
        # The main screen is the app's first screen, not one pushed over a blank one: that
        # would lay out and draw the start twice.
        from netmaint_tui.ui.screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        db = current_database(self.db_path)
        self.readonly = db.readonly
        if self.readonly:
            self.sub_title = "read-only"
            self.notify(f"{safe(str(self.db_path))} is read-only: you can look, not change", severity="warning",
                        markup=False, timeout=8)
        for line in self.startup_problems:
            self.notify(line, severity="warning", markup=False, timeout=10)
        # The main screen calls start_up_done once it is whole; this is in case it never is.
        self.set_timer(3.0, self.start_up_done)
        if not self.readonly:
            # A few seconds in: a large network's copy would otherwise compete with the first frame.
            self.set_timer(3.0, self._daily_backup)
        self._data_version = self._read_data_version()
        self.set_interval(self.WATCH_INTERVAL, self._watch_other_writers)
        self._started = True  # from now on a theme change is the user's choice, and is saved

    # How often the app looks for writes by other processes (the command line, a second window,
    # a sync): one PRAGMA on a short timer costs nothing and keeps every view within a second.
    WATCH_INTERVAL = 0.5

    def _read_data_version(self) -> int | None:

        try:
            return data_version()
        except StoreError:
            return None  # busy or gone for a moment: looked at again on the next tick

    def _watch_other_writers(self) -> None:
        """SQLite's data_version changes when another connection commits to the file: then every
        view shows what it changed, the cursor staying on the same contact."""
        version = self._read_data_version()
        if version is None or version == self._data_version:
            return
        self._data_version = version
        if self.main is not None:
            self.data_changed()

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def _daily_backup(self) -> None:
        """The day's first start keeps a copy; off the main thread so the list shows at once."""
        try:
            daily_backup(self.db_path)
        except SourceDamaged as exc:  # the copy read a page the app has not: the way back, in red
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=30)
        except Exception as exc:  # a failed backup must not stop the user; say so
            self.call_from_thread(self.notify, f"Automatic backup failed: {exc}", severity="warning", markup=False)

    def start_up_done(self) -> None:
        """What start-up leaves until the whole main screen is drawn: the themes not in use and
        a quick note's draft left by a crash. Runs once."""
        if self.start_up_complete:
            return
        self.start_up_complete = True
        self._load_other_themes()
        self._check_keymap()
        self._draft_pending = not self.readonly
        self.offer_draft()

    def _check_keymap(self) -> None:
        """A `keys:` entry naming no binding would otherwise do nothing, silently."""
        if not self.settings.keys:
            return
        from netmaint_tui.ui.screens.help import known_binding_ids  # lazy: every screen's module, once

        unknown = sorted(set(self.settings.keys) - known_binding_ids(type(self)))
        if unknown:
            self.notify(f"keys: {', '.join(unknown)} {'is not a binding id' if len(unknown) == 1 else 'are not binding ids'}"
                        "; ? shows each key's id", severity="warning", markup=False, timeout=10)

    def offer_draft(self) -> None:
        """Offer a crash's draft back, once the user is at the list: not over a form, or into the
        filter, that keys typed during start-up opened, where a typed n or y would answer it. The
        main screen asks again each time the list gets the focus back."""
        main = self.main
        if not self._draft_pending or main is None or self.screen is not main or not main.at_list:
            return
        self._draft_pending = False
        from netmaint_tui.services.drafts import load_draft  # lazy: not needed for the first frame

        if load_draft() is None:
            return  # the usual case, and the note's screen need not even be loaded
        from netmaint_tui.ui.screens.quick_note import offer_saved_draft  # loaded only for a draft to offer

        offer_saved_draft(self)

    @property
    def main(self):
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def changed(self, keep: int | None = None) -> None:
        if self.main is not None:
            self.main.changed(keep=keep)

    def goto_contact(self, contact_id: int) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            self.pop_screen()
        if self.main is not None:
            self.main.goto_contact(contact_id)

    def act(self, label: str, action, into=None, subject: tuple[str, int] | None = None):
        """Run a change the user made so that undo can take it back whole: (result, entry).
        `into` joins it to an earlier entry (the thank-you after the done it followed);
        `subject` (("contact", id), ("follow_up", id)) is where the cursor goes on undo.
        Every change the app makes comes through here: once the file is known to be damaged,
        none is made."""
        if self.damage is not None:
            raise DatabaseDamaged(self.damage)
        try:
            return self.history.run(label, action, into=into, subject=subject)
        except DatabaseDamaged as exc:
            self.store_failed(exc)
            raise

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        # Every key and palette entry comes through here. A read that finds the file damaged
        # (or gone, or locked too long) is said on screen and the app goes on, read-only: what
        # is already on screen stays readable instead of ending in a traceback.
        import sqlite3

        try:
            return await super().run_action(action, default_namespace, namespaces)
        except (StoreError, sqlite3.DatabaseError) as exc:
            if not self.store_failed(exc):
                raise
            return True

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            self.store_failed(event.worker.error)

    def store_failed(self, error: BaseException | None) -> bool:
        """A read or write found the database unusable (damaged, gone, locked too long): said
        on screen, where a worker's failure would otherwise leave an empty list; a damaged file
        takes no more changes from this app."""
        import sqlite3

        if isinstance(error, sqlite3.DatabaseError):
            error = translate_error(error, self.db_path)
        if not isinstance(error, StoreError):
            return False
        if isinstance(error, DatabaseDamaged):
            if self.damage is not None:
                return True  # said once already: each cursor move reads the damage again
            self.damage = str(error)
            self.sub_title = "damaged: nothing is saved"
        self.notify(str(error), severity="error", markup=False, timeout=30)
        return True

    def action_undo(self) -> None:
        try:
            entry = self.history.undo_last()
        except StoreError as exc:
            self.notify(f"Could not undo: {exc}", severity="error", markup=False)
            return
        if entry is None:
            self.notify("Nothing to undo", markup=False)
            return
        kept = f" · left as changed since: {', '.join(entry.kept)}" if entry.kept else ""
        self.notify(f"Undone: {safe(entry.label)}{safe(kept)}", markup=False,
                    severity="warning" if entry.kept else "information")
        self.data_changed(entry.subject)

    def data_changed(self, subject: tuple[str, int] | None = None) -> None:
        """After a write: the list, the panes and the screen on top all show it, the cursor on
        `subject` where that screen lists it."""
        kind, ident = subject or ("", None)
        self.changed(keep=ident if kind == "contact" else None)
        refresh = getattr(self.screen, "data_changed", None)
        if callable(refresh) and self.screen is not self.main:
            refresh(keep=ident if kind == "follow_up" else None)

    def announce_log(self, result) -> None:
        lines = ["Touch logged."]
        if result.follow_ups:
            lines.append(f"{plural(len(result.follow_ups), 'follow-up')}:")
            lines += [f"• {safe(what)} — {due.strftime('%a %d %b %H:%M')}" for _, what, due in result.follow_ups]
        self.notify("\n".join(lines), markup=False, timeout=6)

    # --- actions ---------------------------------------------------------------------------

    def action_help(self) -> None:
        from netmaint_tui.ui.screens.help import HelpScreen, group_bindings  # lazy: not needed for the first frame

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(group_bindings(self, self.screen.active_bindings)))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Where a screen gives the key its own meaning (Next in the weekly session), the footer
        # and the help show that meaning, not the note.
        if action == "quick_note_key":
            return not self._quick_note_key_taken()
        return True

    def action_quick_note_key(self) -> None:
        from textual.actions import SkipAction
        from textual.widgets import Input, TextArea

        if isinstance(self.focused, (Input, TextArea)) or getattr(self.screen, "keeps_letters", False):
            raise SkipAction()  # a letter being typed: the key goes on to the field, as if unbound here
        self.action_quick_note()

    def _quick_note_key_taken(self) -> bool:
        """Whether the focused widget or the screen binds the note's key to something of its own."""
        if self._weighing_note_key:
            return True  # asked again from within: the note's own binding is left out
        self._weighing_note_key = True
        try:
            active = self.screen.active_bindings  # calls check_action for each binding, this one included
        finally:
            self._weighing_note_key = False
        return any(key in active and active[key].node is not self for key in self.binding_keys("app.quick_note"))

    def binding_keys(self, binding_id: str, bindings=None) -> list[str]:
        """The keys of a binding (one of `bindings`, the app's by default), the user's keymap applied."""
        declared = next(b.key for b in bindings or self.BINDINGS if b.id == binding_id)
        keys = self.settings.keys.get(binding_id) or declared
        return list(BindingsMap([Binding(keys, "")]).key_to_bindings)

    def action_quick_note(self) -> None:
        from netmaint_tui.ui.screens.quick_note import open_quick_note  # loaded when first opened

        # From the list: the highlighted contact is filled in (and selected: typing a name replaces it).
        main = self.main
        row = main.highlighted_row() if main is not None and self.screen is main and main.at_list else None
        open_quick_note(self, with_contact=(row.id, row.name) if row is not None else None)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                continue  # Textual's keys panel: "Help: every key" below says the same, by pane
            if command.callback == self.action_change_theme:
                command = SystemCommand("Change theme", "Pick a colour theme; it is remembered", self.action_change_theme)
            yield command
        main = self.main
        if main is None:
            return
        for title, binding_id in self.PALETTE:
            if binding_id is None:
                yield SystemCommand(title, "type a name", self.action_goto_contact_palette)
                continue
            node = self if binding_id.startswith("app.") else main
            binding = next(b for b in node.BINDINGS if b.id == binding_id)
            # The action itself: "n" in the note's binding would stand aside in a text field.
            action = "quick_note" if binding.action == "quick_note_key" else binding.action
            key = self.get_key_display(Binding(self.binding_keys(binding_id, node.BINDINGS)[0], action))
            help_text = f"key: {key}"
            if binding_id == "main.sync":
                from netmaint_tui.ui.sync import last_sync_text  # lazy: not needed for the first frame

                help_text = ", ".join(filter(None, (help_text, last_sync_text(self))))
            yield SystemCommand(title, help_text, getattr(node, f"action_{action}"))

    def action_goto_contact_palette(self) -> None:
        from textual.command import CommandPalette

        self.push_screen(CommandPalette(providers=[ContactPicker], placeholder="Go to contact…"))


class ThemePicker(ThemeProvider):
    """Textual's theme list, starting with the theme in use (the first one is previewed at once),
    then netmaint's and the user's themes, then Textual's."""

    @property
    def commands(self):
        app = self.app
        own = getattr(app, "own_themes", {})
        return sorted(
            super().commands,
            key=lambda command: (command[0] != app.theme, command[0] not in own, own.get(command[0], 0)),
        )


def make_app(db_path, clock: Clock | None = None, settings=None, theme: str | None = None, preload=None) -> NetmaintApp:
    if settings is None:
        settings = Settings()
    app = NetmaintApp(Path(db_path), clock or system_clock(), settings, theme)
    app.preload = preload
    return app
