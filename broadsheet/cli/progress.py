"""One progress-bar-and-summary helper for every long-running command."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

T = TypeVar("T")


def progress(
    items: Iterable[T], *, label: str, length: int | None = None
) -> Iterator[T]:
    """Yield `items` while drawing a progress bar on stderr."""
    with click.progressbar(items, label=label, length=length, file=sys.stderr) as bar:
        yield from bar


@contextlib.contextmanager
def counter(*, label: str, length: int) -> Iterator[Callable[[int], None]]:
    """Draw a progress bar on stderr for work that reports how much it has done:
    yield the function it calls with each step's count."""
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def summary(title: str, counts: dict[str, int]) -> None:
    """Print a one-line summary: `title: 3 articles, 1 page`."""
    parts = ", ".join(
        f"{value} {name.replace('_', ' ')}" for name, value in counts.items()
    )
    click.echo(f"{title}: {parts}.")


@contextmanager
def progress_to(*, label: str, length: int) -> Iterator[Callable[[int], None]]:
    """Draw a progress bar on stderr; the yielded function moves it to a position
    (bytes of a file read, say) between 0 and `length`."""
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        done = 0

        def move(position: int) -> None:
            nonlocal done
            bar.update(position - done)
            done = position

        yield move


@contextmanager
def phases() -> Iterator[tuple[Callable[[str, int], None], Callable[[int], None]]]:
    """Progress bars on stderr for work done in phases: yield `start(label,
    length)`, which ends the current bar and begins the next, and `move(done)`,
    which sets the current bar's position."""
    with contextlib.ExitStack() as stack:
        current: list[Callable[[int], None]] = []

        def start(label: str, length: int) -> None:
            stack.close()
            current[:] = [stack.enter_context(progress_to(label=label, length=length))]

        def move(done: int) -> None:
            if current:
                current[0](done)

        yield start, move
