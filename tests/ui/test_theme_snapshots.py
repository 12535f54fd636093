"""The main screen on the fixed sample network, drawn in each shipped theme.

Update after an intended change to the look: pytest tests/ui/test_theme_snapshots.py --snapshot-update,
then look at the new SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

import pytest

from .conftest import SIZE, new_app, settle

SHIPPED = ["netmaint-dark", "netmaint-light", "netmaint-contrast", "netmaint-amber", "netmaint-forest"]


async def loaded(pilot) -> None:
    # The list, the details and the week fill in from workers: draw only once they are done.
    await settle(pilot.app, pilot)


@pytest.mark.parametrize("theme", SHIPPED)
def test_main_screen_in_each_shipped_theme(snap_compare, demo_db, theme):
    from netmaint_tui.store.db import close_database

    app = new_app(demo_db, theme=theme)
    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=loaded)
    finally:
        close_database()
    assert app.theme == theme
