"""Themes and settings in the running app: a chosen theme is saved, --theme is not, the picker previews,
a broken user theme is reported on screen, and a rebound key works."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.command import CommandList, CommandPalette

from netmaint_tui import paths
from netmaint_tui.config import Settings, load_settings
from netmaint_tui.ui.screens.contact_forms import LogTouchForm
from netmaint_tui.ui.screens.main import MainScreen

from .conftest import drive, new_app, notifications, settle

SHIPPED = {"netmaint-dark", "netmaint-light", "netmaint-contrast", "netmaint-amber", "netmaint-forest"}


def config_path() -> Path:
    return paths.config_file()  # inside the test's folder (see the private_config fixture)


def saved_theme() -> str | None:
    path = config_path()
    if not path.exists():
        return None
    settings, problems = load_settings(path)
    assert problems == []
    return settings.theme


async def open_theme_picker(app, pilot, via_palette: bool = False) -> CommandList:
    """The picker as a user opens it (ctrl+p, "Change theme"), or straight through its action."""
    if via_palette:
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"theme")
        await settle(app, pilot)  # the palette gathers its hits in a worker
        best = app.screen.query_one(CommandList).get_option_at_index(0)
        assert best.hit.text == "Change theme"
        await pilot.press("enter")
    else:
        app.action_change_theme()
    await settle(app, pilot)
    assert isinstance(app.screen, CommandPalette)
    return app.screen.query_one(CommandList)


def theme_names(command_list: CommandList) -> list[str]:
    return [option.hit.text for option in command_list.options]


# --- saving a choice ----------------------------------------------------------------------------


def test_a_theme_chosen_in_the_app_is_saved_to_the_config_file(demo_db):
    async def scenario(app, pilot):
        assert app.theme == "netmaint-dark"
        assert not config_path().exists()  # starting saves nothing
        app.theme = "netmaint-light"
        await pilot.pause()
        return config_path().read_text(encoding="utf-8")

    text = drive(new_app(demo_db), scenario)
    assert "theme: netmaint-light\n" in text
    assert saved_theme() == "netmaint-light"


def test_going_back_to_the_theme_in_the_file_is_saved_too(demo_db):
    config_path().parent.mkdir(parents=True)
    config_path().write_text("theme: netmaint-forest  # mine\nweek_start: sunday\n", encoding="utf-8")

    async def scenario(app, pilot):
        app.theme = "netmaint-light"
        await pilot.pause()
        first = saved_theme()
        app.theme = "netmaint-forest"
        await pilot.pause()
        return first

    assert drive(new_app(demo_db, settings=load_settings(config_path())[0]), scenario) == "netmaint-light"
    assert config_path().read_text(encoding="utf-8") == "theme: netmaint-forest  # mine\nweek_start: sunday\n"


def test_theme_for_one_run_is_used_and_not_saved(demo_db):
    async def scenario(app, pilot):
        amber = app.get_theme("netmaint-amber")
        used = app.theme_variables
        # The variables the stylesheet is drawn with are amber's, not only the name.
        assert used["background"] == amber.to_color_system().generate()["background"]
        assert used["background"] != app.get_theme("netmaint-dark").to_color_system().generate()["background"]
        assert used["tier-a"] == amber.variables["tier-a"]
        return app.theme

    assert drive(new_app(demo_db, theme="netmaint-amber"), scenario) == "netmaint-amber"
    assert not config_path().exists()


def test_theme_for_one_run_leaves_an_existing_config_alone(demo_db):
    config_path().parent.mkdir(parents=True)
    config_path().write_text("theme: netmaint-forest\n", encoding="utf-8")
    settings = load_settings(config_path())[0]

    async def scenario(app, pilot):
        return app.theme

    assert drive(new_app(demo_db, settings=settings, theme="netmaint-amber"), scenario) == "netmaint-amber"
    assert config_path().read_text(encoding="utf-8") == "theme: netmaint-forest\n"


def test_a_theme_named_in_the_config_is_used_without_rewriting_it(demo_db):
    async def scenario(app, pilot):
        return app.theme

    assert drive(new_app(demo_db, settings=Settings(theme="netmaint-contrast")), scenario) == "netmaint-contrast"
    assert not config_path().exists()


def test_unknown_theme_falls_back_says_so_and_is_not_saved(demo_db):
    async def scenario(app, pilot):
        return app.theme, notifications(app)

    theme, messages = drive(new_app(demo_db, settings=Settings(theme="no-such-theme")), scenario)
    assert theme == "netmaint-dark"
    assert any("unknown theme 'no-such-theme'" in m for m in messages)
    assert not config_path().exists()


def test_a_config_file_that_cannot_be_saved_is_left_alone_and_the_theme_still_changes(demo_db):
    config_path().parent.mkdir(parents=True)
    config_path().write_text("theme: [broken\n", encoding="utf-8")

    async def scenario(app, pilot):
        app.theme = "netmaint-light"
        await pilot.pause()
        return app.theme, app.notified

    theme, notes = drive(new_app(demo_db), scenario)
    assert theme == "netmaint-light"
    assert any(m.startswith("Could not save the theme choice") and s == "warning" for m, s in notes)
    assert config_path().read_text(encoding="utf-8") == "theme: [broken\n"


# --- the picker ---------------------------------------------------------------------------------


def test_picker_lists_the_current_theme_first_then_netmaints_and_previews_as_you_move(demo_db):
    async def scenario(app, pilot):
        command_list = await open_theme_picker(app, pilot, via_palette=True)
        names = theme_names(command_list)
        assert names[0] == "netmaint-dark" and set(names[:5]) == SHIPPED
        assert {"textual-dark", "nord"} <= set(names)
        await pilot.press("down")
        await pilot.pause()
        previewed = app.theme
        assert previewed == names[1]
        assert saved_theme() is None  # a preview is not a choice
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        return previewed, app.theme

    previewed, after = drive(new_app(demo_db), scenario)
    assert previewed != "netmaint-dark"
    assert after == "netmaint-dark"
    assert not config_path().exists()


@pytest.mark.parametrize("with_user_theme", [False, True], ids=["shipped only", "with a user theme"])
def test_picker_order_is_current_then_netmaints_in_load_order_then_the_users_then_textuals(demo_db, with_user_theme):
    """Whether the other themes loaded after the first frame (shipped only) or before it (a user
    theme could replace the one in use), the picker lists them in the same order."""
    from netmaint_tui.ui.themes import load_all_themes

    if with_user_theme:
        folder = paths.user_themes_dir()
        folder.mkdir(parents=True)
        (folder / "dusk.yaml").write_text("name: dusk\nprimary: \"#c792ea\"\n", encoding="utf-8")
    own = [theme.name for theme in load_all_themes()[0]]

    async def scenario(app, pilot):
        return theme_names(await open_theme_picker(app, pilot))

    names = drive(new_app(demo_db, theme="netmaint-amber"), scenario)
    expected_own = ["netmaint-amber"] + [name for name in own if name != "netmaint-amber"]
    assert names[: len(own)] == expected_own
    assert own[0] == "netmaint-dark" and (own[-1] == "dusk") == with_user_theme
    assert "textual-dark" in names[len(own):]


def test_picking_a_theme_saves_it(demo_db):
    async def scenario(app, pilot):
        await open_theme_picker(app, pilot)
        await pilot.press(*"forest")
        await settle(app, pilot)
        assert app.theme == "netmaint-forest"  # the best match is previewed while typing
        assert saved_theme() is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        return app.theme

    assert drive(new_app(demo_db), scenario) == "netmaint-forest"
    assert saved_theme() == "netmaint-forest"


def test_escape_from_the_picker_after_a_one_run_theme_restores_it_and_saves_nothing(demo_db):
    async def scenario(app, pilot):
        await open_theme_picker(app, pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        assert app.theme != "netmaint-amber"
        await pilot.press("escape")
        await pilot.pause()
        return app.theme

    assert drive(new_app(demo_db, theme="netmaint-amber"), scenario) == "netmaint-amber"
    assert not config_path().exists()


# --- user themes with mistakes ------------------------------------------------------------------


def test_bad_user_themes_are_reported_with_file_and_line_and_the_app_starts(demo_db):
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("name: broken\nprimary: [\"#ff0000\"\n", encoding="utf-8")
    (folder / "typo.yaml").write_text("name: typo\nprimary: \"#336699\"\nbackgrund: \"#000000\"\n", encoding="utf-8")
    (folder / "colour.yaml").write_text("name: colour\n\nprimary: bleu\n", encoding="utf-8")
    (folder / "good.yaml").write_text("name: good\nprimary: \"#c792ea\"\n", encoding="utf-8")

    async def scenario(app, pilot):
        assert isinstance(app.screen, MainScreen)
        assert "good" in app.available_themes
        assert not {"broken", "typo", "colour"} & set(app.available_themes)
        return app.notified

    notes = drive(new_app(demo_db), scenario)
    messages = [m for m, severity in notes if severity == "warning"]

    def one(prefix: str) -> str:
        found = [m for m in messages if m.startswith(prefix)]
        assert len(found) == 1, (prefix, messages)
        return found[0]

    assert one("broken.yaml line ")
    assert '"backgrund"' in one("typo.yaml line 3: ") and '"background"' in one("typo.yaml line 3: ")
    assert '"bleu"' in one("colour.yaml line 3: ")


def test_a_user_theme_can_be_the_configured_theme(demo_db):
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "dusk.yaml").write_text("name: dusk\nprimary: \"#c792ea\"\nbackground: \"#1b1a23\"\n", encoding="utf-8")

    async def scenario(app, pilot):
        return app.theme, Color.parse(app.theme_variables["background"]), app.notified

    theme, background, notes = drive(new_app(demo_db, settings=Settings(theme="dusk")), scenario)
    assert theme == "dusk" and background == Color.parse("#1b1a23")
    assert notes == []


# --- keys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("keys", "opens", "does_not"), [({"main.log": "L"}, "L", "l"), ({}, "l", "L")])
def test_a_rebound_key_opens_the_log_form_and_the_old_one_does_not(demo_db, keys, opens, does_not):
    async def scenario(app, pilot):
        await pilot.press(does_not)
        await pilot.pause()
        before = type(app.screen)
        await pilot.press(opens)
        await pilot.pause()
        return before, type(app.screen)

    before, after = drive(new_app(demo_db, settings=Settings(keys=keys)), scenario)
    assert before is MainScreen
    assert after is LogTouchForm


def test_only_the_theme_in_use_loads_before_the_first_frame_the_rest_right_after(demo_db):
    shipped = ["netmaint-dark", "netmaint-amber", "netmaint-contrast", "netmaint-forest", "netmaint-light"]
    app = new_app(demo_db, theme="netmaint-forest")
    assert [name for name in shipped if name in app.available_themes] == ["netmaint-forest"]

    async def scenario(app, pilot):
        return app.theme, list(app.own_themes), [name for name in shipped if name in app.available_themes]

    theme, own, available = drive(app, scenario)
    assert theme == "netmaint-forest"
    assert available == shipped
    assert own == shipped  # the picker's order: the default, then by name


def test_a_themes_path_that_is_not_a_folder_is_reported_once_the_app_is_up(demo_db):
    themes = config_path().parent / "themes"
    themes.parent.mkdir(parents=True)
    themes.write_text("not a folder", encoding="utf-8")

    async def scenario(app, pilot):
        return app.theme, notifications(app)

    theme, messages = drive(new_app(demo_db), scenario)
    assert theme == "netmaint-dark"
    assert any("themes: not a folder" in m for m in messages)


def test_a_note_key_moved_by_the_keymap_works_where_n_means_something_else(demo_db):
    """In the weekly session n is Next. With the note moved to ctrl+n, ctrl+n still opens a note
    there and the footer offers it; n stays Next."""
    from netmaint_tui.ui.screens.quick_note import QuickNoteScreen
    from netmaint_tui.ui.screens.weekly_session import WeeklySessionScreen

    async def scenario(app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        session = app.screen
        shown = {key: active.binding.action for key, active in session.active_bindings.items()}
        await pilot.press("ctrl+n")
        await pilot.pause()
        return isinstance(session, WeeklySessionScreen), shown.get("ctrl+n"), shown.get("n"), type(app.screen)

    in_session, ctrl_n, n, after = drive(new_app(demo_db, settings=Settings(keys={"app.quick_note": "ctrl+n"})), scenario)
    assert in_session and (ctrl_n, n) == ("quick_note_key", "next")
    assert after is QuickNoteScreen


def test_the_palette_shows_each_actions_key_as_bound_now(demo_db):
    """The key beside an action in ctrl+p comes from its binding: moved by the keymap, it moves there too."""
    async def scenario(app, pilot):
        return {command.title: command.help for command in app.get_system_commands(app.screen)}

    default = drive(new_app(demo_db), scenario)
    moved = drive(new_app(demo_db, settings=Settings(keys={"main.add": "plus", "app.quick_note": "ctrl+n"})), scenario)
    assert (default["Add a contact"], default["Quick note"], default["Filter the list"]) == ("key: a", "key: n", "key: /")
    assert (default["Archive the selected contact"], default["Help: every key"]) == ("key: A", "key: ?")
    assert default["Go to contact…"] == "type a name"
    assert (moved["Add a contact"], moved["Quick note"]) == ("key: +", "key: ^n")


def test_a_keys_entry_naming_no_binding_is_reported_and_the_others_still_apply(demo_db):
    """A mistyped id (main.ad for main.add) would otherwise do nothing, silently."""
    async def scenario(app, pilot):
        await settle(app, pilot)
        await pilot.press("L")
        await pilot.pause()
        return notifications(app), type(app.screen)

    messages, after = drive(new_app(demo_db, settings=Settings(keys={"main.ad": "plus", "main.log": "L"})), scenario)
    assert [m for m in messages if "binding id" in m] == ["keys: main.ad is not a binding id; ? shows each key's id"]
    assert after is LogTouchForm


def test_every_binding_id_is_known_and_none_is_reported_for_a_correct_keymap(demo_db):
    from netmaint_tui.ui.app import NetmaintApp
    from netmaint_tui.ui.screens.help import known_binding_ids

    known = known_binding_ids(NetmaintApp)
    # The app's, the main screen's, and those of screens loaded only when opened.
    assert {"app.quick_note", "main.add", "list.down", "session.next", "follow_ups.done"} <= known

    async def scenario(app, pilot):
        await settle(app, pilot)
        return notifications(app)

    messages = drive(new_app(demo_db, settings=Settings(keys={"follow_ups.done": "D"})), scenario)
    assert not [m for m in messages if "binding id" in m]


def test_the_help_shows_the_id_that_rebinds_each_key(demo_db):
    from netmaint_tui.ui.screens.help import HelpScreen

    async def scenario(app, pilot):
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        return isinstance(screen, HelpScreen), " ".join(str(s.render()) for s in screen.query(".help-desc"))

    is_help, text = drive(new_app(demo_db), scenario)
    assert is_help
    assert "Add — Add a contact  main.add" in text and "list.down" in text
