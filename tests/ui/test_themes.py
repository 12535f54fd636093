"""Themes: the shipped files, user themes, one problem line per bad file, and the variables in TCSS."""

from __future__ import annotations

import asyncio
import importlib.resources
from pathlib import Path

import pytest
import yaml
from textual.app import App, ComposeResult
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import DataTable, Footer, Input, Static

from netmaint_tui.ui.themes import (
    NETMAINT_VARIABLES,
    ThemeError,
    default_variables,
    load_all_themes,
    load_theme_file,
    theme_variable_defaults,
)

SHIPPED = ["netmaint-dark", "netmaint-amber", "netmaint-contrast", "netmaint-forest", "netmaint-light"]
THEMES_DIR = importlib.resources.files("netmaint_tui.themes")


def shipped_yaml(name: str) -> dict:
    return yaml.safe_load((THEMES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def by_name(themes):
    return {theme.name: theme for theme in themes}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- shipped themes ----------------------------------------------------------------------------


def test_shipped_themes_load_default_first(tmp_path):
    themes, problems = load_all_themes(tmp_path / "no-user-themes")
    assert problems == []
    assert [theme.name for theme in themes] == SHIPPED
    assert len(NETMAINT_VARIABLES) == 11


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_file_sets_all_netmaint_colours_and_they_parse(name):
    data = shipped_yaml(name)
    assert data["name"] == name
    assert sorted(data["netmaint"]) == sorted(NETMAINT_VARIABLES)  # set in the file, not filled by defaults
    theme = load_theme_file(THEMES_DIR / f"{name}.yaml")
    for variable in NETMAINT_VARIABLES:
        Color.parse(theme.variables[variable])
    for key in ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
                "warning", "error", "success"):
        assert getattr(theme, key) is not None, key
    theme.to_color_system().generate()


def test_the_light_and_contrast_themes_say_what_they_are():
    themes = by_name(load_all_themes(Path("/nonexistent/netmaint-themes"))[0])
    assert themes["netmaint-light"].dark is False
    assert themes["netmaint-dark"].dark is True
    contrast = themes["netmaint-contrast"]
    assert contrast.ansi is True
    # Only the terminal's 16 colours, so a 16-colour terminal shows it exactly.
    colours = [getattr(contrast, key) for key in ("primary", "secondary", "accent", "foreground", "background",
                                                  "warning", "error", "success")]
    colours += [contrast.variables[name] for name in NETMAINT_VARIABLES]
    assert all(colour.startswith("ansi_") for colour in colours), colours


def _luminance(colour: str) -> float:
    parsed = Color.parse(colour)

    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(parsed.r) + 0.7152 * channel(parsed.g) + 0.0722 * channel(parsed.b)


def contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_colours_stand_out_from_background_and_panels(name):
    data = shipped_yaml(name)
    # The ANSI theme is measured on Textual's reference palette, which is darker than most terminals'.
    minimum = 4.0 if data.get("ansi") else 4.5
    assert contrast(data["foreground"], data["background"]) >= 7
    for variable, colour in data["netmaint"].items():
        assert contrast(colour, data["background"]) >= minimum, (variable, colour)
        assert contrast(colour, data["panel"]) >= 3, (variable, colour)


def test_defaults_for_builtin_themes_match_our_dark_and_light_themes():
    def normal(block):
        return {key: Color.parse(value).hex for key, value in block.items()}

    assert normal(default_variables(dark=True)) == normal(shipped_yaml("netmaint-dark")["netmaint"])
    assert normal(default_variables(dark=False)) == normal(shipped_yaml("netmaint-light")["netmaint"])
    assert default_variables(dark=True, ansi=True) == shipped_yaml("netmaint-contrast")["netmaint"]
    for dark in (True, False):
        for ansi in (True, False):
            block = default_variables(dark, ansi)
            assert sorted(block) == sorted(NETMAINT_VARIABLES)
            for value in block.values():
                Color.parse(value)


# --- the variables reach TCSS ------------------------------------------------------------------


class ThemedApp(App):
    CSS = "\n".join(f"#v-{name} {{ color: ${name}; background: $surface; }}" for name in NETMAINT_VARIABLES)

    def __init__(self, themes):
        super().__init__()
        self._extra = themes

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(self.current_theme)

    def on_mount(self) -> None:
        for theme in self._extra:
            self.register_theme(theme)

    def compose(self) -> ComposeResult:
        for name in NETMAINT_VARIABLES:
            yield Static(name, id=f"v-{name}")
        yield Input("typed text")
        yield DataTable()
        yield Footer()


def test_every_theme_drives_the_stylesheet_including_textual_builtins(tmp_path):
    themes, _ = load_all_themes(tmp_path)
    asyncio.run(_apply_every_theme(themes))


async def _apply_every_theme(themes):
    app = ThemedApp(themes)
    async with app.run_test(size=(80, 30)) as pilot:
        for theme in themes:
            app.theme = theme.name
            await pilot.pause()
            for name in NETMAINT_VARIABLES:
                got = app.query_one(f"#v-{name}", Static).styles.color
                assert got == Color.parse(theme.variables[name]), (theme.name, name)
        for builtin in BUILTIN_THEMES:
            app.theme = builtin
            await pilot.pause()  # a missing $variable would raise here, failing the test
            expected = default_variables(BUILTIN_THEMES[builtin].dark, BUILTIN_THEMES[builtin].ansi)["tier-a"]
            assert app.query_one("#v-tier-a", Static).styles.color == Color.parse(expected), builtin


# --- user themes -------------------------------------------------------------------------------

DUSK = """\
name: dusk
dark: true
primary: "#c792ea"
background: "#1b1a23"
netmaint:
  tier-a: "#ffcb6b"
"""


def test_user_theme_adds_and_overrides(tmp_path):
    write(tmp_path, "dusk.yaml", DUSK)
    write(tmp_path, "mine.yml", 'name: netmaint-light\ndark: false\nprimary: "#ff0000"\n')
    themes, problems = load_all_themes(tmp_path)
    assert problems == []
    names = [theme.name for theme in themes]
    assert names == SHIPPED + ["dusk"]  # the override keeps the shipped one's place
    loaded = by_name(themes)
    assert loaded["netmaint-light"].primary == "#FF0000"
    assert loaded["dusk"].variables["tier-a"] == "#FFCB6B"
    # Colours the user left out come from netmaint's dark set.
    assert loaded["dusk"].variables["overdue"] == Color.parse(default_variables(True)["overdue"]).hex


def test_default_user_folder_follows_netmaint_config(tmp_path, monkeypatch):
    monkeypatch.setenv("NETMAINT_CONFIG", str(tmp_path / "config.yaml"))
    write(tmp_path / "themes", "dusk.yaml", DUSK)
    themes, problems = load_all_themes()
    assert problems == []
    assert "dusk" in by_name(themes)


def test_name_defaults_to_the_file_stem_and_dark_to_the_background(tmp_path):
    write(tmp_path, "paper.yaml", 'primary: "#224488"\nbackground: "#fafafa"\n')
    theme = by_name(load_all_themes(tmp_path)[0])["paper"]
    assert theme.dark is False
    assert theme.variables["tier-a"] == Color.parse(default_variables(False)["tier-a"]).hex


def test_textual_variables_block(tmp_path):
    write(tmp_path, "cursor.yaml", 'primary: "#123456"\nvariables:\n  block-cursor-background: red\n'
                                   '  input-selection-background: "#ffb000 30%"\n')
    theme = by_name(load_all_themes(tmp_path)[0])["cursor"]
    assert theme.variables["block-cursor-background"] == "#FF0000"
    assert theme.variables["input-selection-background"] == "#FFB000 30%"


def test_an_ansi_user_theme_gets_what_textual_needs_for_ansi(tmp_path):
    theme = load_theme_file('primary: ansi_red\nansi: true\n', "tty")
    assert theme.ansi is True
    assert "ansi-background" in theme.variables  # Textual's Screen CSS refers to it
    assert theme.variables["tier-a"] == "ansi_bright_yellow"


# --- bad files: one line with file and line, skipped, the rest still load ------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name: bad\nprimary: "#123456"\nnetmaint:\n  tier-a: "#ff0000\n',
         "bad.yaml line 4: YAML syntax error: a quoted value starting here is never closed"),
        ('name: bad\nprimary: "#123456"\nbackgroud: "#000000"\n',
         'bad.yaml line 3: unknown key "backgroud" (did you mean "background"?); known: name, dark, ansi, '),
        ('name: bad\nprimary: "#123456"\n\nnetmaint:\n  tier-a: bleu\n',
         'bad.yaml line 5: "tier-a" is not a colour: "bleu" (did you mean "blue"?); use "#rrggbb"'),
        ('name: bad\nprimary: #123456\n',
         'bad.yaml line 2: "primary" has no value; a colour starting with # must be quoted, like primary: "#ff8800"'),
        ('name: bad\nprimary: "#123456"\nnetmaint:\n  teir-a: red\n',
         'bad.yaml line 4: unknown netmaint colour "teir-a" (did you mean "tier-a"?); known: tier-a, tier-b'),
        ('name: bad\nprimary: "#123456"\ndark: maybe\n',
         'bad.yaml line 3: "dark" must be true or false, not text'),
        ('name: bad\nbackground: "#000000"\n', 'bad.yaml line 1: no "primary" colour; every theme needs one'),
        ('name: bad\nprimary: "#123456"\nprimary: "#654321"\n',
         'bad.yaml line 3: "primary" is set twice (also on line 2)'),
        ('name: bad theme\nprimary: "#123456"\n',
         "bad.yaml line 1: name must be letters, digits, - or _ (up to 64), like my-theme"),
        ('name: bad\nprimary: "#123456"\nvariables:\n  block-cursor-text-style: red\n',
         "bad.yaml line 4: \"block-cursor-text-style\" is not one of Textual's colour variables"),
        ('name: bad\nprimary: [1, 2]\n', 'bad.yaml line 2: "primary" must be a colour, not a list'),
        ('- primary\n', 'bad.yaml line 1: expected a theme as "key: value" lines'),
        ('', "bad.yaml: empty file"),
        ('a: &x "#fff"\nprimary: *x\n', "bad.yaml line 2: aliases (*name) are not allowed here"),
    ],
)
def test_bad_theme_is_one_line_with_file_and_line_and_is_skipped(tmp_path, text, expected):
    write(tmp_path, "bad.yaml", text)
    write(tmp_path, "dusk.yaml", DUSK)
    themes, problems = load_all_themes(tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]
    assert "\n" not in problems[0]
    names = [theme.name for theme in themes]
    assert "bad" not in names
    assert names == SHIPPED + ["dusk"]


def test_python_tag_in_a_theme_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    write(tmp_path, "evil.yaml", f'primary: !!python/object/apply:os.system ["touch {marker}"]\n')
    themes, problems = load_all_themes(tmp_path)
    assert not marker.exists()
    assert problems == ['evil.yaml line 1: tag "!!python/object/apply:os.system" is not allowed']
    assert "evil" not in by_name(themes)


def test_oversized_theme_is_refused(tmp_path):
    write(tmp_path, "huge.yaml", 'primary: "#123456"\n' + "# padding\n" * 7000)
    themes, problems = load_all_themes(tmp_path)
    assert problems == ["huge.yaml: file is 68 KiB, over the 64 KiB limit; refused"]
    assert "huge" not in by_name(themes)
    with pytest.raises(ThemeError, match=r"^huge\.yaml: over the 64 KiB limit"):
        load_theme_file('primary: "#123456"\n' + "#" * 70_000, "huge")


def test_two_user_files_with_one_name(tmp_path):
    write(tmp_path, "a.yaml", DUSK)
    write(tmp_path, "b.yaml", DUSK.replace("#c792ea", "#00ff00"))
    themes, problems = load_all_themes(tmp_path)
    assert problems == ['b.yaml: theme "dusk" is also defined by a.yaml; using b.yaml']
    assert by_name(themes)["dusk"].primary == "#00FF00"


def test_user_themes_folder_that_is_a_file(tmp_path):
    folder = tmp_path / "themes"
    folder.write_text("not a folder")
    themes, problems = load_all_themes(folder)
    assert problems == ["themes: not a folder; no user themes loaded"]
    assert [theme.name for theme in themes] == SHIPPED


def test_other_files_in_the_folder_are_ignored(tmp_path):
    write(tmp_path, "notes.txt", "not a theme")
    write(tmp_path, ".hidden.yaml", "broken: [")
    write(tmp_path, "dusk.yaml", DUSK)
    themes, problems = load_all_themes(tmp_path)
    assert problems == []
    assert [theme.name for theme in themes] == SHIPPED + ["dusk"]


def test_load_theme_file_from_text_uses_the_hint():
    theme = load_theme_file('primary: "#123456"\n', "from-text")
    assert theme.name == "from-text"
    with pytest.raises(ThemeError, match=r'^from-text\.yaml line 2: "accent" is not a colour'):
        load_theme_file('primary: "#123456"\naccent: nope\n', "from-text")
