"""Whole-corpus scores of the parser on each document as printed and as damaged (issue #3).

Every document of the corpus (corpus/seeds and corpus/sample, txt and docx) is parsed in
four variants: as read, with every diacritic stripped, through the OCR noise model (three
fixed seeds), and hard-wrapped like a PDF copy (tests/noise_model.py says what each damage
imitates). The predictions of one variant go to one folder, `<stem>.json` beside the gold's
`<stem>.gold.json`, and the scorer runs once over the folder, seeds and sample together.

The per-field table of every variant is printed (`pytest -s`) and repeated in each failure
message, so a failing threshold shows which field to work on. Nothing here is xfail: a
threshold the parser does not reach yet fails.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from noise_model import ocr_damage, strip_diacritics, wrap_lines

from ingest.pipeline import Parser
from ingest.readers import read_source
from ingest.records import Source

pytestmark = pytest.mark.slow  # the whole corpus, six times

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED_SCORER = REPO.parent / "shared" / "tools" / "score.py"
# The folders of documents and the folders of their gold files.
CORPUS_PARTS = (("seeds", ("*.txt",)), ("sample", ("*.txt", "*.docx")))

# --- thresholds ------------------------------------------------------------------------------
# Issue #3: "macro F1 ≥ 0.95 on the seeds and on the corpus", documents as printed.
CLEAN_MACRO_F1 = 0.95
# Issue #3: "≥ 0.90 on citations and deadlines with every diacritic stripped".
STRIPPED_FIELD_F1 = {"citations.ref": 0.90, "citations.date": 0.90, "tasks.deadline": 0.90}
# Ours: stripping diacritics must not wreck the other fields either; 0.85 leaves room for the
# fields that need the marks to disambiguate (subject by token overlap, issuer names).
STRIPPED_MACRO_F1 = 0.85
# Ours: the contract promises to recover refs from OCR damage ("S6:671/LBLD" → 671/LĐLĐ), and
# deadlines are digits, which the noise model damages in one number of fifty; 0.80 allows
# for those and for the lines the noise model glues or cuts.
OCR_FIELD_F1 = {"citations.ref": 0.80, "tasks.deadline": 0.80}
# Ours: rejoining hard-wrapped lines is normalisation's job, so a PDF copy of a document
# should score as the document does; 0.03 is a few scored facts across the corpus.
WRAP_MAX_MACRO_DROP = 0.03

OCR_RATE = 0.9  # makes a document read like seed 004, see noise_model.ocr_damage
OCR_SEEDS = (1, 2, 3)
WRAP_WIDTH = 80  # an A4 line of 13-14 pt Times, the width of the seeds that came from PDFs

MISSES_SHOWN = 30


@dataclass(frozen=True)
class Document:
    stem: str
    path: Path
    gold: Path
    text: str
    format: str


@dataclass(frozen=True)
class Variant:
    name: str
    damage: Callable[[str, str], str]  # (text, stem) → damaged text
    # None: rejoin as the pipeline does for the format (not for DOCX paragraphs); True: the
    # text is now hard-wrapped whatever it came from, as a PDF copy is.
    rejoin: bool | None = None


def _ocr(seed: int) -> Callable[[str, str], str]:
    # One generator per document, seeded by seed and stem, so a document's damage does not
    # depend on which documents come before it.
    return lambda text, stem: ocr_damage(text, random.Random(f"{seed}:{stem}"), OCR_RATE)


VARIANTS = (
    Variant("clean", lambda text, stem: text),
    Variant("stripped", lambda text, stem: strip_diacritics(text)),
    *(Variant(f"ocr-s{seed}", _ocr(seed)) for seed in OCR_SEEDS),
    Variant("wrapped", lambda text, stem: wrap_lines(text, WRAP_WIDTH), rejoin=True),
)


@dataclass
class Result:
    summary: dict[str, Any]  # the scorer's --json output
    misses: dict[str, list[str]] = field(default_factory=dict)  # stem → what went wrong
    crashes: dict[str, str] = field(default_factory=dict)  # stem → exception
    scorer: str = ""  # which scorer produced the summary


# --- scorer ----------------------------------------------------------------------------------

def _load_scorer() -> tuple[str, Callable[[Path, Path], Result]]:
    """The project's scorer (ingest/evaluate.py) when it is there, else the shared one,
    imported by path; both compute the figures `score.py --json` prints."""
    if importlib.util.find_spec("ingest.evaluate") is not None:
        from ingest import evaluate

        if hasattr(evaluate, "score_corpus") and hasattr(evaluate, "load_gold"):
            return "ingest/evaluate.py", lambda gold, pred: _score_with_project(evaluate, gold, pred)
    if not SHARED_SCORER.is_file():
        pytest.fail(f"no scorer: ingest/evaluate.py (score_corpus, load_gold) is missing and so is "
                    f"{SHARED_SCORER}")
    spec = importlib.util.spec_from_file_location("chidao_shared_score", SHARED_SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up by name
    spec.loader.exec_module(module)
    return str(SHARED_SCORER), lambda gold, pred: _score_with_shared(module, gold, pred)


def _score_with_project(evaluate: ModuleType, gold_dir: Path, pred_dir: Path) -> Result:
    gold = evaluate.load_gold(gold_dir)
    predictions = {path.name[: -len(".json")]: evaluate.load_json(path) for path in pred_dir.glob("*.json")}
    report = evaluate.score_corpus(gold, predictions)
    result = Result(report.to_json())
    for stem, misses in report.misses.items():
        listed = list(misses) + _citation_date_misses(gold[stem], predictions.get(stem, {}))
        if listed:
            result.misses[stem] = listed
    return result


def _score_with_shared(score: ModuleType, gold_dir: Path, pred_dir: Path) -> Result:
    """score.py's main() without its argument parsing, keeping each document's misses."""
    tallies = {name: score.Tally() for name in score.FIELDS}
    result = Result({})
    missing = []
    for gold_file in sorted(gold_dir.glob("*.gold.json")):
        stem = gold_file.name[: -len(".gold.json")]
        pred_file = pred_dir / f"{stem}.json"
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        if pred_file.exists():
            pred = json.loads(pred_file.read_text(encoding="utf-8"))
        else:
            missing.append(stem)
            pred = {"document": {}, "citations": [], "tasks": []}
        misses: list[str] = []
        score.score_document(gold, pred, tallies, misses)
        misses.extend(_citation_date_misses(gold, pred))
        if misses:
            result.misses[stem] = misses
    figures = {name: tally.figures() for name, tally in tallies.items()}
    macro = sum(figures[name]["f1"] for name in score.FIELDS) / len(score.FIELDS)
    result.summary = {"documents": len(list(gold_dir.glob("*.gold.json"))), "missing_predictions": missing,
                      "macro_f1": round(macro, 3), "fields": figures}
    return result


def _ref_key(ref: str | None) -> str:
    return re.sub(r"\s+", "", strip_diacritics(unicodedata.normalize("NFC", ref or ""))).upper()


def _citation_date_misses(gold: dict, pred: dict) -> list[str]:
    """The scorer counts wrong citation dates without naming them; name them."""
    predicted = {_ref_key(c.get("ref")): c for c in pred.get("citations") or [] if c.get("ref")}
    out = []
    for cite in gold.get("citations", []):
        found = predicted.get(_ref_key(cite.get("ref")))
        if cite.get("ref") and cite.get("date") and found and found.get("date") != cite["date"]:
            out.append(f"citation date: {cite['ref']} gold={cite['date']} pred={found.get('date')}")
    return out


# --- corpus and parsing ----------------------------------------------------------------------

def _corpus() -> list[Document]:
    documents = []
    for part, patterns in CORPUS_PARTS:
        for pattern in patterns:
            for path in sorted((CORPUS / part).glob(pattern)):
                source = read_source(path)
                gold = CORPUS / "gold" / part / f"{path.stem}.gold.json"
                documents.append(Document(path.stem, path, gold, source.text, source.format))
    return sorted(documents, key=lambda d: d.stem)


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser.build()


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    found = _corpus()
    assert found, f"no documents under {CORPUS}"
    return found


@pytest.fixture(scope="module")
def results(parser: Parser, documents: list[Document], tmp_path_factory) -> dict[str, Result]:
    scorer_name, score = _load_scorer()
    gold_dir = tmp_path_factory.mktemp("gold")
    for doc in documents:
        if doc.gold.is_file():
            shutil.copy(doc.gold, gold_dir / doc.gold.name)
    out: dict[str, Result] = {}
    for variant in VARIANTS:
        pred_dir = tmp_path_factory.mktemp(f"pred-{variant.name}")
        crashes = {}
        for doc in documents:
            text = variant.damage(doc.text, doc.stem)
            source = Source(str(doc.path.relative_to(REPO)), hashlib.sha256(text.encode("utf-8")).hexdigest(),
                            doc.format)
            rejoin = doc.format != "docx" if variant.rejoin is None else variant.rejoin
            try:
                record = parser.parse_text(text, source, rejoin=rejoin).to_json()
            except Exception as exc:  # noqa: BLE001 - reported by test_no_variant_crashes
                crashes[doc.stem] = f"{type(exc).__name__}: {exc}"
                continue
            (pred_dir / f"{doc.stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        result = score(gold_dir, pred_dir)
        result.crashes = crashes
        result.scorer = scorer_name
        out[variant.name] = result
    print(f"\n{_table(out)}")
    return out


# --- reporting -------------------------------------------------------------------------------

def _table(results: dict[str, Result]) -> str:
    names = list(results)
    first = next(iter(results.values()))
    fields = list(first.summary["fields"])
    head = f"{'F1 per field':22}" + "".join(f"{name:>10}" for name in names)
    lines = [f"whole corpus, {first.summary['documents']} documents; scorer {first.scorer}", head]
    for name in fields:
        lines.append(f"{name:22}" + "".join(f"{results[v].summary['fields'][name]['f1']:10.3f}" for v in names))
    lines.append(f"{'macro F1':22}" + "".join(f"{results[v].summary['macro_f1']:10.3f}" for v in names))
    return "\n".join(lines)


# Which of the scorer's miss lines belong to a field.
_MISS_PREFIXES = {"citations.ref": ("citation missed", "citation spurious"),
                  "citations.date": ("citation date",),
                  "tasks.deadline": ("deadline missed", "deadline spurious"),
                  "tasks.assignment": ("assignment missed",)}


def _misses(result: Result, fields: list[str] | None = None) -> str:
    lines = []
    for stem, misses in sorted(result.misses.items()):
        for miss in misses:
            if fields is None or any(miss.startswith(_MISS_PREFIXES.get(f, (f,))) for f in fields):
                lines.append(f"  {stem}: {miss}")
    shown = lines[:MISSES_SHOWN]
    if len(lines) > MISSES_SHOWN:
        shown.append(f"  … and {len(lines) - MISSES_SHOWN} more")
    return "\n".join(shown) or "  (none listed)"


def _report(results: dict[str, Result], variant: str, fields: list[str] | None = None) -> str:
    return f"\n{_table(results)}\n{variant}: misses{' in ' + ', '.join(fields) if fields else ''}:\n" \
           f"{_misses(results[variant], fields)}"


def _f1(results: dict[str, Result], variant: str, name: str) -> float:
    return results[variant].summary["fields"][name]["f1"]


# --- tests -----------------------------------------------------------------------------------

def test_every_document_has_gold(documents: list[Document]) -> None:
    without = [d.stem for d in documents if not d.gold.is_file()]
    assert not without, f"documents without a gold file: {without}"
    stems = [d.stem for d in documents]
    assert len(stems) == len(set(stems)), "two documents share a stem: their predictions would collide"
    golds = {p.name[: -len(".gold.json")] for part, _ in CORPUS_PARTS
             for p in (CORPUS / "gold" / part).glob("*.gold.json")}
    assert golds <= set(stems), f"gold files without a document: {sorted(golds - set(stems))}"


def test_no_variant_crashes(results: dict[str, Result]) -> None:
    crashes = {f"{v}/{stem}": why for v, r in results.items() for stem, why in r.crashes.items()}
    assert not crashes, f"parse_text raised on: {json.dumps(crashes, ensure_ascii=False, indent=1)}"


def test_clean_macro_f1(results: dict[str, Result]) -> None:
    macro = results["clean"].summary["macro_f1"]
    assert macro >= CLEAN_MACRO_F1, \
        f"clean macro F1 {macro:.3f} < {CLEAN_MACRO_F1} (issue #3){_report(results, 'clean')}"


@pytest.mark.parametrize("name", sorted(STRIPPED_FIELD_F1))
def test_stripped_field_f1(results: dict[str, Result], name: str) -> None:
    f1 = _f1(results, "stripped", name)
    assert f1 >= STRIPPED_FIELD_F1[name], \
        f"stripped {name} F1 {f1:.3f} < {STRIPPED_FIELD_F1[name]} (issue #3){_report(results, 'stripped', [name])}"


def test_stripped_macro_f1(results: dict[str, Result]) -> None:
    macro = results["stripped"].summary["macro_f1"]
    assert macro >= STRIPPED_MACRO_F1, \
        f"stripped macro F1 {macro:.3f} < {STRIPPED_MACRO_F1}{_report(results, 'stripped')}"


@pytest.mark.parametrize("seed", OCR_SEEDS)
@pytest.mark.parametrize("name", sorted(OCR_FIELD_F1))
def test_ocr_field_f1(results: dict[str, Result], name: str, seed: int) -> None:
    variant = f"ocr-s{seed}"
    f1 = _f1(results, variant, name)
    assert f1 >= OCR_FIELD_F1[name], \
        f"{variant} (rate {OCR_RATE}) {name} F1 {f1:.3f} < {OCR_FIELD_F1[name]}{_report(results, variant, [name])}"


def test_wrapped_macro_close_to_clean(results: dict[str, Result]) -> None:
    clean, wrapped = results["clean"].summary["macro_f1"], results["wrapped"].summary["macro_f1"]
    assert wrapped >= clean - WRAP_MAX_MACRO_DROP, \
        f"wrapped at {WRAP_WIDTH} macro F1 {wrapped:.3f} is more than {WRAP_MAX_MACRO_DROP} below clean " \
        f"{clean:.3f}{_report(results, 'wrapped')}"
