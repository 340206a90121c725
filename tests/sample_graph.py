"""The sample corpus (corpus/seeds + corpus/sample) parsed once per session and built into a graph.

Shared by the Neo4j tests (test_parity, test_export_neo4j): parsing is the slow part, so the
records are cached; every call builds a fresh GraphModel, which callers may change.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.build import build_graph
from graph.goals import load_catalog
from graph.model import GraphModel
from ingest.batch import find_sources, parse_batch

ROOT = Path(__file__).resolve().parent.parent
CORPUS = (ROOT / "corpus" / "seeds", ROOT / "corpus" / "sample")


@lru_cache(maxsize=1)
def sample_records() -> tuple[dict[str, Any], ...]:
    sources, _empty = find_sources(CORPUS)
    records = []
    for item in parse_batch(sources, jobs=1):
        assert item.record is not None, f"{item.path}: {item.error}"
        records.append(item.record)
    return tuple(records)


def sample_model() -> GraphModel:
    return build_graph(sample_records(), load_catalog())
