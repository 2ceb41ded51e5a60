"""An alignment map or a gap report as JSON: every field of the records, for other systems and for the app."""

from __future__ import annotations

import json
from dataclasses import asdict

from kg.maps.model import AlignmentMap, GapReport


def record_json(record: AlignmentMap | GapReport) -> bytes:
    """Deterministic UTF-8 JSON (keys sorted, Chinese as is), with the gap counts spelled out for a report."""
    data = asdict(record)
    if isinstance(record, GapReport):
        for item, field in zip(data["fields"], record.fields, strict=True):
            item["counts"] = {kind: field.count(kind) for kind in ("majors", "certificates", "occupations")}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
