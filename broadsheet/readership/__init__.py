"""Readership: exact view counts per article and most-read lists."""
