"""One module per user question, each `run(store, **params) -> list[dict]` on the embedded
store, with its Cypher twin beside it for Neo4j (queries/<name>.cypher, same result shape).

Each module's docstring lists its result keys and its sort order. `QUERIES` maps the
question's name (the CLI verb) to its module.
"""
from __future__ import annotations

from types import ModuleType

from . import cascade, due, findings, lineage, org, search, who
from .targets import QueryError

QUERIES: dict[str, ModuleType] = {
    "who": who,
    "cascade": cascade,
    "lineage": lineage,
    "org": org,
    "due": due,
    "findings": findings,
    "search": search,
}

__all__ = ["QUERIES", "QueryError"]
