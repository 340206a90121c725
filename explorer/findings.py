"""A data-quality finding told to a person: in the interface's language, from its code and its
fields, with dates as documents print them.

graph/findings.py writes one English sentence per finding for the CLI and the logs; the
explorer does not show it, except for a code it has no template for (labels.yaml
`finding_text.<code>`). Pure: the nodes come from a lookup the page passes in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .labels import t, table
from .view import document_label, show_date

# graph/citing.py's reasons for rejecting a citation (the finding holds them in its message only).
_REJECTED_WHY = (("dated after itself", "dated_after"), ("cites itself", "itself"))


def finding_text(
    finding: Mapping[str, Any], node: Callable[[str], Mapping[str, Any] | None], lang: str
) -> str:
    """The finding as a sentence: "Nhiệm vụ II.1: thời hạn 30/06/2025 trước ngày ban hành 24/11/2025
    (có thể gõ nhầm năm)"; an unknown code gives the build's own message."""
    code = finding.get("code") or ""
    key = f"finding_text.{code}"
    message = finding.get("message") or ""
    if key not in table():
        return message
    doc = (node(finding["doc_key"]) or {}) if finding.get("doc_key") else {}
    task = (node(finding["task_key"]) or {}) if finding.get("task_key") else {}
    value = finding.get("value") or ""
    values = {
        "task": task.get("task_id") or "?",
        "due": show_date(value),
        "doc_date": show_date(doc.get("date")) or "?",
        "value": value,
        "issuer": doc.get("issuer") or "?",
        "document": document_label(doc, lang) if doc else "",
        "other_file": str(value).rsplit("/", 1)[-1],
        "kept_file": str(finding.get("source_path") or "").rsplit("/", 1)[-1],
        "message": message,
        "why": t(f"finding_text.rejected_why.{_rejected_why(message)}", lang),
    }
    return t(key, lang, **values)


def _rejected_why(message: str) -> str:
    return next((reason for marker, reason in _REJECTED_WHY if marker in message), "other")
