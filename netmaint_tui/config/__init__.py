"""netmaint's preferences: a small YAML file (theme, week start, cadences, goal, keys, data file).

Each setting is declared once, in config.settings (the table); config.reading reads the file by
it, config.saving shows and saves by it, config.values holds the readers of single values. The
YAML itself is read with netmaint_tui.safe_yaml. What the rest of netmaint uses is here.
"""

from netmaint_tui.config.reading import load_settings, settings_from_text
from netmaint_tui.config.saving import ConfigError, effective_settings_text, save_setting
from netmaint_tui.config.settings import DEFAULT_THEME, KNOWN_KEYS, SETTINGS, Settings, example_text
from netmaint_tui.rules.schema import DEFAULT_CADENCE

__all__ = [
    "DEFAULT_CADENCE", "DEFAULT_THEME", "KNOWN_KEYS", "SETTINGS", "ConfigError", "Settings", "effective_settings_text",
    "example_text", "load_settings", "save_setting", "settings_from_text",
]
