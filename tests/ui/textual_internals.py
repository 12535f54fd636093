"""What the tests read from Textual that it offers no public way to read.

Kept in this one module so that a new Textual breaks it in one place; test_textual_internals
checks that each name still exists and still does what is relied on here.
"""

from __future__ import annotations


def screen_strips(app) -> list:
    """The current screen as the terminal gets it, one Strip per row. Textual exports a screen
    only as SVG (App.export_screenshot); its text and colours come from the screen's compositor."""
    return app.screen._compositor.render_strips()
