"""Curated corrections: an analyst's fixes, kept apart from parser output and re-applied.

A correction sets one field of one thing. Documents are addressed by the source path the
library stores (stable across re-ingest), tasks by `path#task_id`, organisations by the
name to merge away, goal links by the graph's task key. Corrections are applied in the
order they were made, so a later one on the same field wins and undoing it brings the
earlier one back.

Everything here is pure: validation takes the values and returns them cleaned, and
`apply_corrections` returns a corrected copy of one record. The library checks that a
document or task exists (graph/library.py); the graph build reads organisation merges
and link decisions through `Library.corrections(target=...)`.
"""
from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ingest.errors import ChidaoError
from ingest.fold import fold_key

TARGETS = ("document", "task", "organization", "link")

DOCUMENT_FIELDS = ("kind", "number", "symbol", "ref", "issuer", "date", "place", "subject", "signer")
TASK_FIELDS = ("lead", "support", "deadline")
ORGANIZATION_FIELDS = ("merge_into",)
LINK_STATUSES = ("confirmed", "rejected")
FIELDS: dict[str, tuple[str, ...]] = {"document": DOCUMENT_FIELDS, "task": TASK_FIELDS,
                                      "organization": ORGANIZATION_FIELDS}

# The contract's `kind` vocabulary (docs/contract/parsed-document.md).
KINDS = ("nghi_quyet", "chuong_trinh", "ke_hoach", "cong_van", "thong_bao", "quyet_dinh", "chi_thi",
         "ket_luan", "bao_cao", "huong_dan", "to_trinh", "de_an", "luat", "nghi_dinh", "thong_tu", "other")

# Catalogue ids: "57.SOL.5", "57.TARGET.2030.1" (graph/catalog/*.yaml).
_GOAL_ID = re.compile(r"[0-9A-Za-z_]+(?:\.[0-9A-Za-z_]+)+")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # as Vietnamese documents print dates


class CorrectionError(ChidaoError):
    """A correction that cannot be recorded; the message names the thing and the reason."""


@dataclass(frozen=True, slots=True)
class Correction:
    id: int
    target: str  # one of TARGETS
    key: str  # document: stored path; task: path#task_id; organization: the name merged; link: task key
    field: str  # document or task field; "merge_into"; for a link, the goal id
    value: Any  # str, tuple[str, ...] (lead, support) or None (a deadline removed)
    note: str | None
    created_at: str  # ISO 8601, UTC

    @property
    def document_path(self) -> str | None:
        """The stored path this correction applies to, for documents and tasks."""
        if self.target == "document":
            return self.key
        if self.target == "task":
            return split_task_key(self.key)[0]
        return None

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"id": self.id, "target": self.target, "key": self.key, "field": self.field, "value": value,
                "note": self.note, "created_at": self.created_at}

    def describe(self) -> str:
        """One line for people: `task /…/a05.txt#1.1 lead → Sở Nội vụ; Sở Tư pháp`."""
        if self.target == "organization":
            return f"organisation '{self.key}' merges into '{self.value}'"
        if self.target == "link":
            return f"link {self.key} → {self.field} {self.value}"
        shown = "; ".join(self.value) if isinstance(self.value, tuple) else self.value
        return f"{self.target} {self.key} {self.field} → {'(none)' if shown is None else shown}"


def split_task_key(key: str) -> tuple[str, str]:
    """`path#task_id` → (path, task_id); the last "#" splits, as a task id never holds one."""
    path, sep, task_id = key.rpartition("#")
    if not sep or not path or not task_id.strip():
        raise CorrectionError(f"{key}: a task is addressed as SOURCE_PATH#TASK_ID, e.g. /data/kh_118.docx#1.1")
    return path, task_id.strip()


def validate_correction(target: str, key: str, field: str, value: Any) -> tuple[str, str, Any]:
    """(key, field, value) cleaned for storing, or CorrectionError naming what is wrong.

    Names are NFC with white space collapsed; dates become ISO; lead and support become
    tuples of names. Whether the document or task exists is the library's question.
    """
    if target not in TARGETS:
        raise CorrectionError(f"unknown correction target '{target}' (one of: {', '.join(TARGETS)})")
    key = _clean_text(key)
    if not key:
        raise CorrectionError(f"a {target} correction needs a key")
    if target == "link":
        return key, *_validate_link(field, value)
    if field not in FIELDS[target]:
        raise CorrectionError(f"{key}: unknown {target} field '{field}' (one of: {', '.join(FIELDS[target])})")
    if target == "task":
        split_task_key(key)
        return key, field, _validate_task_value(key, field, value)
    if target == "document":
        return key, field, _validate_document_value(key, field, value)
    canonical = _clean_text(value)
    if not canonical:
        raise CorrectionError(f"'{key}': the name to merge it into is empty")
    if fold_key(canonical) == fold_key(key):
        raise CorrectionError(f"'{key}' and '{canonical}' are already the same name once folded; nothing to merge")
    return key, field, canonical


def _validate_link(goal: str, status: Any) -> tuple[str, str]:
    goal = (goal or "").strip()
    if not _GOAL_ID.fullmatch(goal):
        raise CorrectionError(f"'{goal}': not a goal id (catalogue ids look like 57.SOL.5)")
    if status not in LINK_STATUSES:
        raise CorrectionError(f"{goal}: a link is 'confirmed' or 'rejected', not '{status}'")
    return goal, status


def _validate_task_value(key: str, field: str, value: Any) -> Any:
    if field == "deadline":
        if value is None:
            return None  # the parser read a deadline the task does not have
        cleaned = parse_date(str(value), f"{key}: deadline")
        if len(cleaned) != 10:
            raise CorrectionError(f"{key}: deadline '{value}' needs a day (YYYY-MM-DD or DD/MM/YYYY)")
        return cleaned
    names = (value,) if isinstance(value, str) else tuple(value or ())
    cleaned_names = tuple(dict.fromkeys(n for n in (_clean_text(name) for name in names) if n))
    if not cleaned_names:
        raise CorrectionError(f"{key}: {field} needs at least one organisation name")
    return cleaned_names


def _validate_document_value(key: str, field: str, value: Any) -> str:
    text = _clean_text(value)
    if not text:
        raise CorrectionError(f"{key}: the new {field} is empty")
    if field == "date":
        return parse_date(text, f"{key}: date")
    if field == "kind" and text not in KINDS:
        raise CorrectionError(f"{key}: unknown kind '{text}' (one of: {', '.join(KINDS)})")
    if field in ("ref", "symbol"):
        return "".join(text.split()).upper()  # the contract's canonical form: no spaces, upper case
    return text


def parse_date(text: str, what: str) -> str:
    """`2026-01-23`, `2026-01`, `2026` or `23/01/2026` → ISO; CorrectionError otherwise."""
    text = text.strip()
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        return _checked(what, text, year, month, day)
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) if g else None for g in match.groups())
        return _checked(what, text, year, month, day)
    raise CorrectionError(f"{what} '{text}' is not a date (YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)")


def _checked(what: str, text: str, year: int | None, month: int | None, day: int | None) -> str:
    assert year is not None
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise CorrectionError(f"{what} '{text}' is not a real date ({exc})") from exc
    if day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if month is not None else f"{year:04d}"


def _clean_text(value: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def apply_corrections(record: dict[str, Any], corrections: Sequence[Correction]) -> dict[str, Any]:
    """A corrected copy of one record; `record` itself is left as it was.

    Only the corrections addressed to this record's source path are used, in order, so
    the latest one on a field wins. What changed is listed in `record["corrected"]` and
    each corrected task names its fields in `task["corrected"]`. A task correction
    whose task id is no longer in the record (a new parser numbered it differently) is
    listed in `record["stale_corrections"]` instead of being dropped silently. Where
    several tasks share the id, each of them is corrected.
    """
    path = (record.get("source") or {}).get("path")
    mine = sorted((c for c in corrections if c.target in ("document", "task") and c.document_path == path),
                  key=lambda c: c.id)
    out = copy.deepcopy(record)
    out["corrected"] = []
    out["stale_corrections"] = []
    if not mine:
        return out
    document = out.setdefault("document", {})
    tasks: dict[str, list[dict[str, Any]]] = {}
    for task in out.get("tasks") or []:
        tasks.setdefault(str(task.get("id")), []).append(task)
    for correction in mine:
        if correction.target == "document":
            _correct_document(document, correction, out["corrected"])
            continue
        same_id = tasks.get(split_task_key(correction.key)[1])
        if not same_id:
            out["stale_corrections"].append(correction.id)
        # The parser can give a heading and its unnumbered paragraph the same id ("2" and
        # "2" with parent "2"); a correction addressed to the id covers every such task.
        for task in same_id or ():
            _correct_task(task, correction, out["corrected"])
    _derive_ref(document, mine, out["corrected"])
    return out


def _correct_document(document: dict[str, Any], correction: Correction, log: list[dict[str, Any]]) -> None:
    log.append(_entry(correction, None, document.get(correction.field)))
    document[correction.field] = correction.value
    confidence = document.get("confidence")
    if isinstance(confidence, dict):
        confidence[correction.field] = 1.0  # an analyst read it on the page


def _correct_task(task: dict[str, Any], correction: Correction, log: list[dict[str, Any]]) -> None:
    field = correction.field
    log.append(_entry(correction, task.get("id"), task.get(field)))
    if field == "deadline":
        task["deadline"] = correction.value
        task["period"] = None  # a partial deadline's period no longer describes the corrected date
    else:
        task[field] = list(correction.value)
        if field == "lead":
            task["implicit_lead"] = False
    task["corrected"] = sorted({*task.get("corrected", ()), field})


def _derive_ref(document: dict[str, Any], mine: Iterable[Correction], log: list[dict[str, Any]]) -> None:
    """A number set on a document with a symbol but no ref gives the ref too.

    A blank "Số:    /VPUBND-HCQT" leaves ref null, and the graph identifies documents by
    ref; the contract joins Party refs with a hyphen (57-NQ/TW: the symbol holds a "/")
    and State refs with a slash (2653/KH-UBND).
    """
    fields = {c.field for c in mine if c.target == "document"}
    number, symbol = document.get("number"), document.get("symbol")
    if "number" not in fields or "ref" in fields or document.get("ref") or not number or not symbol:
        return
    ref = f"{number}{'-' if '/' in symbol else '/'}{symbol}".upper()
    log.append({"id": None, "target": "document", "task": None, "field": "ref", "was": None, "value": ref,
                "note": "derived from the corrected number and the symbol"})
    document["ref"] = ref


def _entry(correction: Correction, task_id: str | None, was: Any) -> dict[str, Any]:
    value = list(correction.value) if isinstance(correction.value, tuple) else correction.value
    return {"id": correction.id, "target": correction.target, "task": task_id, "field": correction.field,
            "was": copy.deepcopy(was), "value": value, "note": correction.note}


def effective_corrections(corrections: Sequence[Correction]) -> list[Correction]:
    """The corrections still in force: the latest per (target, key, field)."""
    latest: dict[tuple[str, str, str], Correction] = {}
    for correction in sorted(corrections, key=lambda c: c.id):
        latest[_slot(correction)] = correction
    return sorted(latest.values(), key=lambda c: c.id)


def superseded_by(corrections: Sequence[Correction]) -> dict[int, int]:
    """id → the id of the later correction that overrides it."""
    latest: dict[tuple[str, str, str], int] = {}
    out: dict[int, int] = {}
    for correction in sorted(corrections, key=lambda c: c.id):
        slot = _slot(correction)
        if slot in latest:
            out[latest[slot]] = correction.id
        latest[slot] = correction.id
    return out


def _slot(correction: Correction) -> tuple[str, str, str]:
    # "Sở KH&CN" and "Sở KH&CN " or "SỞ KH&CN" are one name: organisations match folded.
    key = fold_key(correction.key) if correction.target == "organization" else correction.key
    return correction.target, key, correction.field


def organization_merges(corrections: Sequence[Correction]) -> dict[str, str]:
    """Folded name → the name it finally merges into, chains followed (A → B → C gives A → C).

    The library refuses a merge that would close a cycle, so the chains end.
    """
    into = {fold_key(c.key): c.value for c in effective_corrections(corrections) if c.target == "organization"}
    resolved: dict[str, str] = {}
    for name, canonical in into.items():
        seen = {name}
        while fold_key(canonical) in into and fold_key(canonical) not in seen:
            seen.add(fold_key(canonical))
            canonical = into[fold_key(canonical)]
        resolved[name] = canonical
    return resolved


def would_cycle(corrections: Sequence[Correction], name: str, canonical: str) -> bool:
    """Whether merging `name` into `canonical` leads back to `name`."""
    merges = organization_merges(corrections)
    final = merges.get(fold_key(canonical), canonical)
    return fold_key(final) == fold_key(name)


def link_decisions(corrections: Sequence[Correction]) -> dict[tuple[str, str], str]:
    """(task key, goal id) → "confirmed" or "rejected", the latest decision for each link."""
    return {(c.key, c.field): c.value for c in effective_corrections(corrections) if c.target == "link"}
