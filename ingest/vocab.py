"""Loads and validates the vocabularies in ingest/vocab/ once; the only module that reads them.

Phrases are written in the data files as printed (with diacritics) and folded here,
because every matcher runs on folded text. A file that does not match its schema stops
the load with the file, the entry and the reason.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import ChidaoError
from .fold import fold, fold_key

VOCAB_DIR = Path(__file__).with_name("vocab")


class VocabularyError(ChidaoError):
    """A vocabulary file is malformed."""


def fold_pattern(pattern: str) -> str:
    """Fold the letters of a regular expression, leaving escapes (\\S, \\D…) alone."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if (char == "\\" or pattern.startswith("?P", i)) and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(fold(char))
        i += 1
    return "".join(out)


def phrase_regex(phrases: list[str]) -> re.Pattern[str]:
    """One alternation of whole-word folded phrases, longest first; spaces match any run."""
    return re.compile(word_alternation({fold_key(p) for p in phrases if p.strip()}, r"[\w&]"))


def word_alternation(alternatives: set[str] | list[str], word_char: str) -> str:
    """The pattern of `(?<!W)(?:a|b|…)(?!W)`, W being `word_char` and the alternatives tried
    longest first (a space matching any run of white space), written as a trie.

    Same matches, found faster: re tries the branches of an alternation one by one at each
    position of the text, and a leading look-behind keeps it from skipping ahead to the
    characters a match can start with. The trie gives one branch per first character, each
    testing the word boundary after it; the look-behind is two characters wide for that.
    At each node the longer continuations are tried before the phrase ending there, so the
    longest phrase that ends at a word boundary wins, as in the sorted alternation: the
    phrases matching at one position are prefixes of one another.
    """
    words = sorted(alternatives, key=len, reverse=True)
    if not words:
        body = "|".join(words)
        return rf"(?<!{word_char})(?:{body})(?!{word_char})"
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    branches = [f"{re.escape(char)}(?<!{word_char}{re.escape(char)}){_trie_pattern(trie[char])}"
                for char in sorted(trie)]
    return f"(?:{'|'.join(branches)})(?!{word_char})"


def _trie_pattern(node: dict[str, dict]) -> str:
    children = sorted(char for char in node if char)
    if not children:
        return ""
    parts = [(r"\s+" if char == " " else re.escape(char)) + _trie_pattern(node[char]) for char in children]
    body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
    if "" in node:
        return f"(?:{body})?"  # greedy: the longer phrases first, then the one ending here
    return body


@dataclass(frozen=True, slots=True)
class KindEntry:
    kind: str
    titles: tuple[str, ...]
    codes: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    level: str
    scope: str  # national, province, district, commune
    branch: str


@dataclass(frozen=True)
class Vocabulary:
    kinds: tuple[KindEntry, ...]
    kind_by_title: dict[str, str]  # folded title → kind
    kind_by_code: dict[str, str]  # folded type code → kind
    kind_by_word: dict[str, str]  # folded citing word → kind
    citing_words: tuple[str, ...]  # folded, longest first
    relations: tuple[dict[str, Any], ...]
    roles: dict[str, tuple[str, ...]]
    deadline_phrases: tuple[dict[str, Any], ...]
    name_abbreviations: dict[str, str]  # folded abbreviation → full form
    symbol_issuers: dict[str, str]  # folded symbol code → issuer
    symbol_spellings: dict[str, str]  # folded symbol or kind code → exact spelling ("ldld" → "LĐLĐ")
    kind_codes: frozenset[str]  # folded type codes: nq, kh, cv, qd …
    organizations: tuple[Organization, ...]
    org_by_key: dict[str, Organization]  # folded name or alias → entry
    provinces: dict[str, str]  # folded name or alias → printed name
    province_kind: dict[str, str]  # printed name → "tỉnh" / "thành phố"
    ocr_words: dict[str, str]  # folded damaged word → folded meant word
    layout: dict[str, re.Pattern[str]]
    org_words: dict[str, tuple[str, ...]]  # folded, longest first: heads, titles, collectives …
    name_stops: tuple[str, ...]  # printed lower case: the words that end a name
    name_stop_set: frozenset[str]  # those of two or more syllables, for a quick lookup
    org_words_printed: dict[str, tuple[str, ...]]  # the same lists, printed lower case
    non_task_headings: re.Pattern[str]
    task_headings: re.Pattern[str]
    # task-table column → (folded phrases as one pattern, whether it must be the whole header cell)
    table_columns: dict[str, tuple[re.Pattern[str], bool]] = field(default_factory=dict)


# libyaml's safe loader when PyYAML was built with it: the same documents, ten times faster
# than the pure-Python one (a tenth of a second at every start of `chidao`).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> Any:
    path = VOCAB_DIR / name
    try:
        if name.endswith(".jsonl"):
            return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: cannot be read: {exc}") from exc


def _validate(name: str, data: Any) -> None:
    schema_path = VOCAB_DIR / "schema" / (name.rsplit(".", 1)[0] + ".schema.json")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        raise VocabularyError(f"{VOCAB_DIR / name}: entry {where}: {err.message}")


FILES = ("doc_kinds.yaml", "relations.yaml", "roles.yaml", "deadline_phrases.yaml",
         "abbreviations.yaml", "organizations.jsonl", "places.yaml", "ocr_confusions.yaml",
         "layout.yaml", "org_words.yaml", "name_stops.yaml", "table_columns.yaml")


def read_vocabulary_files() -> dict[str, Any]:
    """Every vocabulary file, parsed and validated against its schema."""
    data = {name: _read(name) for name in FILES}
    for name, content in data.items():
        _validate(name, content)
    return data


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    data = read_vocabulary_files()
    kinds = tuple(KindEntry(e["kind"], tuple(e["titles"]), tuple(e["codes"]), tuple(e["words"]))
                  for e in data["doc_kinds.yaml"])
    kind_by_word = {fold_key(w): k.kind for k in kinds for w in k.words}
    orgs = tuple(Organization(o["name"], tuple(o["aliases"]), o["level"], o["scope"], o["branch"])
                 for o in data["organizations.jsonl"])
    org_by_key: dict[str, Organization] = {}
    for org in orgs:
        for key in (org.name, *org.aliases):
            org_by_key.setdefault(fold_key(key), org)
    abbreviations = data["abbreviations.yaml"]
    provinces: dict[str, str] = {}
    province_kind: dict[str, str] = {}
    for p in data["places.yaml"]["provinces"]:
        province_kind[p["name"]] = p["kind"]
        for key in (p["name"], *p.get("aliases", [])):
            provinces[fold_key(key)] = p["name"]
    layout_data = data["layout.yaml"]
    layout = {key: re.compile(fold_pattern(value["pattern"]), re.MULTILINE)
              for key, value in layout_data.items() if isinstance(value, dict) and "pattern" in value}
    return Vocabulary(
        kinds=kinds,
        kind_by_title={fold_key(t): k.kind for k in kinds for t in k.titles},
        kind_by_code={fold(c): k.kind for k in kinds for c in k.codes},
        kind_by_word=kind_by_word,
        citing_words=tuple(sorted(kind_by_word, key=len, reverse=True)),
        relations=tuple(data["relations.yaml"]),
        roles={key: tuple(value["phrases"]) for key, value in data["roles.yaml"].items()},
        deadline_phrases=tuple(data["deadline_phrases.yaml"]),
        name_abbreviations={fold(a["abbr"]): a["full"] for a in abbreviations["in_names"]},
        symbol_issuers={fold(s["code"]): s["issuer"] for s in abbreviations["symbols"]},
        symbol_spellings={**{fold(c): c for k in kinds for c in k.codes},
                          **{fold(s["code"]): s["code"] for s in abbreviations["symbols"]}},
        kind_codes=frozenset(fold(c) for k in kinds for c in k.codes),
        organizations=orgs,
        org_by_key=org_by_key,
        provinces=provinces,
        province_kind=province_kind,
        ocr_words={fold(w["seen"]): fold(w["meant"]) for w in data["ocr_confusions.yaml"]["words"]},
        layout=layout,
        org_words_printed={key: tuple(" ".join(w.lower().split()) for w in words)
                           for key, words in data["org_words.yaml"].items()},
        name_stops=tuple(" ".join(w.lower().split()) for w in data["name_stops.yaml"]["words"]),
        name_stop_set=frozenset(" ".join(w.lower().split()) for w in data["name_stops.yaml"]["words"]
                                if len(w.split()) > 1),
        org_words={key: tuple(sorted({fold_key(w) for w in words}, key=len, reverse=True))
                   for key, words in data["org_words.yaml"].items()},
        non_task_headings=phrase_regex(layout_data["non_task_headings"]["phrases"]),
        task_headings=phrase_regex(layout_data["task_headings"]["phrases"]),
        table_columns={key: (phrase_regex(entry["phrases"]), bool(entry.get("whole_cell")))
                       for key, entry in data["table_columns.yaml"].items()},
    )
