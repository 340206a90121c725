"""Scores parsed records against gold annotations: precision, recall and F1 per field.

The metric is the shared scorer's (shared/tools/score.py, described at the end of
docs/contract/parsed-document.md), reimplemented here so that `chidao eval` can score
records in memory and list misses; tests/test_evaluate.py checks that both give the
same figures. Anything that changes a figure — the folding, the abbreviation table,
a threshold, the rounding — is part of the metric's definition: change it in the shared
scorer first, then here, never here alone.

Gold and predicted records are plain dicts with the contract's keys.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .errors import UnreadableJSON

T = TypeVar("T")

FIELDS: tuple[str, ...] = (
    "document.kind", "document.ref", "document.date", "document.place",
    "document.issuer", "document.subject", "document.signer",
    "citations.ref", "citations.date", "citations.relation",
    "tasks.assignment", "tasks.deadline",
)

# Mirrors the shared scorer's ABBREVIATIONS (shared/tools/score.py): folded words → what
# they stand for. It is not ingest/vocab/abbreviations.yaml and must not be loaded from
# it: the parser's vocabulary grows, the metric must stay fixed.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ldld": "lien doan lao dong",
    "bcd": "ban chi dao",
    "btv": "ban thuong vu",
    "bch": "ban chap hanh",
    "mttq": "mat tran to quoc",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
    "skhcn": "so khoa hoc va cong nghe",
    "tt&tt": "thong tin va truyen thong",
    "vpubnd": "van phong uy ban nhan dan",
    "tw": "trung uong",
    "du": "dang uy",
    "cp": "chinh phu",
    "ttg": "thu tuong chinh phu",
}
# Also the shared scorer's: "tỉnh ủy" is one thing, not the place word "tỉnh" plus "ủy".
COMPOUNDS: dict[str, str] = {"tinh uy": "tinh_uy", "thanh uy": "thanh_uy", "dang uy": "dang_uy"}
# Words whose presence or absence does not make a different organisation.
DROP_TOKENS = frozenset({"tinh", "cac", "cua", "thuoc", "truc"})
ORG_MATCH = 0.85  # token dice for two organisation names to count as one
TEXT_MATCH = 0.8  # token dice for two subjects to count as one
_EMPTY_PREDICTION: dict[str, Any] = {"document": {}, "citations": [], "tasks": []}



def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ → d), white space collapsed: the scorer's own folding.

    Not ingest.fold: that one keeps lengths for span mapping; this one defines the metric.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").lower().split())


def fold_ref(ref: str | None) -> str:
    return "".join(fold(ref).split()).upper()


def _replace_words(text: str, old: str, new: str) -> str:
    # Non-overlapping str.replace on " old ", as the shared scorer does: of two adjacent
    # occurrences only the first matches, since they would share the space between them.
    return text.replace(f" {old} ", f" {new} ")


def org_tokens(name: str | None, place: str | None = None) -> frozenset[str]:
    """An organisation name as a set of words: abbreviations expanded, the place dropped.

    The place goes because a provincial record names its own province inconsistently:
    "Sở Tài chính" and "Sở Tài chính tỉnh Lạng Sơn" are the same office.
    """
    words = [ABBREVIATIONS.get(word, word) for word in re.sub(r"[^\w&]+", " ", fold(name)).split()]
    text = f" {' '.join(words)} "
    for phrase, token in COMPOUNDS.items():
        text = _replace_words(text, phrase, token)
    for word in fold(place).split():
        text = _replace_words(text, word, "")
    return frozenset(word for word in text.split() if word not in DROP_TOKENS)


def _dice(common: int, total: int) -> float:
    return 2 * common / total if total else 1.0


def same_org(a: str | None, b: str | None, place: str | None) -> bool:
    ta, tb = org_tokens(a, place), org_tokens(b, place)
    return _dice(len(ta & tb), len(ta) + len(tb)) >= ORG_MATCH


def _text_tokens(text: str | None) -> Counter[str]:
    return Counter(re.sub(r"[^\w]+", " ", fold(text)).split())


def same_text(a: str | None, b: str | None) -> bool:
    ta, tb = _text_tokens(a), _text_tokens(b)
    return _dice(sum((ta & tb).values()), ta.total() + tb.total()) >= TEXT_MATCH


def count_greedy_matches(gold: Sequence[T], pred: Sequence[T], same: Callable[[T, T], bool]) -> int:
    """Each gold item takes the first unused prediction it matches, in order."""
    unused = list(pred)
    hits = 0
    for wanted in gold:
        for index, candidate in enumerate(unused):
            if same(wanted, candidate):
                hits += 1
                del unused[index]
                break
    return hits



@dataclass(frozen=True, slots=True)
class Figures:
    precision: float
    recall: float
    f1: float
    tp: int
    pred: int
    gold: int

    def to_json(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "pred": self.pred, "gold": self.gold}


@dataclass(frozen=True, slots=True)
class Count:
    """True positives, predictions and gold items of one field, summed over documents."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.tp + other.tp, self.pred + other.pred, self.gold + other.gold)

    def figures(self) -> Figures:
        # Nothing predicted is perfect precision only when there was nothing to find.
        precision = self.tp / self.pred if self.pred else (0.0 if self.gold else 1.0)
        recall = self.tp / self.gold if self.gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        # Three decimals, as the shared scorer prints and averages them.
        return Figures(round(precision, 3), round(recall, 3), round(f1, 3), self.tp, self.pred, self.gold)


@dataclass(frozen=True, slots=True)
class DocumentScore:
    counts: dict[str, Count]  # only the fields scored on this document
    misses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    documents: tuple[str, ...]  # gold stems, sorted
    missing_predictions: tuple[str, ...]
    fields: dict[str, Figures]
    misses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # stem → misses

    @property
    def macro_f1(self) -> float:
        # The mean of the rounded per-field F1s, rounded: the shared scorer's definition.
        return round(sum(self.fields[name].f1 for name in FIELDS) / len(FIELDS), 3)

    def to_json(self, *, with_misses: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": len(self.documents),
                               "missing_predictions": list(self.missing_predictions),
                               "macro_f1": self.macro_f1,
                               "fields": {name: self.fields[name].to_json() for name in FIELDS}}
        if with_misses:
            out["misses"] = {stem: list(misses) for stem, misses in self.misses.items() if misses}
        return out



def score_document(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> DocumentScore:
    place = gold["document"].get("place")
    counts: dict[str, Count] = {}
    misses: list[str] = []
    for part in (_score_header(gold, pred), _score_citations(gold, pred),
                 _score_assignments(gold, pred, place), _score_deadlines(gold, pred)):
        counts.update(part.counts)
        misses.extend(part.misses)
    return DocumentScore(counts, tuple(misses))


def score_corpus(gold: Mapping[str, Mapping[str, Any]],
                 predictions: Mapping[str, Mapping[str, Any]]) -> Report:
    """Score every gold document; one without a prediction scores as an empty record."""
    totals = {name: Count() for name in FIELDS}
    misses: dict[str, tuple[str, ...]] = {}
    stems = tuple(sorted(gold))
    for stem in stems:
        scored = score_document(gold[stem], predictions.get(stem, _EMPTY_PREDICTION))
        for name, count in scored.counts.items():
            totals[name] = totals[name] + count
        misses[stem] = scored.misses
    missing = tuple(stem for stem in stems if stem not in predictions)
    return Report(stems, missing, {name: totals[name].figures() for name in FIELDS}, misses)


def _score_header(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> DocumentScore:
    gd, pd = gold["document"], pred.get("document") or {}
    place = gd.get("place")
    unscored = set(gold.get("unscored", []))
    if gd.get("signer") is None:  # the annotator could not read one; no one to find
        unscored.add("signer")
    issuer_names = [name for name in [gd.get("issuer"), *gd.get("issuer_aliases", [])] if name]
    predicted_issuer = pd.get("issuer")
    verdicts = {
        "kind": gd.get("kind") == pd.get("kind"),
        "ref": fold_ref(gd.get("ref")) == fold_ref(pd.get("ref")),
        "date": gd.get("date") == pd.get("date"),
        "place": fold(gd.get("place")) == fold(pd.get("place")),
        "signer": fold(gd.get("signer")) == fold(pd.get("signer")),
        "issuer": bool(predicted_issuer) and any(same_org(n, predicted_issuer, place) for n in issuer_names),
        "subject": same_text(gd.get("subject"), pd.get("subject")),
    }
    counts: dict[str, Count] = {}
    misses: list[str] = []
    for name, is_right in verdicts.items():
        if name in unscored:
            continue
        counts[f"document.{name}"] = Count(int(is_right), 1, 1)
        if not is_right:
            misses.append(f"document.{name}: gold={gd.get(name)!r} pred={pd.get(name)!r}")
    return DocumentScore(counts, tuple(misses))


def _by_ref(citations: Sequence[Mapping[str, Any]] | None) -> dict[str, Mapping[str, Any]]:
    # Keyed by folded ref; a second citation of the same ref replaces the first, as in the
    # shared scorer. Citations without a ref (named documents) are not scored.
    return {fold_ref(c.get("ref")): c for c in citations or [] if c.get("ref")}


def _score_citations(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> DocumentScore:
    gold_cites, pred_cites = _by_ref(gold.get("citations")), _by_ref(pred.get("citations"))
    hits = gold_cites.keys() & pred_cites.keys()
    misses = [f"citation missed: {gold_cites[ref]['ref']}"
              for ref in sorted(gold_cites.keys() - pred_cites.keys())]
    misses += [f"citation spurious: {pred_cites[ref].get('ref')}"
               for ref in sorted(pred_cites.keys() - gold_cites.keys())]
    counts = {"citations.ref": Count(len(hits), len(pred_cites), len(gold_cites))}
    # Date and relation are scored on the found citations the gold gives them for; a
    # wrong value is a miss on both sides, so precision equals recall.
    for key in ("date", "relation"):
        judged = [ref for ref in hits if gold_cites[ref].get(key)]
        right = sum(pred_cites[ref].get(key) == gold_cites[ref][key] for ref in judged)
        counts[f"citations.{key}"] = Count(right, len(judged), len(judged))
        misses += [f"citation {gold_cites[ref]['ref']} {key}: gold={gold_cites[ref][key]!r} "
                   f"pred={pred_cites[ref].get(key)!r}"
                   for ref in sorted(judged) if pred_cites[ref].get(key) != gold_cites[ref][key]]
    return DocumentScore(counts, tuple(misses))


Assignment = tuple[str, str]  # (organisation as written, "lead" | "support")


def _assignments(tasks: Sequence[Mapping[str, Any]] | None, place: str | None) -> list[Assignment]:
    """Each organisation × role once per document, whichever task names it."""
    seen: dict[tuple[frozenset[str], str], Assignment] = {}
    for task in tasks or []:
        for role in ("lead", "support"):
            for org in task.get(role) or []:
                seen.setdefault((org_tokens(org, place), role), (org, role))
    return list(seen.values())


def _score_assignments(gold: Mapping[str, Any], pred: Mapping[str, Any], place: str | None) -> DocumentScore:
    gold_asg, pred_asg = _assignments(gold.get("tasks"), place), _assignments(pred.get("tasks"), place)

    def same(g: Assignment, p: Assignment) -> bool:
        return g[1] == p[1] and same_org(g[0], p[0], place)

    hits = count_greedy_matches(gold_asg, pred_asg, same)
    misses = [f"assignment missed: {role} {org}" for org, role in gold_asg
              if not any(same((org, role), p) for p in pred_asg)]
    return DocumentScore({"tasks.assignment": Count(hits, len(pred_asg), len(gold_asg))}, tuple(misses))


def _score_deadlines(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> DocumentScore:
    # A multiset: two tasks due on 2026-01-25 are two deadlines to find.
    gold_dl = Counter(t["deadline"] for t in gold.get("tasks") or [] if t.get("deadline"))
    pred_dl = Counter(t.get("deadline") for t in pred.get("tasks") or [] if t.get("deadline"))
    misses = [f"deadline missed: {d}" for d in (gold_dl - pred_dl).elements()]
    misses += [f"deadline spurious: {d}" for d in (pred_dl - gold_dl).elements()]
    count = Count((gold_dl & pred_dl).total(), pred_dl.total(), gold_dl.total())
    return DocumentScore({"tasks.deadline": count}, tuple(misses))



GOLD_SUFFIX = ".gold.json"


def load_gold(folder: Path) -> dict[str, dict[str, Any]]:
    """stem → gold record for every <stem>.gold.json in the folder (not recursive)."""
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob(f"*{GOLD_SUFFIX}")):
        record = load_json(path)
        if not isinstance(record.get("document"), dict):
            raise UnreadableJSON(str(path), "gold record has no 'document' object")
        gold[path.name[: -len(GOLD_SUFFIX)]] = record
    return gold


def load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnreadableJSON(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise UnreadableJSON(str(path), f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise UnreadableJSON(str(path), f"invalid JSON at {where}: {exc.msg}") from exc
    if not isinstance(data, dict):
        shape = type(data).__name__
        raise UnreadableJSON(str(path), f"not a parsed-document record (a JSON {shape}, not an object)")
    return data
