"""What every command shares: the home named by --store, the exit code for errors, a progress bar."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from kg.store.home import Home

EXIT_ERROR = 2


def home_of(ctx: click.Context) -> Home:
    """The VETgraph home of this invocation (--store, else $VETGRAPH_STORE, else .vetgraph/)."""
    from kg.store.home import Home

    return Home.at(ctx.obj["store"])


def progress_bar(label: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A tqdm bar on stderr driven by (done, total) callbacks; silent when stderr is not a terminal."""
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc=label, unit="text", file=sys.stderr, leave=False,
                              disable=not sys.stderr.isatty())
        bar["bar"].n = done
        bar["bar"].refresh()

    def close() -> None:
        if "bar" in bar:
            bar["bar"].close()

    return update, close
