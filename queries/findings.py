"""Data-quality findings of the build (graph/findings.py lists the codes).

    run(store)                                   # every finding
    run(store, code="deadline_before_issue")     # one kind
    run(store, doc="356/BC-STP")                 # about one document (ref, key or source path)

Result keys (as graph/findings.py makes them): code, origin ("graph" | "parser"), doc_key,
ref, source_path, task_key, value, message. Sorted by those keys in that order, None as "".
"""
from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from graph.findings import KEYS
from graph.store_embedded import EmbeddedStore

from .targets import QueryError, documents


def run(store: EmbeddedStore, *, code: str | None = None, doc: str | None = None,
        limit: int | None = None) -> list[dict[str, Any]]:
    rows: Iterable[dict[str, Any]] = store.findings  # the build sorts them
    if doc:
        keys = documents(store, doc)
        if not keys:
            raise QueryError(f"'{doc}': no document by that ref, key or path")
        rows = sorted((f for k in keys for f in store.findings_of.get(k, ())), key=_order)
    if code:
        rows = (f for f in rows if f["code"] == code)
    return [dict(f) for f in islice(rows, limit)]


def _order(finding: dict[str, Any]) -> tuple[str, ...]:
    return tuple("" if finding.get(k) is None else str(finding[k]) for k in KEYS)
