"""Fixtures for the data-safety tests: a command-line environment in tmp_path, a umask, a closed database."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from tests.reliability.helpers import cli_env


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "slow: a reliability test that takes a few seconds (kills, concurrent writers, big files); "
        "runs by default — deselect with -m 'not slow' for a quick local loop",
    )


@pytest.fixture(autouse=True)
def _closed_database_afterwards():
    """Every test leaves the models unbound from any file it opened."""
    yield
    from netmaint_tui.store.db import close_database

    close_database()


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Paths and an environment for running `python -m netmaint_tui` (and main() in-process)."""
    db = tmp_path / "data" / "netmaint.db"
    config = tmp_path / "config" / "config.yaml"
    env = cli_env(db, config)
    for key in [k for k in os.environ if k.startswith("NETMAINT_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("NETMAINT_") or key == "TZ":
            monkeypatch.setenv(key, value)
    return SimpleNamespace(db=db, config=config, env=env, tmp=tmp_path)


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)
