"""ingest.evaluate: the same figures as the shared scorer, and the metric's rules one by one.

The parity tests run shared/tools/score.py (beside this repository, as CI lays it out)
on the very records that ingest.evaluate scores in memory: the parser's output on the
sample and seed corpora, and a damaged copy of it that reaches the rarer branches
(missing records, duplicate refs, abbreviated issuers, wrong dates and relations).
"""
from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import chidao
from ingest.batch import find_sources, parse_batch
from ingest.evaluate import (
    FIELDS,
    Count,
    fold,
    fold_ref,
    load_gold,
    org_tokens,
    same_org,
    same_text,
    score_corpus,
    score_document,
)
from ingest.outputs import write_record

REPO = Path(__file__).resolve().parent.parent
SHARED_SCORER = REPO.parent / "shared" / "tools" / "score.py"
CORPORA = {"sample": REPO / "corpus" / "sample", "seeds": REPO / "corpus" / "seeds"}
GOLD = {name: REPO / "corpus" / "gold" / name for name in CORPORA}


def shared_scorer() -> Path:
    if SHARED_SCORER.exists():
        return SHARED_SCORER
    message = f"{SHARED_SCORER} not found: parity with the shared scorer cannot be checked"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must have shared/ beside the clone)")
    pytest.skip(message + "; put shared/ beside the repository to run it")


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    """corpus name → stem → record, parsed once for the module."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name, folder in CORPORA.items():
        sources, _ = find_sources([folder])
        out[name] = {item.path.stem: item.record for item in parse_batch(sources) if item.record}
        assert len(out[name]) == len(sources)
    return out


def write_predictions(records: dict[str, dict[str, Any]], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, record in records.items():
        write_record(record, folder / f"{stem}.json")
    return folder


def run_shared_scorer(gold: Path, pred: Path) -> dict[str, Any]:
    command = [sys.executable, str(shared_scorer()), "--gold", str(gold), "--pred", str(pred), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def damage(records: dict[str, dict[str, Any]], seed: int) -> dict[str, dict[str, Any]]:
    """A worse copy of the predictions, one deterministic kind of damage per document."""
    rng = random.Random(seed)
    damaged: dict[str, dict[str, Any]] = {}
    for index, (stem, original) in enumerate(sorted(records.items())):
        record = copy.deepcopy(original)
        doc, cites, tasks = record["document"], record["citations"], record["tasks"]
        match index % 8:
            case 0:
                continue  # no prediction at all
            case 1 if cites:
                cites.pop(rng.randrange(len(cites)))
                cites.append({**cites[0], "ref": cites[0]["ref"].lower()} if cites else {"ref": "1/X"})
            case 2:
                doc["issuer"] = (doc["issuer"] or "").replace("Ủy ban nhân dân", "UBND")
                doc["signer"] = None
            case 3 if cites:
                for citation in cites:
                    citation["date"] = "2020-01-01" if rng.random() < 0.5 else citation["date"]
                    citation["relation"] = "mentions"
            case 4 if tasks:
                for task in tasks:
                    task["lead"], task["support"] = task["support"], task["lead"]
                tasks.append({"id": "x", "text": "x", "lead": ["Sở KH&CN"], "support": [],
                              "deadline": tasks[0]["deadline"] or "2026-01-01"})
            case 5:
                doc["subject"] = " ".join((doc["subject"] or "").split()[::2])
                doc["ref"] = (doc["ref"] or "").replace("Đ", "D").lower()
            case 6:
                record["document"] = None  # the shared scorer reads a null document as empty
            case _:
                doc["kind"] = "other"
                doc["place"] = fold(doc["place"]).upper() if doc["place"] else "Hà Nội"
        damaged[stem] = record
    return damaged


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_same_figures_as_the_shared_scorer(corpus: str, parsed: dict, tmp_path: Path) -> None:
    pred = write_predictions(parsed[corpus], tmp_path / "pred")
    expected = run_shared_scorer(GOLD[corpus], pred)
    report = score_corpus(load_gold(GOLD[corpus]), parsed[corpus])
    assert report.to_json() == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_figures_as_the_shared_scorer_on_damaged_predictions(seed: int, parsed: dict,
                                                                   tmp_path: Path) -> None:
    records = damage(parsed["sample"], seed)
    pred = write_predictions(records, tmp_path / "pred")
    expected = run_shared_scorer(GOLD["sample"], pred)
    assert expected["missing_predictions"]  # the damage reached the rarer branches
    report = score_corpus(load_gold(GOLD["sample"]), records)
    assert report.to_json() == expected


def test_eval_command_reads_and_parses_the_same(parsed: dict, tmp_path: Path) -> None:
    pred = write_predictions(parsed["sample"], tmp_path / "pred")
    gold = ["--gold", str(GOLD["sample"]), "--json"]
    from_pred = CliRunner().invoke(chidao, ["eval", "--pred", str(pred), *gold])
    from_corpus = CliRunner().invoke(chidao, ["eval", str(CORPORA["sample"]), *gold])
    assert from_pred.exit_code == from_corpus.exit_code == 0, from_corpus.stderr
    assert json.loads(from_pred.stdout) == json.loads(from_corpus.stdout)
    assert set(json.loads(from_pred.stdout)["fields"]) == set(FIELDS)


def test_eval_command_lists_misses(tmp_path: Path) -> None:
    pred = write_predictions({}, tmp_path / "pred")  # nothing predicted: every gold fact is a miss
    args = ["eval", "--pred", str(pred), "--gold", str(GOLD["seeds"]), "--misses"]
    result = CliRunner().invoke(chidao, args)
    assert result.exit_code == 0
    assert "## 001_bd32b1ea4bdd5c5a" in result.stdout and "citation missed: " in result.stdout
    assert "no record for: 001_bd32b1ea4bdd5c5a" in result.stdout


def test_eval_command_reports_an_unreadable_prediction(tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "001_bd32b1ea4bdd5c5a.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(chidao, ["eval", "--pred", str(pred), "--gold", str(GOLD["seeds"])])
    assert result.exit_code == 1
    assert f"{pred / '001_bd32b1ea4bdd5c5a.json'}: invalid JSON at line 1" in result.stderr


def gold_record(**document: Any) -> dict[str, Any]:
    base = {"kind": "cong_van", "ref": "12/UBND-VX", "date": "2026-01-15", "place": "Lai Châu",
            "issuer": "Ủy ban nhân dân tỉnh Lai Châu", "subject": "triển khai Nghị quyết số 57-NQ/TW",
            "signer": "Nguyễn Văn A"}
    return {"document": {**base, **document}, "citations": [], "tasks": []}


def test_a_wrong_deadline_is_a_miss_and_a_spurious_one() -> None:
    gold = {**gold_record(), "tasks": [{"id": "1", "lead": [], "support": [], "deadline": "2026-01-25"}]}
    pred = {**gold_record(), "tasks": [{"id": "1", "lead": [], "support": [], "deadline": "2026-01-26"}]}
    scored = score_document(gold, pred)
    assert scored.counts["tasks.deadline"] == Count(tp=0, pred=1, gold=1)
    assert "deadline missed: 2026-01-25" in scored.misses
    assert "deadline spurious: 2026-01-26" in scored.misses


def test_deadlines_are_a_multiset() -> None:
    tasks = [{"id": str(i), "deadline": "2026-06-30"} for i in range(3)]
    scored = score_document({**gold_record(), "tasks": tasks}, {**gold_record(), "tasks": tasks[:2]})
    assert scored.counts["tasks.deadline"] == Count(tp=2, pred=2, gold=3)


def test_a_spurious_citation_costs_precision_only() -> None:
    cited = {"ref": "57-NQ/TW", "kind": "nghi_quyet", "date": "2024-12-22", "issuer": "Bộ Chính trị",
             "relation": "implements"}
    extra = {**cited, "ref": "71/NQ-CP", "date": "2025-04-01"}
    gold = {**gold_record(), "citations": [cited]}
    pred = {**gold_record(), "citations": [{**cited, "ref": "57-nq/tw"}, extra]}
    scored = score_document(gold, pred)
    assert scored.counts["citations.ref"] == Count(tp=1, pred=2, gold=1)
    assert scored.counts["citations.date"] == Count(tp=1, pred=1, gold=1)
    assert scored.misses == ("citation spurious: 71/NQ-CP",)
    figures = score_corpus({"d": gold}, {"d": pred}).fields["citations.ref"]
    assert (figures.precision, figures.recall, figures.f1) == (0.5, 1.0, 0.667)


@pytest.mark.parametrize(("gold_name", "pred_name"), [
    ("Ủy ban nhân dân tỉnh Lai Châu", "UBND tỉnh Lai Châu"),
    ("Ủy ban nhân dân tỉnh Lai Châu", "UBND"),  # the place and "tỉnh" do not count
    ("Sở Khoa học và Công nghệ tỉnh Lai Châu", "Sở KH&CN"),
    ("Liên đoàn Lao động tỉnh Lai Châu", "LĐLĐ tỉnh"),
    ("Ban Thường vụ Tỉnh ủy Lai Châu", "BTV Tỉnh uỷ"),
], ids=["ubnd", "ubnd-bare", "kh&cn", "ldld", "btv-tinh-uy"])
def test_an_abbreviated_issuer_is_the_same_issuer(gold_name: str, pred_name: str) -> None:
    scored = score_document(gold_record(issuer=gold_name), gold_record(issuer=pred_name))
    assert scored.counts["document.issuer"] == Count(1, 1, 1), org_tokens(pred_name, "Lai Châu")


def test_another_issuer_is_not() -> None:
    assert not same_org("Sở Tài chính", "Sở Tư pháp", "Lai Châu")
    assert not same_org("Tỉnh ủy Lai Châu", "Ủy ban nhân dân tỉnh Lai Châu", "Lai Châu")
    scored = score_document(gold_record(), gold_record(issuer=None))
    assert scored.counts["document.issuer"] == Count(0, 1, 1)


def test_issuer_aliases_count() -> None:
    gold = gold_record(issuer="Sở Tài chính tỉnh Lạng Sơn", place="Lạng Sơn")
    gold["document"]["issuer_aliases"] = ["STC"]
    assert score_document(gold, gold_record(issuer="STC", place="Lạng Sơn")).counts["document.issuer"].tp == 1


def test_signer_is_unscored_when_the_gold_has_none() -> None:
    scored = score_document(gold_record(signer=None), gold_record(signer="Trần Thị B"))
    assert "document.signer" not in scored.counts
    report = score_corpus({"d": gold_record(signer=None)}, {"d": gold_record()})
    assert report.fields["document.signer"].gold == 0 and report.fields["document.signer"].f1 == 1.0


def test_fields_the_gold_marks_unscored_are_skipped() -> None:
    gold = {**gold_record(), "unscored": ["place", "date"]}
    scored = score_document(gold, gold_record(place="Hà Nội", date=None))
    assert "document.place" not in scored.counts and "document.date" not in scored.counts


def test_assignments_are_matched_greedily_per_role() -> None:
    gold_tasks = [{"id": "1", "lead": ["Sở Tài chính"], "support": ["Sở Nội vụ"]},
                  {"id": "2", "lead": ["Sở Tài chính", "Sở Tư pháp"], "support": []}]
    pred_tasks = [{"id": "1", "lead": ["Sở Tài chính", "Sở Nội vụ"], "support": []}]
    scored = score_document({**gold_record(), "tasks": gold_tasks}, {**gold_record(), "tasks": pred_tasks})
    # gold: (Tài chính, lead), (Nội vụ, support), (Tư pháp, lead); Nội vụ as lead is the wrong role
    assert scored.counts["tasks.assignment"] == Count(tp=1, pred=2, gold=3)
    assert "assignment missed: support Sở Nội vụ" in scored.misses


def test_an_empty_prediction_scores_nothing_found() -> None:
    report = score_corpus({"d": gold_record()}, {})
    assert report.missing_predictions == ("d",)
    assert report.fields["document.kind"].recall == 0.0
    # Nothing to find and nothing found is perfect, as in the shared scorer.
    assert report.fields["citations.ref"].f1 == 1.0


def test_folding_and_text_overlap() -> None:
    assert fold("  Ủy  BAN\tnhân dân Đắk Lắk ") == "uy ban nhan dan dak lak"
    assert fold_ref("57-nq/ tw") == "57-NQ/TW" and fold_ref("2653/KH-UBND") == fold_ref("2653/kh-ubnd")
    assert fold_ref("12/QĐ-UBND") == fold_ref("12/QD-UBND")
    assert same_text("triển khai Nghị quyết số 57-NQ/TW", "Triển khai nghị quyết 57-NQ/TW")
    assert not same_text("triển khai Nghị quyết số 57-NQ/TW", "báo cáo kết quả năm 2025")
