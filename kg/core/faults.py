"""Fault injection: ``VETGRAPH_FAULT=<point>`` makes the process die at that point, as a crash would.

The writers call ``fault_point(name)`` at the places a crash would hurt most (between two writes that
belong together). With the variable unset a call is one dictionary lookup. With it set to a point's name
(``ingest.staged``, or ``ingest.staged:3`` for its third passage) the process writes one line to stderr
and ends at once with ``os._exit(FAULT_EXIT_STATUS)``: no ``finally``, no ``atexit``, no flush, no lock
release but the kernel's, which is what a kill or a power cut leaves behind (tests/test_crash_safety.py).
``VETGRAPH_FAULT_TRACE=<file>`` appends each point passed to that file, so a test can tell how far a
running process got before it kills it.
"""

from __future__ import annotations

import os

ENV_FAULT = "VETGRAPH_FAULT"
ENV_TRACE = "VETGRAPH_FAULT_TRACE"
#: The exit status of an injected crash (tests tell it from an error exit, 1 or 2, and from a signal).
FAULT_EXIT_STATUS = 86

#: Every point the code has, with where it stands.
FAULT_POINTS = {
    "ingest.staged": "a source graph is staged, the manifest not yet switched to it (kg.store.oxigraph)",
    "ingest.switched": "a file's manifest entry is switched, the derived graphs not yet rebuilt (kg.pipeline.run)",
    "align.between-graphs": "one derived graph is rewritten, the next not yet (kg.pipeline.derive)",
    "store.before-publish": "the writer's changes are in, the readers' snapshot not yet published (kg.store.home)",
    "index.before-metadata": "a new index version's files are written, its manifest not yet (kg.search.index)",
    "report.half-written": "half of the last-ingest report is written to its temporary file (kg.pipeline.run)",
}

_passed: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Die here when ``VETGRAPH_FAULT`` names this point (and this passage); otherwise return at once."""
    wanted = os.environ.get(ENV_FAULT)
    trace = os.environ.get(ENV_TRACE)
    if wanted is None and trace is None:
        return
    _passed[name] = count = _passed.get(name, 0) + 1
    if trace:
        with open(trace, "a", encoding="utf-8") as out:
            out.write(f"{name} {count}\n")
    if wanted is None:
        return
    point, _, nth = wanted.partition(":")
    if point == name and count == (int(nth) if nth.isdigit() else 1):
        os.write(2, f"vetgraph: fault injected at {name} (passage {count}); exiting with "
                    f"{FAULT_EXIT_STATUS}\n".encode())
        os._exit(FAULT_EXIT_STATUS)
