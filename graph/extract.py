"""One parsed-document record → what the graph keeps of it (the record's text is dropped).

Records stream in from the library; each is reduced at once to its document's identity,
its tasks and its citations, so a build over 100k documents never holds their texts.
The contract's keys are read defensively: a key that an older parser did not write is
taken as empty.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from sys import intern
from typing import Any

from ingest.fold import fold, fold_key
from ingest.vocab import Vocabulary

from .identity import blank_document_key, document_key, is_national_ref, ref_key, year_of
from .model import DocumentNode
from .orgs import OrgContext, OrgResolver, ResolvedOrg, document_level

COCITATION_WINDOW = 200  # characters between a local and a central reference read as one phrase


@dataclass(frozen=True, slots=True)
class RoleName:
    printed: str  # as the document printed it (the mention's text), else as the lead/support list gives it
    canonical: str  # the parser's canonical name when a mention gives one
    is_generic: bool


@dataclass(frozen=True, slots=True)
class TaskExtract:
    task_id: str
    text: str
    span: tuple[int, int] | None
    lead: tuple[RoleName, ...]
    support: tuple[RoleName, ...]
    deadline: str | None
    deadline_text: str | None
    period: tuple[str, str] | None
    is_recurring: bool
    implicit_lead: bool
    parent: str | None
    heading: str | None


@dataclass(frozen=True, slots=True)
class CitationExtract:
    ref: str | None
    title: str | None
    kind: str | None
    date: str | None
    issuer: str | None
    relation: str
    span: tuple[int, int] | None
    mentions: tuple[tuple[int, int], ...]
    is_national: bool


@dataclass(frozen=True, slots=True)
class Cocitation:
    """A local reference written next to a central one ("… Nghị quyết 57-NQ/TW … theo Công
    văn số 591-CV/TU"): evidence that the local document carries out the central one."""

    local: int  # index into the record's citations
    central: int
    snippet: str


@dataclass(frozen=True, slots=True)
class RecordExtract:
    node: DocumentNode
    issuer: ResolvedOrg | None
    context: OrgContext
    tasks: tuple[TaskExtract, ...]
    citations: tuple[CitationExtract, ...]
    cocitations: tuple[Cocitation, ...]
    warnings: tuple[tuple[str, str], ...]  # (code, message) from the parser
    subject_key: str  # folded subject, for telling duplicates from conflicts

    @property
    def rank(self) -> tuple[int, str, str]:
        """Which of two files of one document the graph keeps: more tasks, then path."""
        return (-len(self.tasks), self.node.source_path or "", self.node.sha256 or "")


def _interned(value: Any) -> Any:
    return intern(value) if isinstance(value, str) else value


def _span(value: Any) -> tuple[int, int] | None:
    # unrolled (no generator): three spans per task, a million at 100k documents
    if isinstance(value, list | tuple) and len(value) == 2:
        start, end = value
        if isinstance(start, int) and isinstance(end, int):
            return (start, end)
    return None


def record_context(record: Mapping[str, Any]) -> OrgContext:
    context = record.get("context") or {}
    locality = context.get("locality") or None
    province = context.get("province")
    return OrgContext(province=province,
                      locality_level=locality[0] if locality else None,
                      locality_name=locality[1] if locality else None)


def _role_names(task: Mapping[str, Any], role: str) -> tuple[RoleName, ...]:
    names = task.get(role)
    if not names:  # most tasks name no supporting unit
        return ()
    mentions = {m.get("name"): m for m in (task.get("mentions") or {}).get(role, ()) if isinstance(m, dict)}
    out = []
    for name in names:
        mention = mentions.get(name) or {}
        # the words as the document printed them ("UBND tỉnh") become the organisation's alias
        # interned: a body is named in thousands of records, and each record's JSON made its own copy
        out.append(RoleName(intern(mention.get("text") or name), intern(mention.get("canonical") or name),
                            bool(mention.get("generic"))))
    return tuple(out)


def _task(task: Mapping[str, Any]) -> TaskExtract:
    period = task.get("period")
    return TaskExtract(
        task_id=str(task.get("id") or "?"), text=task.get("text") or "", span=_span(task.get("span")),
        lead=_role_names(task, "lead"), support=_role_names(task, "support"),
        deadline=_interned(task.get("deadline")), deadline_text=_interned(task.get("deadline_text")),
        period=(period[0], period[1]) if isinstance(period, list | tuple) and len(period) == 2 else None,
        is_recurring=bool(task.get("recurring")), implicit_lead=bool(task.get("implicit_lead")),
        parent=task.get("parent"), heading=task.get("heading"))


def _citation(citation: Mapping[str, Any], vocab: Vocabulary, central_refs: Mapping[str, str]) -> CitationExtract:
    ref = citation.get("ref")
    mentions = tuple(s for s in (_span(m) for m in citation.get("mentions") or []) if s)
    return CitationExtract(
        ref=intern(ref) if ref else None, title=citation.get("title"), kind=_interned(citation.get("kind")),
        date=_interned(citation.get("date")), issuer=_interned(citation.get("issuer")),
        relation=intern(citation.get("relation") or "mentions"),
        span=_span(citation.get("span")), mentions=mentions,
        is_national=bool(ref) and (is_national_ref(ref, vocab) or ref_key(ref) in central_refs))


# Between "<local ref> … <central ref>": the local document carries the central one out.
_LOCAL_FIRST = re.compile(r"\b(thuc hien|trien khai|cu the hoa|quan triet|tuyen truyen|ve viec|ve)\b")
# Between "<central ref> … <local ref>": the central one is carried out as the local one says.
_CENTRAL_FIRST = re.compile(r"\btheo\b")
_NOT_CARRYING_OUT = ("to_trinh", "luat", "nghi_dinh", "thong_tu")


def _cocitations(citations: tuple[CitationExtract, ...], text: str,
                 central_refs: Mapping[str, str]) -> tuple[Cocitation, ...]:
    """Local references written as carrying out a central one in the same clause:
    "Thông báo số 02-TB/BCĐ … của Ban Chỉ đạo thực hiện Nghị quyết số 57-NQ/TW",
    "các nhiệm vụ Nghị quyết số 57-NQ/TW … theo Công văn số 591-CV/TU"."""
    out = []
    for i, local in enumerate(citations):
        if not local.ref or local.is_national or local.relation != "implements" or local.kind in _NOT_CARRYING_OUT:
            continue
        for j, central in enumerate(citations):
            if not central.ref or ref_key(central.ref) not in central_refs or central.relation != "implements":
                continue
            for a, b in sorted(((a, b) for a in local.mentions for b in central.mentions),
                               key=lambda p: abs(p[0][0] - p[1][0])):
                first, second = (a, b) if a[0] < b[0] else (b, a)
                if second[0] - first[1] > COCITATION_WINDOW or not text:
                    continue
                between = fold(text[first[1]:second[0]])
                if ";" in between or "\n\n" in between or ". " in between:
                    continue
                trigger = _LOCAL_FIRST if first is a else _CENTRAL_FIRST
                if trigger.search(between):
                    snippet = " ".join(text[first[0]:second[1]].split())
                    out.append(Cocitation(i, j, snippet[:240]))
                    break
    return tuple(out)


def extract_record(record: Mapping[str, Any], vocab: Vocabulary, orgs: OrgResolver,
                   central_refs: Mapping[str, str]) -> RecordExtract:
    """`central_refs`: folded refs of the catalog's documents (a citation of one is national)."""
    document = record.get("document") or {}
    source = record.get("source") or {}
    context = record_context(record)
    issuer = orgs.resolve(document["issuer"], context) if document.get("issuer") else None
    context = OrgContext(context.province or (issuer.province if issuer else None), context.locality_level,
                         context.locality_name, issuer.name if issuer else None)
    date = document.get("date")
    year = year_of(date)
    ref = document.get("ref")
    issuer_key = issuer.key if issuer else None
    key = document_key(ref, year, issuer_key) if ref else blank_document_key(issuer_key, date, document.get("subject"))
    node = DocumentNode(
        key=key, ref=ref, kind=document.get("kind") or "other", number=document.get("number"),
        symbol=document.get("symbol"), issuer=document.get("issuer"), issuer_key=issuer_key, date=date,
        year=year, place=document.get("place"), province=context.province, subject=document.get("subject"),
        signer=document.get("signer"), level=document_level(issuer) if issuer else None,
        source_path=source.get("path"), sha256=source.get("sha256"))
    citations = tuple(_citation(c, vocab, central_refs) for c in record.get("citations") or [] if isinstance(c, dict))
    text = record.get("text") or ""
    warnings = tuple((w.get("code", "warning"), w.get("message", "")) for w in record.get("warnings") or []
                     if isinstance(w, dict))
    return RecordExtract(
        node=node, issuer=issuer, context=context,
        tasks=tuple(_task(t) for t in record.get("tasks") or [] if isinstance(t, dict)),
        citations=citations, cocitations=_cocitations(citations, text, central_refs), warnings=warnings,
        subject_key=fold_key(document.get("subject") or ""))
