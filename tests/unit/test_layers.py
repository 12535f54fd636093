"""The layers stay apart: each module is imported alone in a fresh interpreter and what it pulls in is checked.

rules and the io parsers and writers are pure (no peewee, no textual); storage, services and the command
line never load the full-screen app, and the command line loads icalendar only for a calendar export.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import netmaint_tui

ROOT = Path(netmaint_tui.__file__).parent

PROBE = (
    "import importlib, json, sys; importlib.import_module(sys.argv[1]); "
    "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'peewee', 'rich', 'icalendar') "
    "or m.startswith('netmaint_tui.'))))"
)


def modules(package: str, skip: tuple[str, ...] = ()) -> list[str]:
    folder = ROOT / package
    names = [f"netmaint_tui.{package}.{m.name}" for m in pkgutil.iter_modules([str(folder)])]
    return [n for n in sorted(names) if n.rsplit(".", 1)[1] not in skip]


RULES = modules("rules")
STORE = modules("store")
IO_PARSERS = modules("io")
SERVICES = modules("services")
CLI = ["netmaint_tui.cli", *modules("cli")]
CONFIG = ["netmaint_tui.config", *modules("config"), "netmaint_tui.safe_yaml"]
ALL = [*RULES, *STORE, *IO_PARSERS, *SERVICES, *CLI, *CONFIG, "netmaint_tui.clock", "netmaint_tui.notify"]


@pytest.fixture(scope="module")
def loaded() -> dict[str, list[str]]:
    """module -> the modules its import loaded, each probed in its own interpreter (all at once)."""
    procs = {
        name: subprocess.Popen([sys.executable, "-c", PROBE, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        for name in ALL
    }
    result = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"importing {name} alone failed:\n{err}"
        result[name] = json.loads(out.splitlines()[-1])
    return result


def _from(found: list[str], top: str) -> list[str]:
    return [m for m in found if m == top or m.startswith(top + ".")]


def test_every_layer_was_found():
    assert {"netmaint_tui.rules.priority", "netmaint_tui.rules.text", "netmaint_tui.rules.streaks"} <= set(RULES)
    assert {"netmaint_tui.store.db", "netmaint_tui.store.models", "netmaint_tui.store.backup"} <= set(STORE)
    assert {"netmaint_tui.io.linkedin", "netmaint_tui.io.records"} <= set(IO_PARSERS)
    assert {"netmaint_tui.services.due", "netmaint_tui.services.habit"} <= set(SERVICES)


@pytest.mark.parametrize("name", ALL)
def test_no_module_below_the_screens_imports_textual(loaded, name):
    assert _from(loaded[name], "textual") == []
    assert _from(loaded[name], "netmaint_tui.ui") == []


@pytest.mark.parametrize("name", RULES)
def test_rules_are_pure(loaded, name):
    found = loaded[name]
    assert _from(found, "peewee") == []
    assert [m for m in found if m.startswith(("netmaint_tui.store", "netmaint_tui.services"))] == []


@pytest.mark.parametrize("name", IO_PARSERS)
def test_io_parsers_do_not_load_storage(loaded, name):
    found = loaded[name]
    assert _from(found, "peewee") == []
    assert [m for m in found if m.startswith(("netmaint_tui.store", "netmaint_tui.services"))] == []


@pytest.mark.parametrize("name", CONFIG)
def test_settings_load_no_database_and_no_services(loaded, name):
    found = loaded[name]
    assert _from(found, "peewee") == []
    assert [m for m in found if m.startswith(("netmaint_tui.services", "netmaint_tui.io", "netmaint_tui.cli"))] == []


@pytest.mark.parametrize("name", STORE)
def test_storage_does_not_reach_up_into_services(loaded, name):
    assert [m for m in loaded[name] if m.startswith("netmaint_tui.services")] == []


@pytest.mark.parametrize("name", CLI)
def test_the_command_line_starts_lean(loaded, name):
    found = loaded[name]
    assert _from(found, "rich") == [] and _from(found, "icalendar") == []
