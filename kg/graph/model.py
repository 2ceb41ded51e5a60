"""The records of the projection: what a node and an edge carry, and the settings a projection is built with."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from kg.errors import SettingsError

#: The node kinds of the projection (an OccupationGroup is an Occupation; a certificate level folds into its
#: certificate; a Mention is an industry a policy provision names, kept so a path can start at 清洁能源).
KINDS = ("Industry", "Major", "Course", "Certificate", "Occupation", "Provision", "Mention")
#: Methods and statuses of a firm link: stated by a source, accepted or made by a reviewer.
FIRM_METHODS = ("stated", "human")


@dataclass(frozen=True)
class GraphSettings:
    """How a projection is built: firm links only, or proposed ones too from ``min_score`` up."""

    include_proposed: bool = False
    min_score: float = 0.5

    @classmethod
    def of(cls, **values: object) -> GraphSettings:
        """Settings from keywords; an unknown key raises SettingsError naming the valid ones."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(f"unknown graph setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)  # type: ignore[arg-type]

    @property
    def key(self) -> str:
        """A file-name-safe key of these settings (the cache keeps one projection per snapshot and key)."""
        return f"proposed-{self.min_score:.2f}" if self.include_proposed else "firm"


@dataclass(frozen=True)
class EdgeInfo:
    """One typed, weighted edge: the statement or alignment that links ``source`` to ``target``."""

    source: str
    target: str
    relation: str  # an alignment kind (major-certificate …) or a predicate's local name (forMajor, broader …)
    method: str
    resolved_by: str
    score: float
    strength: str
    status: str
    alignment: str | None
    evidence: str

    @property
    def firm(self) -> bool:
        return self.method in FIRM_METHODS or self.status == "accepted"

    @property
    def cost(self) -> float:
        """The length of this edge for path ranking: one hop, plus what its score falls short of 1; a step in
        the GB/T 4754 hierarchy costs half a hop more, so a link stated between two nodes beats a detour."""
        extra = 0.5 if self.relation == "broader" else 0.0
        return 1.0 + (1.0 - max(0.0, min(1.0, self.score))) + extra + (0.0 if self.firm else 0.5)

    def to_json(self) -> dict[str, object]:
        return asdict(self)
