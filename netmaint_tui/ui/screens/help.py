"""Help built from the bindings that are active right now, grouped by where they live,
so it can never drift from what the keys really do. Each screen and pane names its group in
HELP_GROUP ("Contacts pane", "Everywhere")."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

def _key_label(app, binding: Binding, key: str) -> str:
    try:
        return app.get_key_display(Binding(key, binding.action))
    except Exception:  # an unusual key name: show it as written
        return key


def group_bindings(app, active: dict) -> dict[str, list[tuple[str, str, str]]]:
    """{pane title: [(keys, description, binding id)]}, keys joined per action. The id is what
    the config's `keys:` setting names to rebind it."""
    groups: dict[str, dict[str, tuple[list[str], str, str]]] = {}
    order: dict[tuple[str, str], int] = {}  # (pane, action) -> its place in the BINDINGS that declare it
    for key, item in active.items():
        node, binding = item.node, item.binding
        if binding.id is None:
            continue  # Textual's own scrolling and copy keys: not netmaint's to explain
        pane = getattr(node, "HELP_GROUP", None) or type(node).__name__
        description = binding.description or binding.action
        if binding.tooltip:
            description = f"{description} — {binding.tooltip}"
        declared = [getattr(b, "id", None) for b in getattr(type(node), "BINDINGS", [])]
        order[pane, binding.action] = declared.index(binding.id) if binding.id in declared else len(declared)
        per_pane = groups.setdefault(pane, {})
        keys, _, _ = per_pane.setdefault(binding.action, ([], description, binding.id))
        label = _key_label(app, binding, key)
        if label not in keys:
            keys.append(label)
    # Active bindings come in the order Textual collected the keys (a base class's first); the
    # help lists each pane's keys in the order the pane declares them: moving first, then acting.
    return {pane: [(" ".join(k), d, i) for action, (k, d, i) in sorted(actions.items(), key=lambda a: order[pane, a[0]])]
            for pane, actions in groups.items()}


def known_binding_ids(app_class: type) -> set[str]:
    """Every binding id netmaint declares, on the app and every screen and widget, loaded or not
    yet: what the config's `keys:` may name."""
    import netmaint_tui.ui.screens as screens  # lazy: the package, to list its modules
    import netmaint_tui.ui.widgets as widgets  # lazy: the package, to list its modules

    classes: list[type] = [app_class]
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes += [value for value in vars(module).values() if isinstance(value, type)]
    return {binding.id for cls in classes for binding in getattr(cls, "BINDINGS", [])
            if isinstance(binding, Binding) and binding.id}


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss_help", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 84; max-width: 96%; height: 90%; border: thick $primary;
        background: $surface; padding: 0 1; }
    HelpScreen .help-pane { margin-top: 1; }
    HelpScreen .help-pane:first-child { margin-top: 0; }
    HelpScreen .help-row { height: auto; }
    HelpScreen .help-keys { width: 20; padding-left: 2; }
    HelpScreen .help-desc { width: 1fr; }
    """

    def __init__(self, groups: dict[str, list[tuple[str, str, str]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self):
        # A row per key: its description wraps beside the keys, not under them.
        with VerticalScroll() as box:
            box.border_title = "Keys (Esc to close)"
            order = ["Contacts pane", "Detail pane", "Main screen", "Everywhere"]
            for pane in sorted(self.groups, key=lambda p: order.index(p) if p in order else -1):
                yield Static(Content.styled(pane, "bold $accent"), classes="help-pane")
                for keys, desc, binding_id in self.groups[pane]:
                    yield Horizontal(Static(Content.styled(keys, "bold"), classes="help-keys"),
                                     Static(Content.assemble(desc, "  ", (binding_id, "$text-muted")),
                                            classes="help-desc"), classes="help-row")
            yield Static(Content.assemble(("Dates you can type: ", "$text-muted"),
                                          "now, 2025-03-04 15:30, yesterday 3pm, fri, 2h ago, 3d ago, in 2d"),
                         classes="help-pane")
            yield Static(Content.assemble(("Other keys: ", "$text-muted"), "the config file's ",
                                          ("keys: {main.log: \"L\"}", "bold"),
                                          " gives a key by the id shown after its description"),
                         classes="help-pane")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
