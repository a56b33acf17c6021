"""Signals publishing sends upward, to layers it may not import (cache, export)."""

from django.dispatch import Signal

# provides args: article
published = Signal()
# provides args: article
unpublished = Signal()
# provides args: objects (the changed content objects; lists, feeds and pages showing
# any of them are stale)
surfaces_changed = Signal()
