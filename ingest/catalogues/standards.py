"""The 2025 专业教学标准 as two catalogue kinds: course lists and 职业面向 (occupations)."""

from __future__ import annotations

from ingest.catalogues.standards_courses import COURSES_KIND
from ingest.catalogues.standards_occupations import OCCUPATIONS_KIND

__all__ = ["COURSES_KIND", "OCCUPATIONS_KIND"]
