"""config.yaml: defaults, every key, one clear line per mistake, hostile files, and saving."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netmaint_tui.config import (
    DEFAULT_CADENCE,
    ConfigError,
    Settings,
    effective_settings_text,
    load_settings,
    save_setting,
)

KNOWN = "known keys: theme, week_start, cadence_days, goal, keys, data_file, sync, me"


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str) -> tuple[Settings, list[str]]:
    return load_settings(write(tmp_path, text))


# --- defaults ----------------------------------------------------------------------------------


def test_missing_file_gives_defaults_and_no_problem(tmp_path):
    settings, problems = load_settings(tmp_path / "nowhere" / "config.yaml")
    assert problems == []
    assert settings == Settings()
    assert settings.theme == "netmaint-dark"
    assert settings.week_start == 0
    assert dict(settings.cadence_days) == {"A": 30, "B": 90, "C": 180}
    assert settings.goal_touches is None and settings.goal_minutes is None
    assert dict(settings.keys) == {}
    assert settings.data_file is None


def test_netmaint_config_names_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, "theme: netmaint-amber\n", "elsewhere.yaml")
    monkeypatch.setenv("NETMAINT_CONFIG", str(path))
    settings, problems = load_settings()
    assert problems == []
    assert settings.theme == "netmaint-amber"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file_gives_defaults(tmp_path, text):
    assert load_text(tmp_path, text) == (Settings(), [])


def test_defaults_cannot_be_changed_through_a_settings_object():
    with pytest.raises(TypeError):
        Settings().cadence_days["A"] = 1  # type: ignore[index]
    assert DEFAULT_CADENCE == {"A": 30, "B": 90, "C": 180}


# --- each key ----------------------------------------------------------------------------------


def test_every_key_valid(tmp_path):
    settings, problems = load_text(
        tmp_path,
        """\
# netmaint settings
theme: netmaint-light
week_start: sunday
cadence_days:
  A: 14
  B: 60
  C: 365
goal: {touches: 5, minutes: 60}
keys:
  log_touch: L
  quit: [q, ctrl+q]
data_file: /srv/net/netmaint.db
""",
    )
    assert problems == []
    assert settings.theme == "netmaint-light"
    assert settings.week_start == 6
    assert dict(settings.cadence_days) == {"A": 14, "B": 60, "C": 365}
    assert (settings.goal_touches, settings.goal_minutes) == (5, 60)
    assert dict(settings.keys) == {"log_touch": "L", "quit": "q,ctrl+q"}
    assert settings.data_file == "/srv/net/netmaint.db"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("monday", 0), ("Mon", 0), ("tue", 1), ("WEDNESDAY", 2), ("thurs", 3), ("fri", 4), ("sat", 5),
     ("sun", 6), ("su", 6), (0, 0), (6, 6), (3, 3)],
)
def test_week_start_names_and_numbers(tmp_path, raw, expected):
    settings, problems = load_text(tmp_path, f"week_start: {raw}\n")
    assert problems == []
    assert settings.week_start == expected


def test_partial_cadence_keeps_other_tiers_and_accepts_lower_case(tmp_path):
    settings, problems = load_text(tmp_path, "cadence_days: {a: 10}\n")
    assert problems == []
    assert dict(settings.cadence_days) == {"A": 10, "B": 90, "C": 180}


def test_goal_with_one_part_only(tmp_path):
    settings, problems = load_text(tmp_path, "goal:\n  minutes: 45\n")
    assert problems == []
    assert (settings.goal_touches, settings.goal_minutes) == (None, 45)


def test_key_values_are_taken_as_written_not_as_yaml_booleans(tmp_path):
    # Unquoted `no`, `on` and `1` are a boolean and a number in YAML; as keys they are keys.
    settings, problems = load_text(tmp_path, "keys:\n  dismiss: no\n  toggle: on\n  tab_one: 1\n")
    assert problems == []
    assert dict(settings.keys) == {"dismiss": "no", "toggle": "on", "tab_one": "1"}


def test_relative_data_file_is_beside_the_config_file(tmp_path):
    settings, problems = load_text(tmp_path, "data_file: data/net.db\n")
    assert problems == []
    assert settings.data_file == str(tmp_path / "data" / "net.db")


def test_data_file_expands_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    settings, _ = load_text(tmp_path, "data_file: ~/net.db\n")
    assert settings.data_file == str(tmp_path / "home" / "net.db")


def test_my_addresses_are_a_list_and_what_is_no_address_is_left_out_with_its_line(tmp_path):
    settings, problems = load_text(tmp_path, "me:\n  emails:\n  - Dana@Example.com\n  - dana at home\n"
                                             "  - dana@work.example\n  - Dana@Example.com\n")
    assert settings.me_emails == ("Dana@Example.com", "dana@work.example")
    assert problems == ['config.yaml line 4: me.emails: "dana at home" is not an email address; left out']
    assert load_text(tmp_path, "me: {emails: dana@example.com}\n") == (Settings(me_emails=("dana@example.com",)), [])
    assert load_text(tmp_path, "me:\n")[0].me_emails == ()
    settings, problems = load_text(tmp_path, "me: dana@example.com\n")
    assert settings.me_emails == () and problems == [
        "config.yaml line 1: me must be a mapping like {emails: [you@example.com, you@work.example]}, not text; using no addresses"]
    text = effective_settings_text(Settings(me_emails=("a@b.example",)))
    assert "me:\n  emails:\n  - a@b.example\n" in text and load_text(tmp_path, text)[0].me_emails == ("a@b.example",)


# --- one clear line per mistake ----------------------------------------------------------------


def test_unknown_key_names_file_line_and_known_keys(tmp_path):
    settings, problems = load_text(tmp_path, "theme: netmaint-light\n\n\n\n\n\ncolour: red\n")
    assert problems == [f'config.yaml line 7: unknown key "colour"; {KNOWN}']
    assert settings.theme == "netmaint-light"  # the good key still counts


def test_bad_week_start_says_what_is_allowed(tmp_path):
    settings, problems = load_text(tmp_path, "theme: netmaint-light\n\n\nweek_start: funday\n")
    assert problems == ["config.yaml line 4: week_start must be a weekday name or 0-6; using monday"]
    assert settings.week_start == 0
    assert settings.theme == "netmaint-light"


@pytest.mark.parametrize("raw", ["7", "-1", "t", "s", "true", "[1]", "1.5", "''"])
def test_week_start_out_of_range_or_ambiguous(tmp_path, raw):
    settings, problems = load_text(tmp_path, f"week_start: {raw}\n")
    assert problems == ["config.yaml line 1: week_start must be a weekday name or 0-6; using monday"]
    assert settings.week_start == 0


def test_negative_cadence_names_the_value_line_and_keeps_the_rest(tmp_path):
    settings, problems = load_text(tmp_path, "cadence_days:\n  A: 20\n  B: -5\n")
    assert problems == [
        "config.yaml line 3: cadence_days.B must be a whole number of days from 1 to 3650; using 90"
    ]
    assert dict(settings.cadence_days) == {"A": 20, "B": 90, "C": 180}


@pytest.mark.parametrize("raw", ["0", "2.5", "'30'", "yes", "[30]", "99999"])
def test_cadence_must_be_a_whole_number_of_days(tmp_path, raw):
    settings, problems = load_text(tmp_path, f"cadence_days: {{C: {raw}}}\n")
    assert len(problems) == 1 and problems[0].startswith("config.yaml line 1: cadence_days.C must be")
    assert settings.cadence_days["C"] == 180


def test_unknown_tier(tmp_path):
    settings, problems = load_text(tmp_path, "cadence_days:\n  D: 5\n")
    assert problems == ['config.yaml line 2: cadence_days: unknown tier "D"; tiers are A, B, C']
    assert dict(settings.cadence_days) == DEFAULT_CADENCE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theme: [a, b]\n", "config.yaml line 1: theme must be text, not a list; using the default"),
        ("theme: 12\n", "config.yaml line 1: theme must be text, not a number; using the default"),
        ("theme:\n", "config.yaml line 1: theme must be text, not empty; using the default"),
        (
            "cadence_days: 30\n",
            "config.yaml line 1: cadence_days must be a mapping like {A: 30, B: 90, C: 180}, not a number; "
            "using the defaults",
        ),
        ("goal: 5\n", "config.yaml line 1: goal must be a mapping like {touches: 5, minutes: 60}, not a number; "
         "using no goal"),
        ("data_file: 3\n", "config.yaml line 1: data_file must be text, not a number; using the default"),
    ],
)
def test_wrong_types(tmp_path, text, expected):
    settings, problems = load_text(tmp_path, text)
    assert problems == [expected]
    assert settings == Settings()


def test_bad_goal_parts(tmp_path):
    settings, problems = load_text(tmp_path, "goal:\n  touches: -2\n  minutes: 30\n  hours: 1\n")
    assert problems == [
        "config.yaml line 2: goal.touches must be a whole number from 1 to 1000 (or null for none); "
        "using no touches goal",
        'config.yaml line 4: goal: unknown key "hours"; known keys: touches, minutes',
    ]
    assert (settings.goal_touches, settings.goal_minutes) == (None, 30)


def test_bad_key_binding_keeps_the_others(tmp_path):
    settings, problems = load_text(tmp_path, 'keys:\n  log_touch: "ctrl l"\n  quit: Q\n  "not an id": x\n')
    assert problems == [
        'config.yaml line 2: keys.log_touch must be keys like "ctrl+l" or "l,ctrl+l"; keeping its default keys',
        'config.yaml line 4: keys: "not an id" is not a binding id',
    ]
    assert dict(settings.keys) == {"quit": "Q"}


def test_duplicate_key_uses_the_later_one_even_when_it_is_wrong(tmp_path):
    settings, problems = load_text(tmp_path, "week_start: sunday\nweek_start: 9\n")
    assert problems == [
        'config.yaml line 2: "week_start" is also set on line 1; using this later one',
        "config.yaml line 2: week_start must be a weekday name or 0-6; using monday",
    ]
    assert settings.week_start == 0


def test_not_a_mapping(tmp_path):
    settings, problems = load_text(tmp_path, "- theme\n- dark\n")
    assert problems == ['config.yaml line 1: expected settings as "key: value" lines; using defaults']
    assert settings == Settings()


def test_yaml_syntax_error_is_one_line_with_its_number_and_all_defaults(tmp_path):
    settings, problems = load_text(tmp_path, "theme: netmaint-light\nweek_start: sunday\ngoal: {touches: 5\n")
    assert settings == Settings()  # nothing half-applied
    assert len(problems) == 1
    assert problems == [
        "config.yaml line 3: YAML syntax error: a {...} mapping starting here is never closed; using defaults"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme: "netmaint-light\nweek_start: 1\n',
         "config.yaml line 1: YAML syntax error: a quoted value starting here is never closed; using defaults"),
        ("keys:\n  quit: q\n log_touch: l\n",
         "config.yaml line 3: YAML syntax error: the indentation here doesn't line up with the lines above; "
         "using defaults"),
        ("theme: x\n---\ntheme: y\n",
         "config.yaml line 2: YAML syntax error: a second YAML document (---) starts here; keep only one; "
         "using defaults"),
        ("theme: a: b\n", "config.yaml line 1: YAML syntax error: mapping values are not allowed here; using defaults"),
    ],
)
def test_common_yaml_mistakes_name_the_line_to_fix(tmp_path, text, expected):
    settings, problems = load_text(tmp_path, text)
    assert settings == Settings()
    assert problems == [expected]


def test_tab_indentation_error_names_its_line(tmp_path):
    _, problems = load_text(tmp_path, "theme: x\ngoal:\n\ttouches: 5\n")
    assert len(problems) == 1 and problems[0].startswith("config.yaml line 3: YAML syntax error")


def test_oversized_file_is_refused_unread(tmp_path):
    path = write(tmp_path, "theme: netmaint-light\n" + "# padding\n" * 30_000)
    assert path.stat().st_size > 256 * 1024
    settings, problems = load_settings(path)
    assert settings == Settings()
    assert problems == ["config.yaml: file is 293 KiB, over the 256 KiB limit; refused; using defaults"]


def test_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"theme: x\nweek_start: \xff\n")
    settings, problems = load_settings(path)
    assert settings == Settings()
    assert problems == ["config.yaml line 2: not UTF-8 text; using defaults"]


def test_control_character_is_refused_with_its_line(tmp_path):
    settings, problems = load_text(tmp_path, "theme: x\ntheme2: a\x07b\n")
    assert settings == Settings()
    assert len(problems) == 1 and problems[0] == "config.yaml line 2: YAML cannot contain the control character U+0007; using defaults"


def test_user_text_in_a_problem_line_is_escaped_and_short(tmp_path):
    _, problems = load_text(tmp_path, '"\\e[31mred\\e[0m": 1\n"' + "x" * 200 + '": 2\n')
    assert problems[0].startswith('config.yaml line 1: unknown key "\\x1b[31mred\\x1b[0m"')
    assert "\x1b" not in problems[0]
    assert len(problems[1]) < 200


def test_directory_instead_of_a_file(tmp_path):
    (tmp_path / "config.yaml").mkdir()
    settings, problems = load_settings(tmp_path / "config.yaml")
    assert settings == Settings()
    assert problems == ["config.yaml: not a regular file; using defaults"]


# --- hostile files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        'theme: !!python/object/apply:os.system ["touch {marker}"]\n',
        'colour: !!python/object/apply:os.system ["touch {marker}"]\n',
        '!!python/object/apply:os.system ["touch {marker}"]\n',
        'goal: {{touches: !!python/object/apply:os.system ["touch {marker}"]}}\n',
        '!!python/object:os.system {{"a": 1}}\n',
    ],
)
def test_python_tags_never_run(tmp_path, template):
    marker = tmp_path / "pwned"
    settings, problems = load_text(tmp_path, template.format(marker=marker))
    assert not marker.exists()
    assert settings == Settings()
    assert len(problems) == 1 and problems[0].startswith("config.yaml line 1:")
    assert "not allowed" in problems[0] or "unknown key" in problems[0]


def test_python_tag_on_a_known_key_is_named(tmp_path):
    marker = tmp_path / "pwned"
    _, problems = load_text(tmp_path, f'\ntheme: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert problems == [
        'config.yaml line 2: tag "!!python/object/apply:os.system" is not allowed; using the default theme'
    ]
    assert not marker.exists()


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
keys: *i
"""


def test_alias_bomb_is_refused_quickly(tmp_path):
    started = time.perf_counter()
    settings, problems = load_text(tmp_path, BILLION_LAUGHS)
    # Expanded, this is 9**9 strings; refusing it takes milliseconds. The bound only catches a hang.
    assert time.perf_counter() - started < 5
    assert settings == Settings()
    assert problems == [
        "config.yaml line 2: aliases (*name) are not allowed here; write the value out in full; using defaults"
    ]


def test_even_a_single_alias_is_refused(tmp_path):
    settings, problems = load_text(tmp_path, "x: &t netmaint-light\ntheme: *t\n")
    assert settings == Settings()
    assert problems == [
        "config.yaml line 2: aliases (*name) are not allowed here; write the value out in full; using defaults"
    ]


def test_deep_nesting_is_refused_without_recursion_error(tmp_path):
    settings, problems = load_text(tmp_path, "keys: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert settings == Settings()
    assert problems == ["config.yaml line 1: nested more than 32 levels deep; using defaults"]


def test_loading_config_never_imports_textual():
    code = "import sys, netmaint_tui.config; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- show and save -----------------------------------------------------------------------------


def test_effective_settings_text_reads_back_to_the_same_settings(tmp_path):
    original = Settings(
        theme="netmaint-forest",
        week_start=6,
        cadence_days={"A": 7, "B": 30, "C": 90},
        goal_touches=3,
        goal_minutes=None,
        keys={"log_touch": "L,ctrl+l"},
        data_file="/data/net.db",
    )
    text = effective_settings_text(original)
    assert "week_start: sunday" in text
    assert load_text(tmp_path, text) == (original, [])
    assert load_text(tmp_path, effective_settings_text(Settings())) == (Settings(), [])


EXISTING = """\
# My netmaint settings
theme: netmaint-dark   # the default
week_start: sunday

# tiers
cadence_days:
  A: 14
  B: 60

keys:
  log_touch: L
data_file: /srv/net.db
"""


def test_save_setting_replaces_one_line_and_keeps_the_rest(tmp_path):
    path = write(tmp_path, EXISTING)
    save_setting("theme", "netmaint-light", path)
    text = path.read_text()
    assert text == EXISTING.replace("theme: netmaint-dark   # the default", "theme: netmaint-light   # the default")
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.theme == "netmaint-light"
    assert settings.week_start == 6 and settings.cadence_days["A"] == 14 and settings.keys == {"log_touch": "L"}


def test_save_setting_keeps_a_comment_but_not_a_hash_inside_quotes(tmp_path):
    path = write(tmp_path, 'data_file: "/srv/#1/net.db"\ntheme: \'x # y\'  # mine\n')
    save_setting("data_file", "/srv/net.db", path)
    save_setting("theme", "netmaint-light", path)
    assert path.read_text() == "data_file: /srv/net.db\ntheme: netmaint-light  # mine\n"


def test_save_setting_replaces_a_block_value_with_its_indented_lines(tmp_path):
    path = write(tmp_path, EXISTING)
    save_setting("cadence_days", {"A": 10, "B": 20, "C": 30}, path)
    text = path.read_text()
    assert "cadence_days: {A: 10, B: 20, C: 30}\n\nkeys:" in text
    assert "# tiers" in text and "# My netmaint settings" in text
    settings, problems = load_settings(path)
    assert problems == []
    assert dict(settings.cadence_days) == {"A": 10, "B": 20, "C": 30}
    assert settings.theme == "netmaint-dark" and settings.keys == {"log_touch": "L"}


def test_save_setting_appends_a_missing_key(tmp_path):
    path = write(tmp_path, EXISTING)
    save_setting("goal", {"touches": 5, "minutes": None}, path)
    assert path.read_text() == EXISTING + "goal: {touches: 5, minutes: null}\n"
    settings, problems = load_settings(path)
    assert problems == []
    assert (settings.goal_touches, settings.goal_minutes) == (5, None)


def test_save_setting_quotes_yaml_lookalikes(tmp_path):
    path = write(tmp_path, "")
    save_setting("theme", "yes", path)
    save_setting("week_start", 3, path)
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.theme == "yes" and settings.week_start == 3


def test_save_setting_reaches_a_key_inside_a_flow_mapping(tmp_path):
    path = write(tmp_path, "{theme: netmaint-dark, week_start: 2}\n")
    save_setting("theme", "netmaint-amber", path)
    settings, problems = load_settings(path)
    assert problems == []
    assert settings.theme == "netmaint-amber" and settings.week_start == 2


def test_save_setting_creates_a_private_file_in_a_private_folder(tmp_path, monkeypatch):
    path = tmp_path / "cfg" / "netmaint" / "config.yaml"
    monkeypatch.setenv("NETMAINT_CONFIG", str(path))
    save_setting("theme", "netmaint-light")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_settings() == (Settings(theme="netmaint-light"), [])
    assert os.listdir(path.parent) == ["config.yaml"]  # no temporary file left behind


def test_save_setting_makes_an_open_file_private(tmp_path):
    path = write(tmp_path, "theme: netmaint-dark\n")
    path.chmod(0o644)
    save_setting("theme", "netmaint-light", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_setting_writes_through_a_symlink(tmp_path):
    target = write(tmp_path, "theme: netmaint-dark\n", "real.yaml")
    link = tmp_path / "config.yaml"
    link.symlink_to(target)
    save_setting("theme", "netmaint-light", link)
    assert link.is_symlink()
    assert target.read_text() == "theme: netmaint-light\n"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("colour", "red", 'unknown setting "colour"'),
        ("week_start", 9, "week_start must be a weekday name or 0-6"),
        ("cadence_days", {"A": -1}, "cadence_days.A must be a whole number"),
        ("theme", "", "theme is empty"),
    ],
)
def test_save_setting_refuses_invalid_values_and_leaves_the_file(tmp_path, key, value, message):
    path = write(tmp_path, EXISTING)
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        save_setting(key, value, path)
    assert path.read_text() == EXISTING


def test_save_setting_refuses_to_rewrite_a_broken_file(tmp_path):
    broken = "theme: x\ngoal: {touches: 5\n"
    path = write(tmp_path, broken)
    with pytest.raises(ConfigError, match=r"config\.yaml line 2: YAML syntax error"):
        save_setting("theme", "netmaint-light", path)
    assert path.read_text() == broken


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = write(tmp_path, EXISTING)

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        save_setting("theme", "netmaint-light", path)
    assert path.read_text() == EXISTING
    assert os.listdir(tmp_path) == ["config.yaml"]


def test_an_empty_path_a_date_for_a_weekday_and_an_endless_number_each_say_what_is_wrong():
    from netmaint_tui.config import settings_from_text

    text = 'data_file: ""\nweek_start: 2026-01-01\ngoal: {touches: ' + "9" * 5000 + "}\n"
    settings, problems = settings_from_text(text)
    assert problems == [
        "config.yaml line 1: data_file is empty; using the default",
        "config.yaml line 2: week_start must be a weekday name or 0-6; using monday",
        "config.yaml line 3: a number far too long; using the default goal",
    ]
    assert settings.goal_touches is None and settings.week_start == 0
