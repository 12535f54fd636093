"""`netmaint config path|show|edit`, and `--theme` before or after `demo`."""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path

import pytest
import yaml

from netmaint_tui import cli
from netmaint_tui.config import Settings, load_settings, settings_from_text
from netmaint_tui.cli.config import TEMPLATE, TEMPLATE_EXAMPLE


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "conf" / "config.yaml"
    monkeypatch.setenv("NETMAINT_CONFIG", str(path))
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("NETMAINT_DEBUG", raising=False)
    return path


def write_config(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def editor(tmp_path: Path, body: str) -> str:
    """An EDITOR value: a Python script that gets the file's path as its one argument."""
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\npath = sys.argv[1]\n" + body, encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def run(capsys, *argv):
    code = cli.main(["config", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


# --- path ----------------------------------------------------------------------------------


def test_path_prints_the_config_file_even_before_it_exists(config, capsys):
    code, out, err = run(capsys, "path")
    assert (code, out, err) == (0, f"{config}\n", "")
    assert not config.exists()


# --- show ----------------------------------------------------------------------------------


def test_show_without_a_file_says_defaults_and_prints_them(config, capsys):
    code, out, err = run(capsys, "show")
    assert code == 0 and err == ""
    first, rest = out.split("\n", 1)
    assert first.startswith("# no file at ") and str(config) in first and "defaults" in first
    settings, problems = settings_from_text(rest)
    assert problems == [] and settings == Settings()


def test_show_prints_the_settings_in_force_and_names_the_file(config, capsys):
    write_config(config, "theme: netmaint-amber\nweek_start: sun\ngoal: {touches: 4}\n")
    code, out, err = run(capsys, "show")
    assert code == 0 and err == ""
    first, rest = out.split("\n", 1)
    assert first == f"# read from {config}"
    shown = yaml.safe_load(rest)
    assert shown["theme"] == "netmaint-amber"
    assert shown["week_start"] == "sunday"
    assert shown["goal"] == {"touches": 4, "minutes": None}
    assert settings_from_text(rest)[0] == load_settings(config)[0]


def test_show_puts_each_problem_on_stderr_once_and_still_shows_the_rest(config, capsys):
    write_config(config, "theme: netmaint-light\nweek_start: someday\ncolour: red\n")
    code, out, err = run(capsys, "show")
    assert code == 1
    assert "2 problems" in out.splitlines()[0]
    assert yaml.safe_load(out.split("\n", 1)[1])["theme"] == "netmaint-light"
    lines = err.splitlines()
    assert len(lines) == 2, err  # not repeated by the command line's own start-up warning
    assert lines[0].startswith("netmaint: config.yaml line 2: ")
    assert lines[1].startswith('netmaint: config.yaml line 3: unknown key "colour"')


def test_show_with_broken_yaml_is_one_line_not_a_traceback(config, capsys):
    write_config(config, "theme: [netmaint-light\n")
    code, out, err = run(capsys, "show")
    assert code == 1
    assert yaml.safe_load(out.split("\n", 1)[1])["theme"] == "netmaint-dark"
    assert len(err.splitlines()) == 1 and "config.yaml line" in err


def test_show_escapes_control_characters_in_the_path(tmp_path, monkeypatch, capsys):
    path = tmp_path / "odd\nname" / "config.yaml"
    monkeypatch.setenv("NETMAINT_CONFIG", str(path))
    code, out, _ = run(capsys, "show")
    assert code == 0
    assert out.splitlines()[0].startswith("# no file at ") and "name" in out.splitlines()[0]


def test_other_commands_still_warn_about_config_problems(config, capsys, tmp_path, monkeypatch):
    write_config(config, "colour: red\n")
    monkeypatch.setenv("NETMAINT_DB", str(tmp_path / "data" / "netmaint.db"))
    assert cli.main(["due"]) == 0
    assert 'config.yaml line 1: unknown key "colour"' in capsys.readouterr().err


# --- edit ----------------------------------------------------------------------------------


def test_edit_without_an_editor_says_so_in_one_line_and_creates_nothing(config, capsys):
    code, out, err = run(capsys, "edit")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "EDITOR" in err and str(config) in err
    assert not config.parent.exists()


def test_edit_creates_a_private_commented_file_and_checks_it_afterwards(config, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", editor(tmp_path, (
        "before = open(path, encoding='utf-8').read()\n"
        "open(path + '.seen', 'w').write(before)\n"
        "open(path, 'a', encoding='utf-8').write('theme: netmaint-light\\n')\n"
    )))
    code, out, err = run(capsys, "edit")
    assert (code, err) == (0, "")
    assert out == f"{config}: no problems\n"
    assert Path(str(config) + ".seen").read_text(encoding="utf-8") == TEMPLATE  # the editor saw the template
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    settings, problems = load_settings(config)
    assert problems == [] and settings.theme == "netmaint-light"


def test_edit_uses_visual_when_editor_is_not_set(config, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VISUAL", editor(tmp_path, "open(path, 'a').write('week_start: friday\\n')\n"))
    code, _, _ = run(capsys, "edit")
    assert code == 0
    assert load_settings(config)[0].week_start == 4


def test_edit_keeps_an_existing_file(config, capsys, tmp_path, monkeypatch):
    write_config(config, "# mine\ntheme: netmaint-forest\n")
    monkeypatch.setenv("EDITOR", editor(tmp_path, "open(path, 'a').write('week_start: sunday\\n')\n"))
    code, _, _ = run(capsys, "edit")
    assert code == 0
    assert config.read_text(encoding="utf-8") == "# mine\ntheme: netmaint-forest\nweek_start: sunday\n"


def test_edit_reports_the_problems_the_editor_left(config, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", editor(tmp_path, "open(path, 'a').write('goal: {touches: lots}\\n')\n"))
    code, out, err = run(capsys, "edit")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"netmaint: config.yaml line {TEMPLATE.count(chr(10)) + 1}: goal.touches")
    assert "netmaint config edit" in lines[-1]


def test_edit_with_an_editor_that_does_not_exist(config, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    code, out, err = run(capsys, "edit")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "cannot run the editor" in err


def test_edit_with_an_unbalanced_quote_in_editor(config, capsys, monkeypatch):
    monkeypatch.setenv("EDITOR", "vim '")
    code, _, err = run(capsys, "edit")
    assert code == 2 and "EDITOR" in err


def test_edit_says_when_the_editor_failed(config, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", editor(tmp_path, "raise SystemExit(3)\n"))
    code, out, err = run(capsys, "edit")
    assert code == 1 and out == ""
    assert "exited with status 3" in err


def test_edit_passes_editor_arguments_and_the_path_as_one_argument(tmp_path, monkeypatch, capsys):
    path = tmp_path / "a folder with spaces" / "config.yaml"
    monkeypatch.setenv("NETMAINT_CONFIG", str(path))
    monkeypatch.delenv("VISUAL", raising=False)
    script = tmp_path / "args.py"
    script.write_text("import sys\nopen(sys.argv[2], 'a').write('theme: ' + sys.argv[1] + '\\n')\n")
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} netmaint-amber")
    code, _, _ = run(capsys, "edit")
    assert code == 0
    assert load_settings(path)[0].theme == "netmaint-amber"


# --- the template --------------------------------------------------------------------------


def test_template_changes_nothing_until_a_line_is_uncommented():
    settings, problems = settings_from_text(TEMPLATE)
    assert problems == [] and settings == Settings()


def test_every_example_in_the_template_is_valid(tmp_path):
    settings, problems = settings_from_text(TEMPLATE_EXAMPLE, base_dir=tmp_path)
    assert problems == []
    assert settings.goal_touches == 5 and settings.goal_minutes == 60
    assert dict(settings.keys) == {"main.log": "L"}
    assert settings.data_file and settings.data_file.endswith("netmaint.db")
    # Each example line appears in the template behind "# ".
    assert all(f"# {line}" in TEMPLATE for line in TEMPLATE_EXAMPLE.splitlines())


# --- --theme before or after demo ----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "theme"),
    [
        (["--theme", "netmaint-amber", "demo"], "netmaint-amber"),
        (["demo", "--theme", "netmaint-forest"], "netmaint-forest"),
        (["--theme", "netmaint-amber", "demo", "--theme", "netmaint-forest"], "netmaint-forest"),
        (["demo"], None),
        (["--theme", "netmaint-light"], "netmaint-light"),
        ([], None),
    ],
)
def test_theme_option_before_or_after_demo(argv, theme):
    args = cli.build_parser().parse_args(argv)
    assert getattr(args, "theme", None) == theme


def test_theme_before_demo_reaches_the_app(tmp_path, config, monkeypatch):
    import netmaint_tui.demo

    seen = {}

    def run_app(path, settings, theme, clock):
        seen["theme"] = theme
        return 0

    monkeypatch.setattr(netmaint_tui.demo, "build_demo", lambda path, ctx, seed: None)
    monkeypatch.setattr(cli.app, "run_app", run_app)
    assert cli.main(["--theme", "netmaint-amber", "demo", "--db", str(tmp_path / "demo.db")]) == 0
    assert seen == {"theme": "netmaint-amber"}
