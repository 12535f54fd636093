"""netmaint: keep a professional network alive."""

__version__ = "0.1.0"
