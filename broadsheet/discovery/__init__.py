"""Derived read models over content: related reading (and, later, search)."""
