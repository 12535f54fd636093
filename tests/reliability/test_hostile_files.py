"""Hostile files: YAML that tries to run code or explode, files far too big, vCards that never end,
CSV cells that are formulas (see test_hostile_text), and random bytes into every importer.

Each gives a clear message (or a clean import) in bounded time; nothing hangs, prints a
traceback or runs code.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmaint_tui.cli import main
from tests.reliability.helpers import PYTHON, TIMEOUT, run_cli

BOUND = 20.0  # seconds any one hostile file may take; they take a fraction of that


def code_that_touches(marker) -> list[str]:
    """YAML that would create `marker` if any loader constructed Python objects from it."""
    return [
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'theme: !!python/object/apply:os.system ["touch {marker}"]',
        f"theme: !!python/object/new:subprocess.Popen [[touch, {marker}]]",
        "week_start: !!python/name:os.system",
        f'keys: {{x: !!python/object/apply:subprocess.check_output [[touch, "{marker}"]]}}',
    ]


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
       f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
)


def sparse_file(path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)


def timed(call):
    started = time.monotonic()
    result = call()
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, f"took {elapsed:.1f} s"
    return result


# --- YAML that tries to run code, or to explode -----------------------------------------------


def test_config_yaml_never_runs_code_nor_explodes(tmp_path):
    from netmaint_tui.config import Settings, load_settings

    marker = tmp_path / "ran"
    config = tmp_path / "config.yaml"
    for text in [*code_that_touches(marker), BILLION_LAUGHS, "[" * 100_000, "a: " + "{" * 50_000]:
        config.write_text(text)
        settings, problems = timed(lambda: load_settings(config))
        assert settings == Settings() or problems, text[:60]
        assert problems and all("\n" not in p and p.startswith("config.yaml") for p in problems), problems
        assert not marker.exists(), f"code ran from: {text[:60]}"


def test_theme_files_never_run_code_nor_explode(tmp_path):
    from netmaint_tui.ui.themes import load_all_themes

    marker = tmp_path / "ran"
    folder = tmp_path / "themes"
    folder.mkdir()
    bad = [*code_that_touches(marker), BILLION_LAUGHS, "name: x\nprimary: !!binary aGk="]
    for i, text in enumerate(bad):
        (folder / f"evil{i}.yaml").write_text(text)
    sparse_file(folder / "huge.yaml", 100 * 1024 * 1024)
    themes, problems = timed(lambda: load_all_themes(folder))
    assert not marker.exists()
    assert not any(t.name.startswith("evil") or t.name == "huge" for t in themes)
    named = " ".join(problems)
    assert all(f"evil{i}.yaml" in named for i in range(len(bad))) and "huge.yaml" in named and "limit" in named
    assert all("\n" not in p for p in problems)


def test_a_100_mb_config_is_refused_at_once_and_defaults_apply(cli):
    cli.config.parent.mkdir(parents=True)
    sparse_file(cli.config, 100 * 1024 * 1024)
    result = timed(lambda: run_cli(cli.env, "due"))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("netmaint: config.yaml") and "limit" in line and "using defaults" in line


@pytest.mark.parametrize("doc", [
    "format: netmaint\nversion: 1\ncontacts:\n- name: !!python/object/apply:os.system [\"touch {marker}\"]\n",
    "!!python/object/apply:os.system [\"touch {marker}\"]\n",
    "format: netmaint\nversion: 1\nnotes: !!python/name:os.system\n",
    "format: netmaint\nversion: 1\n" + BILLION_LAUGHS + "\ncontacts: [{{name: x, notes: *i}}]\n",
], ids=["tag-in-a-contact", "tag-at-the-top", "python-name", "billion-laughs"])
def test_an_import_never_runs_code_nor_explodes(cli, capsys, doc):
    marker = cli.tmp / "ran"
    source = cli.tmp / "network.yaml"
    source.write_text(doc.format(marker=marker))
    code = timed(lambda: main(["import", "json", str(source)]))
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "nothing was imported" in err, err
    assert not marker.exists()


# --- files far too big, and vCards that never end ---------------------------------------------


@pytest.mark.slow
def test_a_100_mb_import_ends_soon_with_one_clear_line(cli):
    huge = cli.tmp / "Connections.csv"
    huge.write_bytes(random.Random(100).randbytes(100 * 1024 * 1024))
    for fmt in ("linkedin", "json"):
        result = timed(lambda: run_cli(cli.env, "import", fmt, str(huge)))
        assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"netmaint: {huge}") and "nothing was imported" in line


# The peak memory of this process alone: getrusage's ru_maxrss keeps the parent's peak across
# fork and exec, /proc's VmHWM starts afresh with the program.
PEAK_RSS = '''
import re, resource, sys
from netmaint_tui.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        peak_kb = int(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1))
except OSError:
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(code, peak_kb // 1024)
'''


@pytest.mark.parametrize("fmt", ["linkedin", "vcard", "google", "json"])
def test_a_1_gb_file_is_refused_by_its_size_before_it_is_read(cli, fmt):
    """It used to be read whole (2.6 GB of memory) and then found not to be an export."""
    from netmaint_tui.rules.vocabulary import byte_size
    from netmaint_tui.services.import_file import MAX_FILE_BYTES

    huge = cli.tmp / "export.bin"
    sparse_file(huge, 1 << 30)  # a gigabyte of holes: no disk, and only a read would cost memory
    result = timed(lambda: subprocess.run([PYTHON, "-c", PEAK_RSS, "import", fmt, str(huge)], env=cli.env,
                                          capture_output=True, text=True, timeout=TIMEOUT))
    code, peak_mb = map(int, result.stdout.split())
    assert code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"netmaint: {huge} is 1 GB: an import reads files up to {byte_size(MAX_FILE_BYTES)}; nothing was imported"]
    assert peak_mb < 200, f"peak memory {peak_mb} MB: the file was read"
    assert not cli.db.exists()


def test_what_has_no_size_is_read_no_further_than_the_limit(monkeypatch):
    from netmaint_tui.services.common import InputError
    from netmaint_tui.services.import_file import read_import_file

    monkeypatch.setattr("netmaint_tui.services.import_file.MAX_FILE_BYTES", 4096)
    with pytest.raises(InputError, match="larger than 4 KB: an import reads files up to 4 KB"):
        read_import_file("/dev/zero")  # endless: only a bounded read ends


@pytest.mark.slow
def test_a_vcard_that_never_ends_is_one_line_however_big(cli):
    endless = cli.tmp / "endless.vcf"
    with open(endless, "wb") as handle:
        handle.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Endless\r\nPHOTO;ENCODING=b;TYPE=JPEG:")
        chunk = b"QUJD" * (1 << 18)
        for _ in range(100):
            handle.write(chunk)
    result = timed(lambda: run_cli(cli.env, "import", "vcard", str(endless)))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["line 1: vCard starting here has no END:VCARD before the end of the file; skipped"]
    assert "0 added" in result.stdout and "1 skipped" in result.stdout


def test_vcards_that_begin_and_never_end_report_a_bounded_number_of_lines(cli):
    from netmaint_tui.cli.base import MAX_PROBLEM_LINES as MAX_ISSUE_LINES

    cards = cli.tmp / "begins.vcf"
    cards.write_bytes(b"BEGIN:VCARD\r\nFN:Again\r\n" * 20_000 + b"BEGIN:VCARD\r\nFN:Whole\r\nEND:VCARD\r\n")
    result = timed(lambda: run_cli(cli.env, "import", "vcard", str(cards)))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_ISSUE_LINES + 1 and lines[-1] == f"… and {20_000 - MAX_ISSUE_LINES} more problems like these"
    assert "1 added" in result.stdout
    conn = sqlite3.connect(cli.db)
    assert conn.execute("SELECT name FROM contact").fetchall() == [("Whole",)]
    conn.close()


# --- random bytes into every importer ---------------------------------------------------------

PREFIXES = {
    "vcard": [b"", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:", b"BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:"],
    "linkedin": [b"", b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"],
    "google": [b"", b"First Name,Last Name,E-mail 1 - Value,Organization Name,Labels\r\n"],
    "json": [b"", b'{"format": "netmaint", "version": 1, "contacts": [', b"format: netmaint\nversion: 1\ncontacts:\n- "],
}
FUZZ = settings(max_examples=150, deadline=2000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def parse(fmt: str, data: bytes):
    """The reader's result; json raises DocumentError for anything that is not an export."""
    from netmaint_tui.io.formats import ImportSource, file_format

    return file_format(fmt).read(ImportSource.of(data))


@pytest.mark.parametrize("fmt", sorted(PREFIXES))
@FUZZ
@given(data=st.data())
def test_random_bytes_into_every_parser_are_issues_never_exceptions(fmt, data):
    from netmaint_tui.io.formats import DocumentError

    prefix = data.draw(st.sampled_from(PREFIXES[fmt]))
    body = data.draw(st.binary(max_size=2000) | st.text(max_size=500).map(str.encode))
    try:
        result = parse(fmt, prefix + body)
    except DocumentError as exc:
        assert fmt == "json" and "\n" not in exc.message
        return
    if fmt != "json":
        assert all("\n" not in i.message and "\r" not in i.message for i in result.issues)
        assert all(r.name.strip() for r in result.records)


@pytest.mark.slow
@FUZZ
@given(fmt=st.sampled_from(sorted(PREFIXES)), data=st.data())
def test_random_bytes_imported_into_a_database_import_cleanly_or_not_at_all(tmp_path_factory, fmt, data):
    from netmaint_tui.io.formats import FormatError
    from netmaint_tui.services.common import InputError
    from netmaint_tui.services.import_file import import_file
    from netmaint_tui.store.db import close_database, open_database
    from tests.reliability.writer import context

    prefix = data.draw(st.sampled_from(PREFIXES[fmt]))
    body = data.draw(st.binary(max_size=1000) | st.text(max_size=300).map(str.encode))
    path = tmp_path_factory.mktemp("fuzz") / "netmaint.db"
    open_database(path)
    try:
        import_file(context(), fmt, prefix + body, backup=False)
    except (FormatError, InputError) as exc:
        assert "\n" not in str(exc)
    finally:
        close_database()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM contact WHERE trim(name) = ''").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.parametrize("fmt", sorted(PREFIXES))
def test_the_command_line_imports_random_bytes_with_exit_0_or_2_and_one_line(cli, fmt):
    chunk = cli.tmp / "urandom.bin"
    chunk.write_bytes(random.Random(fmt).randbytes(64 * 1024))
    result = timed(lambda: run_cli(cli.env, "import", fmt, str(chunk)))
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr
    assert len((result.stdout + result.stderr).splitlines()) == 1, (result.stdout, result.stderr)
