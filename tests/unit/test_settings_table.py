"""The table of settings (config.settings) is the one place a setting is declared: the Settings
object, reading, `config show`, saving and the docs all come from it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import yaml

from netmaint_tui.config import SETTINGS, Settings, effective_settings_text, example_text, settings_from_text
from netmaint_tui.config.reading import read_values
from netmaint_tui.config.settings import Group, Setting, plain_settings, settings_class
from netmaint_tui.config.values import file_path, text
from netmaint_tui.safe_yaml import compose_yaml

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_the_readme_shows_every_setting_as_the_table_declares_it():
    assert readme_example() == example_text(), "regenerate the README's block from config.settings.example_text()"


def test_the_example_of_every_setting_reads_back_without_a_problem(tmp_path):
    settings, problems = settings_from_text(example_text(), base_dir=tmp_path)
    assert problems == []
    assert settings != Settings()


def test_settings_has_one_field_per_value_of_the_table():
    names = [f.name for f in dataclasses.fields(Settings)]
    assert names == ["theme", "week_start", "cadence_days", "goal_touches", "goal_minutes", "keys", "data_file",
                     "sync_contacts", "sync_follow_ups", "sync_journal", "sync_archived", "me_emails"]
    assert list(yaml.safe_load(effective_settings_text(Settings()))) == [entry.key for entry in SETTINGS]


# A mapping of settings with nested keys, as `sync: {contacts: DIR, journal: DIR}` and
# `me: {emails: [...]}` will be: declared like any other, read, shown and given fields by the same code.
SYNC = Group(
    "sync",
    (Setting("contacts", file_path, None, optional=True), Setting("journal", file_path, None, optional=True),
     Setting("label", text, "netmaint")),
    example="{contacts: ~/contacts}", fallback="no syncing", help="folders kept in step with the network",
)
TABLE = (SETTINGS[0], SYNC)


def test_a_mapping_with_nested_keys_is_declared_like_any_setting(tmp_path):
    root = compose_yaml("theme: x\nsync:\n  contacts: cards\n  journal:\n  colour: red\n  label: 3\n")
    values, problems = read_values(root, "config.yaml", tmp_path, TABLE)
    assert values == {"theme": "x", "sync_contacts": str(tmp_path / "cards"), "sync_journal": None}
    assert problems == [
        'config.yaml line 5: sync: unknown key "colour"; known keys: contacts, journal, label',
        "config.yaml line 6: sync.label must be text, not a number; using the default",
    ]
    made = settings_class(TABLE)(**values)
    assert (made.sync_contacts, made.sync_label) == (str(tmp_path / "cards"), "netmaint")
    assert plain_settings(made, TABLE) == {
        "theme": "x", "sync": {"contacts": str(tmp_path / "cards"), "journal": None, "label": "netmaint"}}
    assert example_text(TABLE).splitlines()[1].startswith("sync: {contacts: ~/contacts}")


def test_a_nested_mapping_that_is_not_a_mapping_keeps_every_default(tmp_path):
    values, problems = read_values(compose_yaml("sync: [a, b]\n"), "config.yaml", tmp_path, TABLE)
    assert values == {}
    assert problems == ["config.yaml line 1: sync must be a mapping like {contacts: ~/contacts}, not a list; "
                        "using no syncing"]
