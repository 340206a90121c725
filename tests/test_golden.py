"""One golden file per corpus document, and each document scored against its gold.

Two checks per document of corpus/seeds, corpus/sample and corpus/dev:
- its hand-made gold (corpus/gold/…/<stem>.gold.json) scores at least PER_DOCUMENT_F1
  macro F1, so one document cannot quietly collapse while the corpus average holds;
- its record's extracted facts equal tests/golden/<stem>.json, the reviewed snapshot.
  A parser change that moves any fact fails here until the snapshot is rewritten with
  CHIDAO_UPDATE_GOLDEN=1 and the diff is read in the commit (eyecite's golden files).
The snapshot keeps the facts, not the offsets or the text, so it reads as a review.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from ingest.evaluate import score_corpus
from ingest.pipeline import Parser, parse_file

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CORPORA = {"seeds": ROOT / "corpus" / "seeds", "sample": ROOT / "corpus" / "sample", "dev": ROOT / "corpus" / "dev"}
# Below the corpus target (0.95) on purpose: a document is short, one miss costs a lot.
PER_DOCUMENT_F1 = 0.85
UPDATE = os.environ.get("CHIDAO_UPDATE_GOLDEN") == "1"


def _documents() -> list[tuple[str, Path]]:
    return [(corpus, path) for corpus, folder in CORPORA.items() for path in sorted(folder.iterdir())
            if path.suffix in (".txt", ".docx", ".pdf")]


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser.build()


def facts(record: dict[str, Any]) -> dict[str, Any]:
    """What a reviewer reads: the contract's fields, the generic bodies and the warnings."""
    document = {k: record["document"][k] for k in
                ("kind", "number", "symbol", "ref", "issuer", "date", "place", "subject", "signer",
                 "signing_capacity", "recipients")}
    citations = [{k: c[k] for k in ("ref", "kind", "date", "issuer", "relation", "title")}
                 for c in record["citations"]]
    tasks = [{k: t[k] for k in ("id", "lead", "support", "generic", "deadline", "deadline_text",
                                "implicit_lead")} for t in record["tasks"]]
    warnings = [w["code"] for w in record["warnings"]]
    return {"document": document, "citations": citations, "tasks": tasks, "warnings": warnings}


@pytest.mark.parametrize(("corpus", "path"), _documents(), ids=lambda v: getattr(v, "stem", v))
def test_document_against_gold_and_golden(corpus: str, path: Path, parser: Parser) -> None:
    record = parse_file(path, parser).to_json()
    gold = json.loads((ROOT / "corpus" / "gold" / corpus / f"{path.stem}.gold.json").read_text(encoding="utf-8"))
    report = score_corpus({path.stem: gold}, {path.stem: record})
    misses = "\n".join(report.misses.get(path.stem, ()))
    assert report.macro_f1 >= PER_DOCUMENT_F1, f"{path.name}: macro F1 {report.macro_f1:.3f}\n{misses}"

    golden_path = GOLDEN / f"{path.stem}.json"
    current = facts(record)
    if UPDATE or not golden_path.exists():
        if not UPDATE and os.environ.get("CI") == "true":
            pytest.fail(f"{golden_path} is missing: run CHIDAO_UPDATE_GOLDEN=1 and commit it")
        GOLDEN.mkdir(exist_ok=True)
        golden_path.write_text(json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                               encoding="utf-8")
        return
    expected = json.loads(golden_path.read_text(encoding="utf-8"))
    assert current == expected, (
        f"{path.name}: the extracted facts changed; if the change is right, rewrite the golden file "
        f"with CHIDAO_UPDATE_GOLDEN=1 and review the diff")
