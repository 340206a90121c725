"""Where the explorer's data comes from, and the caches in front of it.

The library is the CLI's: `graph.library.data_dir(None)`, i.e. $CHIDAO_DATA, else the XDG
default, so `chidao ingest` then `streamlit run app.py` shows what was ingested.

One `Snapshot` per (library file, Library.version) is built with st.cache_resource and
shared by every session: the embedded store, the corrected records (their text and
spans), the library's counts. Never mutate it. A write (an ingest, a correction) bumps the
version, so the next rerun builds a new snapshot and every cached answer keyed on the old
version stops being used. Answers (the questions of queries/ and the explorer's own
tables) are cached with st.cache_data, the store passed as `_store` (not hashed) and the
version in the key.

The questions run on Neo4j when NEO4J_URI is set and the server answers (after `chidao
sync`); the explorer's own tables and the document pages always read the embedded store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from graph.corrections import Correction, apply_corrections
from graph.goals import load_catalog
from graph.library import FILENAME, Library, data_dir
from graph.store_embedded import EmbeddedStore
from queries import QUERIES

from . import attention, documents, goaltree


@dataclass(frozen=True)
class Snapshot:
    """The library at one version, as every page reads it."""

    library_file: str
    version: int
    store: EmbeddedStore
    records: Mapping[str, dict[str, Any]]  # source path → record with corrections applied
    stats: Mapping[str, Any]
    failures: tuple[dict[str, Any], ...]
    corrections: tuple[Correction, ...]


@dataclass(frozen=True)
class Backend:
    """Which store answers the questions: "embedded", or "neo4j" with its URI (and the error
    that made the explorer fall back to the embedded store, if any)."""

    name: str
    uri: str | None = None
    error: str | None = None


def data_directory() -> Path:
    return data_dir(None)


def library_file() -> Path:
    return data_directory() / FILENAME


@contextmanager
def open_library(create: bool = True) -> Iterator[Library]:
    """The library for writing (ingest, corrections); opened per use, as SQLite connections
    belong to the thread that opened them and reruns run on other threads."""
    with Library.open(data_directory(), create=create) as library:
        yield library


def library_version() -> int | None:
    """The library's version, or None when there is no library yet (read on every rerun: cheap)."""
    if not library_file().exists():
        return None
    with open_library(create=False) as library:
        return library.version()


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(path: str, version: int) -> Snapshot:
    with Library.open(Path(path).parent, create=False) as library:
        corrections = tuple(library.corrections())
        records: dict[str, dict[str, Any]] = {}
        # One read of the library: the build takes each record as it is read and the
        # snapshot keeps it, corrected (a copy) when a correction names it.
        store = EmbeddedStore.from_records(
            kept_while_read(library.records(), corrections, records), load_catalog(), corrections
        )
        return Snapshot(
            path, library.version(), store, records, library.stats(), tuple(library.failures()), corrections
        )


def kept_while_read(
    records: Iterable[dict[str, Any]], corrections: Sequence[Correction], into: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """Each record as read, passed on unchanged; `into` gets source path → the record with its
    corrections applied (the record itself when none names it: neither the build nor the
    pages change a record)."""
    by_path: dict[str, list[Correction]] = {}
    for correction in corrections:
        if correction.target in ("document", "task") and correction.document_path is not None:
            by_path.setdefault(correction.document_path, []).append(correction)
    for record in records:
        path = record["source"]["path"]
        mine = by_path.get(path)
        into[path] = apply_corrections(record, mine) if mine else record
        yield record


def snapshot() -> Snapshot | None:
    """The current library's snapshot, None when there is no library file yet."""
    version = library_version()
    if version is None:
        return None
    return _load(str(library_file()), version)


# -- the questions -----------------------------------------------------------------------
def backend() -> Backend:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return Backend("embedded")
    _, error = _neo4j(uri, os.environ.get("NEO4J_DATABASE") or "")
    return Backend("neo4j", uri, error)


@st.cache_resource(max_entries=2, show_spinner=False)
def _neo4j(uri: str, database: str) -> tuple[Any, str | None]:
    """The Neo4j store for (uri, database), verified once; (None, why) when it cannot be used."""
    from graph.store_neo4j import Neo4jStore, Neo4jStoreError

    try:
        store = Neo4jStore.from_env()
        store.verify()
    except Neo4jStoreError as exc:
        return None, str(exc)
    return store, None


def question(snap: Snapshot, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """queries/<name>.run(store, **params), on Neo4j when configured and reachable; cached.
    A QueryError (the question names nothing) is raised, not cached."""
    chosen = backend()
    store: Any = snap.store
    where = "embedded"
    if chosen.name == "neo4j" and chosen.error is None:
        store, _ = _neo4j(chosen.uri or "", os.environ.get("NEO4J_DATABASE") or "")
        where = chosen.uri or "neo4j"
    return _question(store, snap.library_file, snap.version, where, name, _frozen(params))


@st.cache_data(max_entries=512, show_spinner=False)
def _question(
    _store: Any, library: str, version: int, where: str, name: str, params: tuple[tuple[str, Any], ...]
) -> list[dict[str, Any]]:
    if where == "embedded":
        return QUERIES[name].run(_store, **dict(params))
    return _store.run(name, **dict(params))


# -- the explorer's own tables -------------------------------------------------------------
def _cascade_graph(store: EmbeddedStore, **params: Any) -> Any:
    from exports.cascade_graph import build_cascade_graph

    return build_cascade_graph(store, **params)


TABLES: Mapping[str, Callable[..., Any]] = {
    "goal_attention": attention.goal_attention,
    "unit_attention": attention.unit_attention,
    "goal_tree": goaltree.goal_tree,
    "document_rows": documents.document_rows,
    "cascade_graph": _cascade_graph,
}


def table(snap: Snapshot, name: str, /, **params: Any) -> Any:
    """TABLES[name](store, **params), cached per library version."""
    return _table(snap.store, snap.library_file, snap.version, name, _frozen(params))


@st.cache_data(max_entries=256, show_spinner=False)
def _table(
    _store: EmbeddedStore, library: str, version: int, name: str, params: tuple[tuple[str, Any], ...]
) -> Any:
    return TABLES[name](_store, **dict(params))


def _frozen(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Parameters as a sorted tuple (lists as tuples): a hashable, stable cache key."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


@st.cache_data(max_entries=64, show_spinner=False)
def page_png(path: str, sha256: str, page: int) -> bytes:
    """Page `page` of the source file drawn as PNG; `sha256` keys the cache to the file's content."""
    from ingest.readers.page_image import render_page_png

    return render_page_png(Path(path), page)
