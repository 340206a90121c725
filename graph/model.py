"""The graph model: the closed set of node labels and relationship types, and their records.

Both stores hold exactly this: the embedded store as a networkx MultiDiGraph whose node
and edge attributes are these records' fields, Neo4j as nodes and relationships with the
same labels, types and properties. Labels and types are written literally in Cypher and
come from here. Properties are plain JSON values (str, int, float, bool, None, lists of
str), so a record crosses to Neo4j and back unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Node labels
DOCUMENT = "Document"
TASK = "Task"
ORGANIZATION = "Organization"
GOAL = "Goal"
LABELS = (DOCUMENT, TASK, ORGANIZATION, GOAL)

# Relationship types
# (Document)-[:CITES {relation, relations, span_start, span_end, resolved_by, is_inferred, evidence}]->(Document)
# relation: the strongest of `relations` (one edge per pair, however many relations); resolved_by:
# identity / catalog / stub / co-citation; is_inferred: true for a stub's parent read from a
# citing text ("… 57-NQ/TW … theo Công văn số 591-CV/TU"), with the words as `evidence`.
CITES = "CITES"
ISSUED_BY = "ISSUED_BY"  # (Document)-[:ISSUED_BY]->(Organization)
HAS_TASK = "HAS_TASK"  # (Document)-[:HAS_TASK]->(Task)
SUBTASK_OF = "SUBTASK_OF"  # (Task)-[:SUBTASK_OF]->(Task)
LEAD = "LEAD"  # (Task)-[:LEAD {implicit}]->(Organization)
SUPPORT = "SUPPORT"  # (Task)-[:SUPPORT]->(Organization)
IMPLEMENTS = "IMPLEMENTS"  # (Task)-[:IMPLEMENTS {evidence}]->(Task): a task carries out a named part of a cited document
SERVES = "SERVES"  # (Task)-[:SERVES {score, method, evidence: [str]}]->(Goal); method in LINK_METHODS
PART_OF = "PART_OF"  # (Goal)-[:PART_OF]->(Goal)
SETS = "SETS"  # (Document)-[:SETS]->(Goal)
REL_TYPES = (CITES, ISSUED_BY, HAS_TASK, SUBTASK_OF, LEAD, SUPPORT, IMPLEMENTS, SERVES, PART_OF, SETS)

# Citation relations (the contract's vocabulary) and how a task reaches a goal.
RELATIONS = ("implements", "based_on", "amends", "replaces", "repeals", "guides", "attaches", "mentions")
LINK_METHODS = ("explicit", "inherited", "topical", "curated")
# Document levels, top to bottom: a cascade is drawn in this order.
LEVELS = ("central", "ministry", "province", "department", "district", "commune")


@dataclass(frozen=True, slots=True)
class DocumentNode:
    key: str  # identity: folded ref + year + issuer key; see graph/identity.py
    ref: str | None
    kind: str
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None  # the issuer's name as the record gives it
    issuer_key: str | None = None  # the Organization it resolves to
    date: str | None = None  # ISO, or YYYY-MM / YYYY
    year: int | None = None
    place: str | None = None
    province: str | None = None
    subject: str | None = None
    signer: str | None = None
    level: str | None = None  # one of LEVELS
    source_path: str | None = None
    sha256: str | None = None
    is_stub: bool = False  # known only because something cites it
    is_central: bool = False  # from the goal catalog
    title: str | None = None  # a document named without a number


@dataclass(frozen=True, slots=True)
class TaskNode:
    key: str  # document key + "#" + the task's id
    doc_key: str
    task_id: str
    text: str
    deadline: str | None = None  # ISO day
    deadline_text: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    is_recurring: bool = False
    span_start: int | None = None  # into the document's normalised text
    span_end: int | None = None
    heading: str | None = None
    is_stub: bool = False  # a part of a cited-only document, known because a task names it ("Tiểu mục 2.3")


@dataclass(frozen=True, slots=True)
class OrganizationNode:
    key: str  # folded canonical name, localised ("uy ban nhan dan tinh lai chau")
    name: str
    aliases: tuple[str, ...] = ()
    level: str | None = None
    province: str | None = None
    branch: str | None = None  # party, state, union
    is_generic: bool = False


@dataclass(frozen=True, slots=True)
class GoalNode:
    key: str  # the catalog id: "57.SOL.5"
    title: str
    kind: str  # viewpoint, target, vision, solution_group, solution, implementation
    doc_key: str | None = None  # the central document that sets it
    parent: str | None = None
    metric: str | None = None
    value: str | None = None
    keywords: tuple[str, ...] = ()
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    type: str  # one of REL_TYPES
    properties: tuple[tuple[str, Any], ...] = ()

    def props(self) -> dict[str, Any]:
        return dict(self.properties)


@dataclass(frozen=True, slots=True)
class Merge:
    """Two names found to be one organisation, and why."""

    kept: str
    merged: str
    reason: str


@dataclass
class GraphModel:
    """Everything one build produces; the stores load it whole."""

    documents: dict[str, DocumentNode] = field(default_factory=dict)
    tasks: dict[str, TaskNode] = field(default_factory=dict)
    organizations: dict[str, OrganizationNode] = field(default_factory=dict)
    goals: dict[str, GoalNode] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def nodes(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(label, key, properties) for every node, in a stable order."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for label, table in ((DOCUMENT, self.documents), (TASK, self.tasks),
                             (ORGANIZATION, self.organizations), (GOAL, self.goals)):
            for key in sorted(table):
                out.append((label, key, node_properties(table[key])))
        return out


def node_properties(node: Any) -> dict[str, Any]:
    """The record's fields as plain JSON values (tuples become lists). Field by field rather
    than dataclasses.asdict, which deep-copies and is five times slower on a million tasks."""
    names = _FIELD_NAMES.get(type(node))
    if names is None:
        names = _FIELD_NAMES[type(node)] = tuple(f.name for f in fields(node))
    out = {}
    for name in names:
        value = getattr(node, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
