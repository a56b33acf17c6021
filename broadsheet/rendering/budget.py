"""A time budget per render: past it, rendering stops and says so as a Problem."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# Rendering is linear in its input, so a real article takes well under a second;
# the budget is a backstop that keeps one pathological source from holding a
# worker, not a target.
DEFAULT_SECONDS = 10.0
_ENV_KEY = "broadsheet_deadline"


class OverBudget(Exception):
    """Raised between stages once a render has used up its time budget."""

    def __init__(self, seconds: float, stage: str) -> None:
        self.seconds, self.stage = seconds, stage
        super().__init__(f"rendering took over {seconds:g} s (stopped after {stage})")


@dataclass
class Deadline:
    """The time a render may take, checked between its stages."""

    seconds: float
    started: float = field(default_factory=time.perf_counter)

    def check(self, stage: str) -> None:
        """Raise OverBudget if the budget is spent once `stage` has finished."""
        if time.perf_counter() - self.started > self.seconds:
            raise OverBudget(self.seconds, stage)


def start(env: dict[str, Any], seconds: float) -> Deadline:
    """Start the clock for one render; the parser's core rules check it too."""
    deadline = env[_ENV_KEY] = Deadline(seconds)
    return deadline


def _checkpoint(stage: str):
    def check(state: StateCore) -> None:
        deadline = state.env.get(_ENV_KEY)
        if deadline is not None:
            deadline.check(stage)

    return check


def budget_plugin(md: MarkdownIt) -> None:
    """Check the render's deadline after block and after inline parsing."""
    md.core.ruler.after("block", "budget_block", _checkpoint("block parsing"))
    md.core.ruler.after("inline", "budget_inline", _checkpoint("inline parsing"))
