"""Broadsheet: a publishing platform for long-form, source-noted writing."""

__version__ = "0.1.0"
