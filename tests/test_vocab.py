"""ingest/vocab.py and the data in ingest/vocab/: every file loads and validates, every entry
matches its own examples as the parser matches them, and a malformed file is reported with
the file, the entry and the reason (reporters-db's tests.py does the same for its data).

"As the parser matches" means on the text the matchers see: folded, with the known OCR
words repaired (`normalize.matching_text`, which is what `DocText.folded` holds), and with
the vocabulary's own compiled patterns (`phrase_regex`, `Vocabulary.layout`). A second test
per file runs the example through the parser itself, where the entry decides what the
parser reads (a relation, a document kind, a kind of deadline).
"""
from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import ingest.vocab as vocab_module
from ingest.fold import fold, fold_key
from ingest.normalize import matching_text, normalize
from ingest.parse.citations import CitationParser
from ingest.parse.context import DocText
from ingest.parse.deadlines import DeadlineFinder
from ingest.parse.orgs import Locality, OrgFinder
from ingest.vocab import (
    FILES,
    VOCAB_DIR,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    phrase_regex,
    read_vocabulary_files,
)

DATA = read_vocabulary_files()
CONTRACT_KINDS = {"nghi_quyet", "chuong_trinh", "ke_hoach", "cong_van", "thong_bao", "quyet_dinh", "chi_thi",
                  "ket_luan", "bao_cao", "huong_dan", "to_trinh", "de_an", "luat", "nghi_dinh", "thong_tu", "other"}


def seen(text: str) -> str:
    """The text as the matchers see it: folded, OCR words repaired, white space collapsed."""
    return " ".join(matching_text(text, load_vocabulary())[0].split())


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9/ .:-]", "", fold(text))[:40]


def examples_of(entries: list[dict[str, Any]] | dict[str, Any], label: str) -> list:
    items = entries.items() if isinstance(entries, dict) else ((str(e.get(label, i)), e) for i, e in enumerate(entries))
    return [pytest.param(name, entry, example, id=f"{name}:{_ascii(example)}")
            for name, entry in items if isinstance(entry, dict) for example in entry.get("examples", [])]


# --- loading ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FILES)
def test_every_file_loads_and_validates(name: str) -> None:
    assert DATA.get(name)


def test_vocabulary_builds() -> None:
    vocab = load_vocabulary()
    assert isinstance(vocab, Vocabulary)
    assert vocab.kind_by_title["ke hoach"] == "ke_hoach"
    assert vocab.symbol_spellings["ldld"] == "LĐLĐ"


def test_document_kinds_are_the_contracts() -> None:
    assert {e["kind"] for e in DATA["doc_kinds.yaml"]} <= CONTRACT_KINDS


@pytest.mark.parametrize("code", ["HD", "HĐ", "QĐ", "ĐU", "NĐ", "CV", "TTg", "LĐLĐ", "BCĐ"])
def test_each_printed_code_spells_itself(code: str) -> None:
    """A code printed with its diacritics is kept: folding "HD" (Hướng dẫn) and "HĐ" (Hợp
    đồng) gives one key, and the recovery of stripped text must not turn one into the other."""
    from ingest.parse.refs import canonical_segment
    assert canonical_segment(code, load_vocabulary()) == code


# --- relations.yaml -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["relations.yaml"], "relation"))
def test_relation_phrases_match_their_examples(name: str, entry: dict, example: str) -> None:
    phrases = [*entry["phrases"], *entry.get("after_phrases", [])]
    assert phrase_regex(phrases).search(seen(example)), f"no phrase of {name} in {example!r}"


@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["relations.yaml"], "relation"))
def test_relation_examples_parse_to_their_relation(name: str, entry: dict, example: str) -> None:
    vocab = load_vocabulary()
    parser = CitationParser(vocab, OrgFinder(vocab))
    doc = DocText(normalize(example, vocab).text, vocab)
    found = parser.parse(doc, None, None, None, Locality("tỉnh", "Lai Châu"), len(doc.text))
    assert entry["relation"] in [c.relation for c in found if c.ref], [(c.ref, c.relation) for c in found]


# --- deadline_phrases.yaml ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["deadline_phrases.yaml"], "key"))
def test_deadline_triggers_match_their_examples(name: str, entry: dict, example: str) -> None:
    triggers = [t for t in entry["triggers"] if t]
    if "" in entry["triggers"]:
        return  # the expression alone is enough ("6 tháng đầu năm 2026")
    assert phrase_regex(triggers).match(seen(example)), f"no trigger of {name} opens {example!r}"


def _length_in_months(start: str, end: str) -> int:
    (y1, m1), (y2, m2) = (map(int, start.split("-")[:2]), map(int, end.split("-")[:2]))
    return (y2 - y1) * 12 + m2 - m1 + 1


@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["deadline_phrases.yaml"], "key"))
def test_deadline_examples_read_as_their_kind(name: str, entry: dict, example: str) -> None:
    """The finder reads each example as the time expression its entry takes: a day, or a
    month, a quarter, half a year, a year, or a recurring phrase; and to the end of the example."""
    vocab = load_vocabulary()
    doc = DocText(example, vocab)
    # bare: an example is a phrase on its own, as in a table cell ("Năm 2025")
    found = DeadlineFinder(vocab).find(doc, 0, len(example), 2025, bare=True)
    assert len(found) == 1, found
    (deadline,) = found
    assert deadline.span.end == len(example)
    takes = entry["takes"]
    if takes == "none":
        assert (deadline.date, deadline.is_recurring) == (None, True)
        return
    assert deadline.period is not None
    if takes == "day":
        assert deadline.period.start == deadline.period.end
        has_year = re.search(r"(?:19|20)\d\d", example) is not None
        assert (deadline.date is not None) == has_year
        return
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[takes]
    assert deadline.date is None
    assert _length_in_months(deadline.period.start, deadline.period.end) == months


# --- doc_kinds.yaml ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["doc_kinds.yaml"], "kind"))
def test_kind_words_open_their_examples(name: str, entry: dict, example: str) -> None:
    assert phrase_regex(entry["words"]).match(seen(example)), f"no word of {name} opens {example!r}"


@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["doc_kinds.yaml"], "kind"))
def test_kind_examples_parse_to_their_kind(name: str, entry: dict, example: str) -> None:
    vocab = load_vocabulary()
    parser = CitationParser(vocab, OrgFinder(vocab))
    doc = DocText(normalize(f"Thực hiện {example}.", vocab).text, vocab)
    found = parser.parse(doc, None, None, None, None, len(doc.text))
    assert found, f"no citation in {example!r}"
    assert found[0].kind == entry["kind"]


@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["doc_kinds.yaml"], "kind"))
def test_kind_codes_name_their_examples(name: str, entry: dict, example: str) -> None:
    """Where an example carries a number-symbol, its type code is one of the entry's codes."""
    from ingest.parse.refs import REF, split_ref
    vocab = load_vocabulary()
    found = REF.search(fold(example))
    if found is None:
        return
    parts = split_ref(found.group("num"), found.group("sep"), example[found.start("sym"):found.end("sym")], vocab)
    if parts.type_code is None and (entry["kind"] in ("luat", "nghi_quyet") or (
            entry["kind"] == "cong_van" and parts.sep == "/")):
        # "193/2025/QH15", "24/2018/QH14": the National Assembly's laws and resolutions carry no
        # type code; nor does a State letter, N/ISSUER-UNIT (Nghị định 30/2020/NĐ-CP)
        return
    assert parts.type_code in entry["codes"], (parts, entry["codes"])


# --- layout.yaml ---------------------------------------------------------------------------------------

# The keys the header and footer parsers match at the start of a line; the mottos are searched.
_ANCHORED = {"number_line", "place_date", "subject_prefix", "recipients", "sent_to", "capacity"}


@pytest.mark.parametrize(("name", "entry", "example"),
                         [p for p in examples_of(DATA["layout.yaml"], "") if "pattern" in p.values[1]])
def test_layout_patterns_match_their_examples(name: str, entry: dict, example: str) -> None:
    pattern = load_vocabulary().layout[name]
    folded = matching_text(example, load_vocabulary())[0]
    found = pattern.match(folded) if name in _ANCHORED else pattern.search(folded)
    assert found, f"{name} does not match {example!r}"


@pytest.mark.parametrize(("name", "entry", "example"),
                         [p for p in examples_of(DATA["layout.yaml"], "") if "phrases" in p.values[1]])
def test_heading_phrases_match_their_examples(name: str, entry: dict, example: str) -> None:
    """Task parsing strips the item's marker, then matches the heading's own text."""
    vocab = load_vocabulary()
    own = re.sub(r"^(?:[IVXL]{1,5}|\d{1,2})[.)]\s+", "", example)
    pattern = vocab.non_task_headings if name == "non_task_headings" else vocab.task_headings
    assert pattern.match(seen(own)), f"{name} does not match {example!r}"


def test_a_request_is_not_a_requirements_heading() -> None:
    """ "Yêu cầu UBND các xã báo cáo …" opens a task (annotation guide: `Yêu cầu X …` → X leads);
    only a heading that is the word itself ("2. Yêu cầu") is a requirements section."""
    vocab = load_vocabulary()
    assert vocab.non_task_headings.match(seen("Yêu cầu"))
    assert not vocab.non_task_headings.fullmatch(seen("Yêu cầu UBND các xã báo cáo tiến độ hằng tháng"))


# --- roles.yaml ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["roles.yaml"], ""))
def test_role_phrases_match_their_examples(name: str, entry: dict, example: str) -> None:
    assert phrase_regex(list(entry["phrases"])).search(seen(example)), f"no phrase of {name} in {example!r}"


# --- ocr_confusions.yaml -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "entry", "example"),
                         examples_of(DATA["ocr_confusions.yaml"]["letters"], "seen"))
def test_ocr_letters_appear_in_their_examples(name: str, entry: dict, example: str) -> None:
    assert entry["seen"] in example


@pytest.mark.parametrize(("name", "entry", "example"), examples_of(DATA["ocr_confusions.yaml"]["words"], "seen"))
def test_ocr_words_are_repaired_in_their_examples(name: str, entry: dict, example: str) -> None:
    folded = fold_key(example)
    assert re.search(rf"(?<![a-z0-9]){re.escape(entry['seen'])}(?![a-z0-9])", folded), folded
    assert re.search(rf"(?<![a-z0-9]){re.escape(entry['meant'])}(?![a-z0-9])", seen(example)), seen(example)


# --- abbreviations.yaml ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "entry", "example"),
                         examples_of(DATA["abbreviations.yaml"]["symbols"], "code"))
def test_symbol_codes_appear_in_their_examples(name: str, entry: dict, example: str) -> None:
    assert re.search(rf"(?<![^\W_]){re.escape(entry['code'])}(?![^\W_])", example)


# --- malformed files ------------------------------------------------------------------------------------

def _break_yaml(name: str, change) -> callable:
    def write(folder: Path) -> None:
        path = folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return write


def _break_jsonl(name: str, line: int, change) -> callable:
    def write(folder: Path) -> None:
        path = folder / name
        rows = [json.loads(r) for r in path.read_text(encoding="utf-8").splitlines() if r.strip()]
        change(rows[line])
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return write


def _write_text(name: str, text: str) -> callable:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


MALFORMED = [
    pytest.param(_break_yaml("relations.yaml", lambda d: d[1].__setitem__("strength", "high")),
                 "relations.yaml", "entry 1/strength", id="relation_strength_not_an_integer"),
    pytest.param(_break_yaml("relations.yaml", lambda d: d[0].__setitem__("relation", "cites")),
                 "relations.yaml", "entry 0/relation", id="relation_outside_the_contract"),
    pytest.param(_break_yaml("deadline_phrases.yaml", lambda d: d[2].pop("examples")),
                 "deadline_phrases.yaml", "entry 2", id="deadline_entry_without_examples"),
    pytest.param(_break_yaml("deadline_phrases.yaml", lambda d: d[0].__setitem__("takes", "week")),
                 "deadline_phrases.yaml", "entry 0/takes", id="deadline_takes_unknown_grammar"),
    pytest.param(_break_yaml("roles.yaml", lambda d: d["lead_before"].__setitem__("examples", [])),
                 "roles.yaml", "entry lead_before/examples", id="role_with_empty_examples"),
    pytest.param(_break_yaml("layout.yaml", lambda d: d["capacity"].__setitem__("regex", "x")),
                 "layout.yaml", "entry capacity", id="layout_unknown_key"),
    pytest.param(_break_yaml("doc_kinds.yaml", lambda d: d[3].__setitem__("kind", "van_ban")),
                 "doc_kinds.yaml", "entry 3/kind", id="document_kind_outside_the_contract"),
    pytest.param(_break_yaml("ocr_confusions.yaml", lambda d: d["words"][0].pop("meant")),
                 "ocr_confusions.yaml", "entry words/0", id="ocr_word_without_meant"),
    pytest.param(_break_jsonl("organizations.jsonl", 3, lambda r: r.__setitem__("level", "ward")),
                 "organizations.jsonl", "entry 3/level", id="organization_unknown_level"),
    pytest.param(_write_text("abbreviations.yaml", "in_names: [unclosed\n"),
                 "abbreviations.yaml", "cannot be read", id="yaml_syntax_error"),
    pytest.param(_write_text("organizations.jsonl", '{"name": "Sở Nội vụ",\n'),
                 "organizations.jsonl", "cannot be read", id="jsonl_syntax_error"),
]


@pytest.mark.parametrize(("damage", "file", "where"), MALFORMED)
def test_malformed_vocabulary_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage, file: str,
                                          where: str) -> None:
    folder = tmp_path / "vocab"
    shutil.copytree(VOCAB_DIR, folder)
    damage(folder)
    monkeypatch.setattr(vocab_module, "VOCAB_DIR", folder)
    with pytest.raises(VocabularyError) as raised:
        vocab_module.read_vocabulary_files()
    message = str(raised.value)
    assert file in message and where in message, message


def test_the_copy_itself_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The malformed tests start from a valid copy: what fails there is the damage alone."""
    folder = tmp_path / "vocab"
    shutil.copytree(VOCAB_DIR, folder)
    monkeypatch.setattr(vocab_module, "VOCAB_DIR", folder)
    assert set(vocab_module.read_vocabulary_files()) == set(FILES)


# --- phrase_regex: the trie matches what the sorted alternation it replaced matched ---------

_PHRASE_LISTS = {
    "relations": [p for entry in DATA["relations.yaml"] for p in entry["phrases"]],
    "roles": [p for entry in DATA["roles.yaml"].values() for p in entry["phrases"]],
    "deadlines": [t for entry in DATA["deadline_phrases.yaml"] for t in entry["triggers"] if t],
    "name_stops": list(DATA["name_stops.yaml"]["words"]),
    "edge cases": ["a", "a b", "ab", "a bc", "b-c", "x&y", "k.t", "ab c d"],
}


def _sorted_alternation(phrases: list[str]) -> re.Pattern[str]:
    alternatives = sorted({fold_key(p) for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, alt.split(" "))) for alt in alternatives)
    return re.compile(rf"(?<![\w&])(?:{body})(?![\w&])")


@pytest.mark.parametrize("name", sorted(_PHRASE_LISTS))
def test_phrase_regex_matches_as_the_longest_first_alternation(name: str) -> None:
    phrases = _PHRASE_LISTS[name]
    trie, plain = phrase_regex(phrases), _sorted_alternation(phrases)
    words = sorted({w for p in phrases for w in fold_key(p).split()}) + ["x", "&", "-", "1", "_"]
    rng = random.Random(name)
    for _ in range(2000):
        text = "".join(rng.choice(words) + rng.choice([" ", "  ", "", "\n", ", ", "&", ".", "x"])
                       for _ in range(rng.randint(1, 8)))
        start = rng.randint(0, len(text))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        assert [m.span() for m in trie.finditer(text, start)] == [m.span() for m in plain.finditer(text, start)]
        found, expected = trie.match(text, start), plain.match(text, start)
        assert (found and found.span()) == (expected and expected.span()), (text, start)
