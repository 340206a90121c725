"""Checks on the central goal catalog (graph/catalog/*.yaml).

Each file must match graph/catalog/schema.json; across files, goal ids and document
refs are unique and every goal reference (parent, same_as, see_also, serves_goals)
resolves. 57-NQ/TW must keep its published shape: 5 viewpoints, 33 targets for 2030,
7 solution groups. Adding a programme is adding a YAML file; these tests then cover it.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

CATALOG_DIR = Path(__file__).resolve().parent.parent / "graph" / "catalog"
SCHEMA_PATH = CATALOG_DIR / "schema.json"
CATALOG_FILES = sorted(CATALOG_DIR.glob("*.yaml"))

# The contract's vocabularies (docs/contract/parsed-document.md) and the goal kinds
# of the design sketch plus "implementation" for part IV of 57-NQ/TW.
DOC_KINDS = {
    "nghi_quyet",
    "chuong_trinh",
    "ke_hoach",
    "cong_van",
    "thong_bao",
    "quyet_dinh",
    "chi_thi",
    "ket_luan",
    "bao_cao",
    "huong_dan",
    "to_trinh",
    "de_an",
    "luat",
    "nghi_dinh",
    "thong_tu",
    "other",
}
RELATIONS = {
    "implements",
    "based_on",
    "amends",
    "replaces",
    "repeals",
    "guides",
    "attaches",
    "mentions",
}
GOAL_KINDS = {
    "viewpoint",
    "target",
    "vision",
    "solution_group",
    "solution",
    "implementation",
}
STATUSES = {"verified", "secondary", "unverified"}

# A keyword is Vietnamese as written when it carries a diacritic (or đ). A keyword without
# any must be made of words that still read as Vietnamese: syllables of Vietnamese shape
# ("an ninh"), acronyms used as such in Vietnamese texts (AI, 5G, IoT, VNeID) or figures.
# This catches English slipped in as a whole keyword ("startup", "sandbox", "logistics").
ACRONYM = re.compile(r"^(?=(?:.*[A-Z0-9]){2})[A-Za-z0-9&]+$")
FIGURE = re.compile(r"^[0-9][0-9.,/%–-]*$")
SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$"
)


def load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def entries_of(data: dict) -> list[dict]:
    """The {document, goals} entries of one catalog file, whichever shape it has."""
    if "documents" in data:
        return data["documents"]
    return [{"document": data["document"], "goals": data["goals"]}]


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict]:
    return {path.name: load_yaml(path) for path in CATALOG_FILES}


@pytest.fixture(scope="module")
def entries(catalog: dict[str, dict]) -> list[tuple[str, dict]]:
    return [
        (name, entry) for name, data in catalog.items() for entry in entries_of(data)
    ]


@pytest.fixture(scope="module")
def goals(entries: list[tuple[str, dict]]) -> list[tuple[str, dict, dict]]:
    """(file name, document, goal) for every goal in the catalog."""
    return [
        (name, entry["document"], goal)
        for name, entry in entries
        for goal in entry["goals"]
    ]


@pytest.fixture(scope="module")
def goal_index(goals: list[tuple[str, dict, dict]]) -> dict[str, dict]:
    return {goal["id"]: goal for _, _, goal in goals}


def test_catalog_has_the_expected_files() -> None:
    names = {path.name for path in CATALOG_FILES}
    expected = {
        "57-NQ-TW.yaml",
        "03-NQ-CP.yaml",
        "71-NQ-CP.yaml",
        "02-KH-BCDTW.yaml",
        "01-KH-BCDTW.yaml",
        "central-others.yaml",
    }
    assert expected <= names


def test_schema_is_valid_draft_2020_12(schema: dict) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_vocabularies_match_the_contract(schema: dict) -> None:
    defs = schema["$defs"]
    assert set(defs["doc_kind"]["enum"]) == DOC_KINDS
    assert set(defs["relation"]["enum"]) == RELATIONS
    assert set(defs["goal_kind"]["enum"]) == GOAL_KINDS
    assert set(defs["status"]["enum"]) == STATUSES


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.name)
def test_file_matches_schema(path: Path, schema: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(
        validator.iter_errors(load_yaml(path)), key=lambda e: list(e.absolute_path)
    )
    messages = [
        f"{path.name}: at {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in errors
    ]
    assert not messages, "\n".join(messages[:20])


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.name)
def test_single_document_file_is_named_after_its_ref(path: Path) -> None:
    data = load_yaml(path)
    if "documents" in data:
        return
    ref = data["document"]["ref"]
    expected = ref.replace("/", "-").replace("Đ", "D") + ".yaml"
    assert path.name == expected, (
        f"{path.name}: a file holding {ref} should be called {expected}"
    )


def test_goal_ids_are_unique(goals: list[tuple[str, dict, dict]]) -> None:
    counts = Counter(goal["id"] for _, _, goal in goals)
    assert not [i for i, n in counts.items() if n > 1]


def test_document_refs_and_names_are_unique(entries: list[tuple[str, dict]]) -> None:
    refs = Counter(e["document"]["ref"] for _, e in entries if e["document"]["ref"])
    names = Counter(
        e["document"]["name"] for _, e in entries if not e["document"]["ref"]
    )
    assert not [r for r, n in refs.items() if n > 1]
    assert not [r for r, n in names.items() if n > 1]


def test_aliases_name_one_document_each(entries: list[tuple[str, dict]]) -> None:
    counts = Counter(
        unicodedata.normalize("NFC", a).casefold()
        for _, e in entries
        for a in e["document"]["aliases"]
    )
    assert not [a for a, n in counts.items() if n > 1]


def test_goal_references_resolve(
    goals: list[tuple[str, dict, dict]],
    goal_index: dict[str, dict],
    entries: list[tuple[str, dict]],
) -> None:
    missing = []
    for name, _, goal in goals:
        for field in ("parent",):
            if field in goal and goal[field] not in goal_index:
                missing.append(f"{name}: {goal['id']}.{field} -> {goal[field]}")
        for field in ("same_as", "see_also"):
            for target in goal.get(field, []):
                if target not in goal_index:
                    missing.append(f"{name}: {goal['id']}.{field} -> {target}")
                elif target == goal["id"]:
                    missing.append(f"{name}: {goal['id']}.{field} points at itself")
    for name, entry in entries:
        for target in entry["document"].get("serves_goals", []):
            if target not in goal_index:
                missing.append(
                    f"{name}: {entry['document']['ref']}.serves_goals -> {target}"
                )
    assert not missing, "\n".join(missing)


def test_parent_chains_end_at_a_top_level_goal(goal_index: dict[str, dict]) -> None:
    for goal_id in goal_index:
        seen: set[str] = set()
        current: str | None = goal_id
        while current is not None:
            assert current not in seen, f"parent cycle through {current}"
            seen.add(current)
            # an unresolved parent is reported by test_goal_references_resolve
            current = goal_index.get(current, {}).get("parent")


def test_same_as_joins_goals_of_the_same_kind(goal_index: dict[str, dict]) -> None:
    for goal in goal_index.values():
        for target in goal.get("same_as", []):
            assert goal_index[target]["kind"] == goal["kind"], (
                f"{goal['id']} same_as {target}"
            )


def test_vocabularies_are_respected(
    entries: list[tuple[str, dict]], goals: list[tuple[str, dict, dict]]
) -> None:
    for name, entry in entries:
        doc = entry["document"]
        assert doc["kind"] in DOC_KINDS, f"{name}: kind {doc['kind']}"
        assert doc["status"] in STATUSES, f"{name}: status {doc['status']}"
        for cite in doc["cites"]:
            assert cite["relation"] in RELATIONS, f"{name}: relation {cite['relation']}"
        pairs = Counter(
            (c["ref"] or c.get("name"), c["relation"]) for c in doc["cites"]
        )
        assert not [p for p, n in pairs.items() if n > 1], (
            f"{name}: a citation is listed twice"
        )
    for name, _, goal in goals:
        assert goal["kind"] in GOAL_KINDS, f"{name}: {goal['id']} kind {goal['kind']}"
        assert goal["status"] in STATUSES, (
            f"{name}: {goal['id']} status {goal['status']}"
        )


def test_every_goal_has_keywords_and_an_example(
    goals: list[tuple[str, dict, dict]],
) -> None:
    for name, _, goal in goals:
        assert len(goal["keywords"]) >= 3, (
            f"{name}: {goal['id']} needs at least 3 keywords"
        )
        assert goal["examples"] and all(e.strip() for e in goal["examples"]), (
            f"{name}: {goal['id']} needs an example"
        )


def has_vietnamese_marks(text: str) -> bool:
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.combining(ch) for ch in decomposed)


def test_keywords_are_vietnamese_with_diacritics(
    goals: list[tuple[str, dict, dict]],
) -> None:
    bad = []
    for name, _, goal in goals:
        folded = Counter(k.casefold() for k in goal["keywords"])
        bad += [
            f"{name}: {goal['id']}: duplicate keyword {k!r}"
            for k, n in folded.items()
            if n > 1
        ]
        for keyword in goal["keywords"]:
            if unicodedata.normalize("NFC", keyword) != keyword:
                bad.append(f"{name}: {goal['id']}: {keyword!r} is not NFC")
            elif not has_vietnamese_marks(keyword) and not all(
                ACRONYM.match(word)
                or FIGURE.match(word)
                or SYLLABLE.match(word.casefold())
                for word in keyword.split()
            ):
                bad.append(
                    f"{name}: {goal['id']}: {keyword!r} has no diacritics and does not read as Vietnamese"
                )
    assert not bad, "\n".join(bad)


def test_goal_sources_are_listed_by_their_document(
    goals: list[tuple[str, dict, dict]],
) -> None:
    for name, doc, goal in goals:
        codes = goal.get("source", [])
        for code in [codes] if isinstance(codes, str) else codes:
            assert code in doc["sources"], (
                f"{name}: {goal['id']} cites source {code} its document does not list"
            )


def test_full_dates_are_real_dates(entries: list[tuple[str, dict]]) -> None:
    for name, entry in entries:
        value = entry["document"]["date"]
        if value and len(value) == 10:
            date.fromisoformat(value)


def test_task_ranges_are_consistent(
    entries: list[tuple[str, dict]], goal_index: dict[str, dict]
) -> None:
    for name, entry in entries:
        ranges = sorted(
            tuple(g["task_range"]) for g in entry["goals"] if "task_range" in g
        )
        for low, high in ranges:
            assert low <= high, f"{name}: task_range {low}-{high}"
        for (_, high), (low, _) in itertools.pairwise(ranges):
            assert high < low, f"{name}: task ranges overlap"
        for goal in entry["goals"]:
            if "task_range" in goal:
                low, high = goal["task_range"]
                assert all(low <= n <= high for n in goal.get("local_tasks", [])), goal[
                    "id"
                ]
            if "stt" in goal:
                parent = goal_index[goal["parent"]]
                low, high = parent["task_range"]
                assert low <= goal["stt"] <= high, (
                    f"{goal['id']}: STT outside {parent['id']}"
                )


def goals_of(entries: list[tuple[str, dict]], ref: str) -> list[dict]:
    found = [e["goals"] for _, e in entries if e["document"]["ref"] == ref]
    assert len(found) == 1, f"{ref} must be catalogued exactly once"
    return found[0]


def test_resolution_57_has_its_published_shape(entries: list[tuple[str, dict]]) -> None:
    goals57 = goals_of(entries, "57-NQ/TW")
    by_kind = Counter(g["kind"] for g in goals57)
    targets_2030 = [
        g["id"]
        for g in goals57
        if g["kind"] == "target" and g["id"].startswith("57.TARGET.2030.")
    ]
    groups = [g["id"] for g in goals57 if g["kind"] == "solution_group"]
    assert by_kind["viewpoint"] == 5
    assert sorted(targets_2030) == sorted(f"57.TARGET.2030.{n}" for n in range(1, 34))
    assert groups == [f"57.SOL.{n}" for n in range(1, 8)]
    assert [g["id"] for g in goals57 if g["kind"] == "implementation"] == [
        f"57.ORG.{n}" for n in range(1, 7)
    ]
    for goal in goals57:
        match = re.fullmatch(r"57\.SOL\.(\d)\.\d+", goal["id"])
        if match:
            assert goal["parent"] == f"57.SOL.{match.group(1)}", goal["id"]


def test_programme_03_groups_cover_its_140_tasks(
    entries: list[tuple[str, dict]],
) -> None:
    groups = [g for g in goals_of(entries, "03/NQ-CP") if g["id"].startswith("03.GRP.")]
    assert [g["parent"] for g in groups] == [f"57.SOL.{n}" for n in range(1, 8)]
    covered = [
        n for g in groups for n in range(g["task_range"][0], g["task_range"][1] + 1)
    ]
    assert covered == list(range(1, 141))
