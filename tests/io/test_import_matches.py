"""An import says whom each record was taken for and why, and says it aloud when that contact
has another name (an email shared by two people merged 'Only FN' into 'Test X-Mobil' in silence)."""

from __future__ import annotations

import pytest

from netmaint_tui.io.vcard import parse_vcard
from netmaint_tui.services.contacts import add_contact
from netmaint_tui.services.importing import import_records
from netmaint_tui.ui.screens.import_file import ImportScreen
from tests.io.test_importing import run_cli
from tests.ui.conftest import NOW, burst, drive, new_app, opened, screen_text, settle

VCARDS = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:Only FN\nEMAIL:only@x.example\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Dana Haddad\nEMAIL:dana@x.example\nORG:Acme\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Mr. Dana Haddad\nEMAIL:DANA@x.example\nORG:Acme\nEND:VCARD\n"
)


def two(ctx) -> None:
    add_contact(ctx, "Test X-Mobil", emails=["only@x.example"])
    add_contact(ctx, "Dana Haddad", emails=["dana@x.example"], company="Northwind")


@pytest.mark.parametrize("dry_run", [True, False])
def test_each_matched_record_names_its_contact_and_how(tmp_db, ctx, dry_run):
    two(ctx)
    report = import_records(ctx, parse_vcard(VCARDS.encode()).records, source="vcard", dry_run=dry_run)
    matched = [(c.action, c.line, c.name, c.matched, c.how, c.other_name) for c in report.changes]
    assert matched == [
        ("update", 1, "Only FN", "Test X-Mobil", "email", True),
        ("update", 6, "Dana Haddad", "Dana Haddad", "email", False),
        ("same", 12, "Mr. Dana Haddad", "Dana Haddad", "source id", False),
    ]
    verb = "would be merged into" if dry_run else "merged into"
    assert [(i.line, i.message) for i in report.issues] == [
        (1, f"Only FN matched Test X-Mobil by email, a contact with another name; {verb} it")]
    assert (report.updated, report.unchanged) == (2, 1)


def test_the_dry_run_lists_every_match_and_the_import_reports_another_name(env, tmp_path, capsys):
    path = tmp_path / "phone.vcf"
    path.write_text(VCARDS)
    run_cli(capsys, "add", "Test X-Mobil", "--email", "only@x.example")
    code, out, err = run_cli(capsys, "import", "vcard", "--dry-run", str(path))
    assert code == 0
    assert out.splitlines()[0] == ("line 1: would update Test X-Mobil: source id '' → 'only@x.example'; source "
                                   "'manual' → 'vcard' (Only FN matched Test X-Mobil by email, a contact with "
                                   "another name)")
    assert err == "line 1: Only FN matched Test X-Mobil by email, a contact with another name; would be merged into it\n"
    code, out, err = run_cli(capsys, "import", "vcard", str(path))
    assert code == 0 and "merged into it" in err and "line 1:" in err
    code, out, err = run_cli(capsys, "import", "vcard", "--dry-run", str(path))
    assert "line 6: unchanged: Dana Haddad (matched by source id)" in out.splitlines()


def test_the_import_screens_preview_says_whom_each_row_matched(tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_text(VCARDS)
    with opened(tmp_path / "t.db", NOW) as ctx:
        two(ctx)

    async def go(app, pilot):
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await burst(app, pilot, *str(path))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = screen_text(app)
        assert "Only FN matched Test X-Mobil by email, a contact with another name" in shown
        assert "line 6     would update Dana Haddad" in shown and "matched by email" in shown

    drive(new_app(tmp_path / "t.db", NOW), go)
