"""Signals the bibliography sends upward, to layers it may not import (the cache)."""

from django.dispatch import Signal

# Sent once by an import that added or changed works, in its transaction; single
# saves send Django's post_save instead, as usual.
# provides args: keys (list of the keys of the works added or updated)
works_changed = Signal()
