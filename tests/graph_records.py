"""Small contract records written by hand, for the identity and build tests.

Only the keys the graph reads are filled; the rest of the contract is optional to it.
"""
from __future__ import annotations

from typing import Any


def make_record(path: str, ref: str | None, issuer: str, date: str, *, province: str | None = "Lai Châu",
                locality: tuple[str, str] | None = None, subject: str = "triển khai nhiệm vụ",
                citations: list[dict[str, Any]] | None = None, tasks: list[dict[str, Any]] | None = None,
                kind: str = "cong_van", text: str = "") -> dict[str, Any]:
    number, symbol = (None, None)
    if ref:
        number = ref.split("/")[0].split("-")[0]
        symbol = ref[len(number) + 1:]
    return {
        "source": {"path": path, "sha256": path.encode().hex()[:64].ljust(64, "0")},
        "document": {"kind": kind, "number": number, "symbol": symbol, "ref": ref, "issuer": issuer, "date": date,
                     "place": province, "subject": subject, "signer": None, "recipients": []},
        "citations": citations or [],
        "tasks": tasks or [],
        "warnings": [],
        "context": {"province": province,
                    "locality": list(locality) if locality else (["tỉnh", province] if province else None)},
        "text": text,
    }


def citation(ref: str | None, *, date: str | None = None, issuer: str | None = None, relation: str = "implements",
             kind: str = "thong_bao", title: str | None = None, span: tuple[int, int] = (0, 10)) -> dict[str, Any]:
    return {"ref": ref, "kind": kind, "date": date, "issuer": issuer, "relation": relation, "span": list(span),
            "mentions": [list(span)], "title": title}


def task(task_id: str, text: str, *, lead: list[str] | None = None, support: list[str] | None = None,
         deadline: str | None = None, parent: str | None = None, implicit: bool = False) -> dict[str, Any]:
    lead, support = lead or [], support or []
    return {"id": task_id, "text": text, "span": None, "lead": lead, "support": support, "generic": [],
            "deadline": deadline, "deadline_text": None, "period": None, "recurring": False,
            "implicit_lead": implicit, "parent": parent, "heading": None,
            "mentions": {"lead": [{"name": n, "canonical": n, "generic": False} for n in lead],
                         "support": [{"name": n, "canonical": n, "generic": False} for n in support]}}
