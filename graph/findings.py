"""Data-quality findings a build collects: bad content is a finding, never an exception.

Each finding is a plain dict with the same keys (the shape queries/findings.py returns):

    code         deadline_before_issue | unresolved_citation | ambiguous_citation |
                 rejected_citation | no_tasks | conflicting_metadata | probable_duplicate |
                 or a parser warning's own code (issuer_inferred …), with origin "parser"
    origin       "graph" or "parser"
    doc_key      the document the finding is about
    ref          its ref (None for a blank number)
    source_path  the file it was read from
    task_key     the task, for task findings, else None
    value        the offending value (a date, a cited ref, the other file's path), or None
    message      one sentence, in English, naming what is wrong
"""
from __future__ import annotations

from typing import Any

from .extract import CitationExtract, RecordExtract, TaskExtract

KEYS = ("code", "origin", "doc_key", "ref", "source_path", "task_key", "value", "message")
# Parser warnings the graph recomputes itself, so they are not listed twice.
_RECOMPUTED = {"deadline_before_issue"}


class Findings:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._seen: set[tuple[Any, ...]] = set()

    def add(self, code: str, extract: RecordExtract, message: str, *, task_key: str | None = None,
            value: str | None = None, origin: str = "graph") -> None:
        node = extract.node
        item = {"code": code, "origin": origin, "doc_key": node.key, "ref": node.ref,
                "source_path": node.source_path, "task_key": task_key, "value": value, "message": message}
        marker = tuple(item[k] for k in KEYS)
        if marker not in self._seen:
            self._seen.add(marker)
            self.items.append(item)

    def sorted(self) -> list[dict[str, Any]]:
        return sorted(self.items, key=lambda f: tuple("" if f[k] is None else str(f[k]) for k in KEYS))

    # -- the kinds ---------------------------------------------------------------------
    def deadline_before_issue(self, extract: RecordExtract, task_key: str, task: TaskExtract) -> None:
        self.add("deadline_before_issue", extract,
                 f"task {task.task_id}: deadline {task.deadline} is before the document's date "
                 f"{extract.node.date} (a typo for another year?)", task_key=task_key, value=task.deadline)

    def unresolved(self, extract: RecordExtract, citation: CitationExtract, stub_key: str) -> None:
        self.add("unresolved_citation", extract,
                 f"cites {citation.ref or citation.title}, which is in no ingested file nor in the catalog "
                 f"(kept as a stub: {stub_key})", value=citation.ref or citation.title)

    def ambiguous(self, extract: RecordExtract, citation: CitationExtract, candidates: tuple[str, ...]) -> None:
        self.add("ambiguous_citation", extract,
                 f"cites {citation.ref}, which fits {len(candidates)} documents equally "
                 f"({', '.join(candidates)}); the text gives too little to choose", value=citation.ref)

    def rejected(self, extract: RecordExtract, citation: CitationExtract, why: str) -> None:
        self.add("rejected_citation", extract,
                 f"citation of {citation.ref or citation.title} ({citation.date or 'no date'}) rejected: {why}",
                 value=citation.ref or citation.title)

    def no_tasks(self, extract: RecordExtract) -> None:
        self.add("no_tasks", extract, "no task was found in this document")

    def duplicate(self, kept: RecordExtract, dropped: RecordExtract) -> None:
        same_subject = kept.subject_key == dropped.subject_key
        same_date = kept.node.date == dropped.node.date
        if same_subject and same_date:
            self.add("probable_duplicate", kept,
                     f"{dropped.node.source_path} has the same ref, issuer and year (and subject); "
                     f"the graph keeps {kept.node.source_path}", value=dropped.node.source_path)
            return
        differs = ", ".join(x for x, same in (("subject", same_subject), ("date", same_date)) if not same)
        self.add("conflicting_metadata", kept,
                 f"{dropped.node.source_path} has the same identity but a different {differs} "
                 f"({dropped.node.date}: {dropped.subject_key[:60]!r}); the graph keeps {kept.node.source_path}",
                 value=dropped.node.source_path)

    def parser_warnings(self, extract: RecordExtract) -> None:
        for code, message in extract.warnings:
            if code not in _RECOMPUTED:
                self.add(code, extract, message, origin="parser")
