"""`netmaint config path|show|edit`: where the settings file is, what is in force, and a way to change it.

Exit codes: 0 fine; 1 the file has problems (each is one line on stderr, and the app uses the
default for that setting); 2 the command could not do its job (no editor set, editor not found).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from netmaint_tui import paths
from netmaint_tui.cli.base import command, known_databases
from netmaint_tui.config import effective_settings_text, example_text, load_settings
from netmaint_tui.rules.text import visible
from netmaint_tui.rules.vocabulary import plural
from netmaint_tui.store.guard import refuse_overwrite

CANNOT = 2
HAS_PROBLEMS = 1

TEMPLATE_HEADER = """\
# netmaint settings. Every line starting with # is a comment: remove the "# " in front of a
# setting to use it. Anything left out keeps its default.
#   netmaint config show   the settings in force
#   netmaint config edit   opens this file and checks it when the editor closes
"""

# Every setting with an example, from the table of settings; the tests load it uncommented.
TEMPLATE_EXAMPLE = example_text()

TEMPLATE = TEMPLATE_HEADER + "\n" + "".join("# " + line + "\n" for line in TEMPLATE_EXAMPLE.splitlines())


def _arguments(c) -> None:
    c.add_argument("action", choices=["path", "show", "edit"])


# `config` reports the file's problems itself, with the settings they concern.
@command("config", help="config path|show|edit", arguments=_arguments, database=False, warn_config=False)
def config(args, settings) -> int:
    path = paths.config_file()
    if args.action == "path":
        print(path)
        return 0
    if args.action == "show":
        return show(path)
    # An editor saves over whatever file it is given.
    refuse_overwrite(path, known_databases(args, settings))
    return edit(path)


def _shown(path: Path) -> str:
    return visible(str(path), single_line=True)


def _problems(lines: list[str]) -> None:
    for line in lines:
        print(f"netmaint: {line}", file=sys.stderr)


def show(path: Path) -> int:
    settings, problems = load_settings(path)
    exists = path.exists() or path.is_symlink()
    if not exists:
        source = f"# no file at {_shown(path)}: these are the defaults (create it with: netmaint config edit)"
    elif problems:
        source = (f"# read from {_shown(path)}, with {plural(len(problems), 'problem')} (on stderr); "
                  "the defaults stand in for those settings")
    else:
        source = f"# read from {_shown(path)}"
    print(source)
    print(effective_settings_text(settings), end="")
    _problems(problems)
    return HAS_PROBLEMS if problems else 0


def find_editor() -> str | None:
    for name in ("EDITOR", "VISUAL"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def create_from_template(path: Path) -> None:
    """A private file with every setting commented out; the folder is created private if missing."""
    folder = path.parent
    if not folder.exists():
        paths.ensure_private_dir(folder)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        os.chmod(path, 0o600)  # whatever the umask: settings can name the database and key habits
        stream.write(TEMPLATE)


def edit(path: Path) -> int:
    editor = find_editor()
    if editor is None:
        print(f"netmaint: set EDITOR (or VISUAL) to your editor, or open {_shown(path)} yourself",
              file=sys.stderr)
        return CANNOT
    try:
        command = shlex.split(editor, posix=os.name != "nt")
    except ValueError as exc:
        print(f"netmaint: cannot read EDITOR {editor!r}: {exc}", file=sys.stderr)
        return CANNOT
    if not command:
        print("netmaint: EDITOR is empty; set it to your editor", file=sys.stderr)
        return CANNOT

    if not path.exists() and not path.is_symlink():
        try:
            create_from_template(path)
        except FileExistsError:
            pass  # created meanwhile: edit that one
        except OSError as exc:
            print(f"netmaint: cannot create {_shown(path)}: {exc.strerror or exc}", file=sys.stderr)
            return CANNOT

    import subprocess  # only `config edit` runs a program: the other commands start without it

    try:
        status = subprocess.run([*command, str(path)], check=False).returncode
    except OSError as exc:
        print(f"netmaint: cannot run the editor {command[0]!r}: {exc.strerror or exc}", file=sys.stderr)
        return CANNOT
    except KeyboardInterrupt:
        status = 130

    _, problems = load_settings(path)
    _problems(problems)
    if status != 0:
        print(f"netmaint: the editor exited with status {status}", file=sys.stderr)
    if problems:
        print("netmaint: the defaults stand in for those settings; fix them with: netmaint config edit",
              file=sys.stderr)
        return HAS_PROBLEMS
    if status != 0:
        return HAS_PROBLEMS
    print(f"{_shown(path)}: no problems")
    return 0
