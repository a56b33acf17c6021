"""Derived read models over content: the search index and related reading."""
