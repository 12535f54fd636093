"""Where netmaint's files live. platformdirs gives each platform's usual folders;
environment variables override them so tests and scripts never touch a real profile."""

from __future__ import annotations

import os
from pathlib import Path

APP = "netmaint"


def _user_dir(kind: str) -> Path:
    # Imported lazily: platformdirs is cheap, but the CLI's start-up is measured.
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP, appauthor=False))
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("NETMAINT_CONFIG")
    if override:
        return Path(override).expanduser().parent
    return _user_dir("config")


def config_file() -> Path:
    override = os.environ.get("NETMAINT_CONFIG")
    if override:
        return Path(override).expanduser()
    return _user_dir("config") / "config.yaml"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def default_db_file() -> Path:
    return _user_dir("data") / "netmaint.db"


def backups_dir(db_file: Path) -> Path:
    """Backups sit next to the database they protect, so a restore never has to guess."""
    return db_file.parent / "backups"


# `<db>.before-restore-<stamp>`: the file a restore replaced, kept beside it.
RESTORE_ASIDE = ".before-restore-"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder (and parents) readable by the owner only: notes about people are private."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path
