"""Shared fixtures: a fresh database, a context with a fixed clock, and a replayable CLI environment."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

NOW = "2025-03-12T10:00:00"
ZONE = "Europe/Berlin"


@pytest.fixture
def tmp_db(tmp_path):
    """A fresh database in tmp_path, bound to the models; closed afterwards."""
    from netmaint_tui.store.db import close_database, open_database

    db = open_database(tmp_path / "netmaint.db")
    yield db
    close_database()


@pytest.fixture
def make_ctx():
    """Factory: make_ctx(now=..., tz=..., **settings) -> Context with a fixed clock and default Settings."""
    from netmaint_tui.clock import fixed_clock
    from netmaint_tui.config import Settings
    from netmaint_tui.services.common import Context

    def make(now: str = NOW, tz: str = ZONE, **settings) -> Context:
        return Context(fixed_clock(now, tz), Settings(**settings))

    return make


@pytest.fixture
def ctx(make_ctx):
    """Wednesday 2025-03-12 10:00 in Berlin, default settings."""
    return make_ctx()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Environment for running the command line: its own database and config file, a fixed clock and zone."""
    db = tmp_path / "data" / "netmaint.db"
    config = tmp_path / "config" / "config.yaml"
    monkeypatch.setenv("NETMAINT_DB", str(db))
    monkeypatch.setenv("NETMAINT_CONFIG", str(config))
    monkeypatch.setenv("NETMAINT_NOW", NOW)
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.delenv("NETMAINT_DEBUG", raising=False)
    return SimpleNamespace(db=db, config=config, tmp=tmp_path)
