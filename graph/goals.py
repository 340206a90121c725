"""The central goal catalog (graph/catalog/*.yaml) as graph records.

Each YAML file is one central document and the goals it sets ({document, goals}) or a
list of such entries ({documents: [...]}), shaped by graph/catalog/schema.json. Loading
gives the central Document nodes (is_central=True), the Goal nodes, SETS and PART_OF
edges, and CITES edges between central documents (71/NQ-CP implements 57-NQ/TW and
amends and replaces 03/NQ-CP). A user adds a programme by dropping one more YAML file
into the catalog folder, or into a folder of their own passed as an extra directory.

The catalog is read here, once, at the edge; `catalog_from_entries` is the pure part.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import best_match

from ingest.errors import ChidaoError
from ingest.fold import fold_key
from ingest.vocab import Vocabulary, load_vocabulary

from .identity import (
    CitedAs,
    OrgContext,
    OrgResolver,
    blank_document_key,
    document_key,
    ref_key,
    strongest,
    year_of,
)
from .model import CITES, PART_OF, SETS, DocumentNode, Edge, GoalNode

CATALOG_DIR = Path(__file__).with_name("catalog")
SCHEMA_PATH = CATALOG_DIR / "schema.json"


class CatalogError(ChidaoError):
    """A catalog file is unreadable or does not match the schema."""


@dataclass(frozen=True, slots=True)
class GoalMeta:
    """What tracing needs beyond the Goal node: appendix numbering and equivalences."""

    task_range: tuple[int, int] | None = None  # STT of the appendix tasks in this group
    stt: int | None = None  # STT of one appendix task
    same_as: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CentralCite:
    """A citation a central document makes that the catalog itself cannot resolve."""

    source: str  # citing document key
    cited: CitedAs
    relation: str


@dataclass
class Catalog:
    documents: dict[str, DocumentNode] = field(default_factory=dict)
    goals: dict[str, GoalNode] = field(default_factory=dict)
    meta: dict[str, GoalMeta] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    # refs and names other documents use for a central document, folded → document key
    by_ref: dict[str, str] = field(default_factory=dict)
    by_alias: dict[str, str] = field(default_factory=dict)
    serves_goals: dict[str, tuple[str, ...]] = field(default_factory=dict)  # doc key → goal ids
    external_cites: list[CentralCite] = field(default_factory=list)
    files: tuple[str, ...] = ()

    def goals_set_by(self, doc_key: str) -> list[str]:
        return [g.key for g in self.goals.values() if g.doc_key == doc_key]

    def children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for goal in self.goals.values():
            if goal.parent:
                out.setdefault(goal.parent, []).append(goal.key)
        return {k: sorted(v) for k, v in out.items()}


def catalog_files(dirs: Sequence[Path]) -> list[Path]:
    """The YAML files of the catalog folders, in a stable order (folder, then name)."""
    out: list[Path] = []
    for folder in dirs:
        if not folder.is_dir():
            raise CatalogError(f"{folder}: no such catalog folder")
        out += sorted(folder.glob("*.yaml"))
    return out


def read_catalog_file(path: Path, validator: jsonschema.Draft202012Validator) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: cannot be read: {exc}") from exc
    err = best_match(validator.iter_errors(data))
    if err is not None:
        while err.context:  # "not valid under any of the given schemas": say which part, and why
            err = best_match(err.context) or err.context[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise CatalogError(f"{path}: at {where}: {_short(err.message)}; see {SCHEMA_PATH.name}")
    return list(data["documents"]) if "documents" in data else [{"document": data["document"],
                                                                  "goals": data["goals"]}]


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:199] + "…"


def load_catalog(extra_dirs: Iterable[Path | str] = (), *, base_dir: Path | None = CATALOG_DIR,
                 vocab: Vocabulary | None = None) -> Catalog:
    """Read and validate the catalog folder plus any extra folders of user programmes."""
    dirs = ([base_dir] if base_dir is not None else []) + [Path(d) for d in extra_dirs]
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    entries: list[tuple[str, dict[str, Any]]] = []
    paths = catalog_files(dirs)
    for path in paths:
        entries += [(str(path), entry) for entry in read_catalog_file(path, validator)]
    catalog = catalog_from_entries(entries, vocab or load_vocabulary())
    catalog.files = tuple(str(p) for p in paths)
    return catalog


def catalog_from_entries(entries: Sequence[tuple[str, dict[str, Any]]], vocab: Vocabulary) -> Catalog:
    """Pure: validated {document, goals} entries (with the file each came from) → Catalog."""
    orgs = OrgResolver(vocab)
    catalog = Catalog()
    national = OrgContext()
    pending: list[tuple[str, str, dict[str, Any]]] = []
    for source, entry in entries:
        doc = entry["document"]
        issuer = orgs.resolve(doc["issuer"], national)
        year = year_of(doc["date"])
        if doc["ref"]:
            key = document_key(doc["ref"], year, issuer.key)
        else:
            key = blank_document_key(issuer.key, doc["date"], doc["name"])
        if key in catalog.documents or (doc["ref"] and ref_key(doc["ref"]) in catalog.by_ref):
            raise CatalogError(f"{source}: {doc['ref'] or doc['name']} is catalogued twice (each ref once)")
        catalog.documents[key] = DocumentNode(
            key=key, ref=doc["ref"], kind=doc["kind"], issuer=doc["issuer"], issuer_key=issuer.key,
            date=doc["date"], year=year, subject=doc["subject"], signer=doc["signer"], level="central",
            source_path=source, is_central=True, title=doc.get("name"),
            number=doc["ref"].split("/")[0].split("-")[0] if doc["ref"] else None)
        if doc["ref"]:
            catalog.by_ref[ref_key(doc["ref"])] = key
        for alias in (*doc["aliases"], *([doc["name"]] if doc.get("name") else [])):
            catalog.by_alias[fold_key(alias)] = key
        if doc.get("serves_goals"):
            catalog.serves_goals[key] = tuple(doc["serves_goals"])
        for goal in entry["goals"]:
            _add_goal(catalog, source, key, goal)
        for cite in doc["cites"]:
            pending.append((source, key, cite))
    _check_goal_parents(catalog)
    for goal in catalog.goals.values():
        if goal.doc_key:
            catalog.edges.append(Edge(goal.doc_key, goal.key, SETS))
        if goal.parent:
            catalog.edges.append(Edge(goal.key, goal.parent, PART_OF))
    catalog.edges += _central_cites(catalog, pending)
    return catalog


def _add_goal(catalog: Catalog, source: str, doc_key: str, goal: dict[str, Any]) -> None:
    if goal["id"] in catalog.goals:
        raise CatalogError(f"{source}: goal {goal['id']} is defined twice")
    catalog.goals[goal["id"]] = GoalNode(
        key=goal["id"], title=goal["title"], kind=goal["kind"], doc_key=doc_key, parent=goal.get("parent"),
        metric=goal.get("metric"), value=goal.get("value"), keywords=tuple(goal["keywords"]),
        status=goal.get("status"))
    task_range = goal.get("task_range")
    catalog.meta[goal["id"]] = GoalMeta(
        task_range=(task_range[0], task_range[1]) if task_range else None, stt=goal.get("stt"),
        same_as=tuple(goal.get("same_as", ())), see_also=tuple(goal.get("see_also", ())),
        examples=tuple(goal.get("examples", ())))


def _check_goal_parents(catalog: Catalog) -> None:
    for goal in catalog.goals.values():
        if goal.parent and goal.parent not in catalog.goals:
            raise CatalogError(f"goal {goal.key}: parent {goal.parent} is in no catalog file")
        for other in (*catalog.meta[goal.key].same_as, *catalog.meta[goal.key].see_also):
            if other not in catalog.goals:
                raise CatalogError(f"goal {goal.key}: {other} is in no catalog file")
    for doc_key, goal_ids in catalog.serves_goals.items():
        for goal_id in goal_ids:
            if goal_id not in catalog.goals:
                raise CatalogError(f"{catalog.documents[doc_key].ref}: serves_goals {goal_id} is in no catalog file")


def _central_cites(catalog: Catalog, pending: list[tuple[str, str, dict[str, Any]]]) -> list[Edge]:
    """CITES between catalogued documents; the rest are left for the build to resolve.

    A pair cited with two relations (71/NQ-CP amends and replaces 03/NQ-CP) is one edge,
    since the store keys an edge by its type: `relation` is the strongest, `relations` all.
    """
    relations: dict[tuple[str, str], list[str]] = {}
    for _source, key, cite in pending:
        target = catalog.by_ref.get(ref_key(cite["ref"])) if cite["ref"] else \
            catalog.by_alias.get(fold_key(cite["name"]))
        if target is None:
            catalog.external_cites.append(CentralCite(key, CitedAs(
                ref=cite["ref"], title=cite.get("name"), is_national=True), cite["relation"]))
            continue
        if target != key:
            relations.setdefault((key, target), []).append(cite["relation"])
    edges = []
    for (source, target), rels in sorted(relations.items()):
        unique = sorted(set(rels), key=rels.index)
        edges.append(Edge(source, target, CITES, (
            ("relation", strongest(unique)), ("relations", sorted(unique)), ("span_start", None),
            ("span_end", None), ("resolved_by", "catalog"), ("is_inferred", False), ("evidence", None))))
    return edges
