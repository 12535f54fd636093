"""The screens' side of the house rules, read from the source: no SQL or transactions in ui/, one
way for a worker thread to get its connection, and Textual's insides reached only from compat.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "netmaint_tui" / "ui"
MODULES = sorted(UI.rglob("*.py"))


def source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(UI)))
def test_no_module_of_the_ui_opens_a_transaction_or_runs_sql(path):
    text = source(path)
    for word in ("atomic(", "execute_sql", "connection_context", "store.models import database"):
        assert word not in text, f"{word} in {path.name}: a use case belongs in services/"


def test_a_worker_thread_gets_its_connection_in_one_place():
    users = [p.relative_to(UI).as_posix() for p in MODULES if "worker_connection" in source(p)]
    assert users == ["workers.py"]


def test_textuals_private_modules_are_imported_by_compat_alone():
    private = re.compile(r"(from|import)\s+textual(\.\w+)*\._\w+")
    users = [p.relative_to(UI).as_posix() for p in MODULES if private.search(source(p))]
    assert users == ["compat.py"]
