"""Signals publishing sends upward, to layers it may not import (cache, export)."""

from django.dispatch import Signal

# provides args: article
published = Signal()
# provides args: article
unpublished = Signal()
# provides args: surfaces (set of surface names from publishing.surfaces; every page
# showing one of them is stale)
surfaces_changed = Signal()
