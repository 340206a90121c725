"""explorer/documents.py: the document list, its filters, and facts marked at their spans."""

from __future__ import annotations

import re

from explorer.documents import (
    Fact,
    document_rows,
    filter_documents,
    highlight_html,
    record_facts,
    task_anchor,
)

SEED_001 = "001_bd32b1ea4bdd5c5a"


def test_rows_and_filters(sample_store) -> None:
    rows = document_rows(sample_store)
    assert rows and not any(r["is_stub"] for r in rows)
    assert len(document_rows(sample_store, with_stubs=True)) > len(rows)
    dates = [r["date"] or "" for r in rows]
    assert dates == sorted(dates, reverse=True)
    # Diacritics optional, every word, in any order; the seed is found by its task's lead.
    found = filter_documents(rows, text="trung tam tin hoc")
    assert any(SEED_001 in (r["source_path"] or "") for r in found)
    assert filter_documents(rows, text="TRUNG TÂM tin HỌC") == found
    assert filter_documents(rows, text="tin hoc trung tam") == found
    assert filter_documents(rows, text="khong co chu nay dau xyz") == []
    plans = filter_documents(rows, kinds=["ke_hoach"])
    assert plans and all(r["kind"] == "ke_hoach" for r in plans)
    district = filter_documents(rows, levels=["district"], years=[2025])
    assert district and all(r["level"] == "district" and r["year"] == 2025 for r in district)
    issuer = rows[0]["issuer"]
    assert all(r["issuer"] == issuer for r in filter_documents(rows, issuers=[issuer]))


def test_facts_of_a_record_sit_at_their_spans() -> None:
    from sample_graph import sample_records

    record = next(r for r in sample_records() if SEED_001 in r["source"]["path"])
    text = record["text"]
    facts = record_facts(record)
    kinds = {f.kind for f in facts}
    assert {"issuer", "subject", "signer", "citation", "task", "lead", "support", "deadline"} <= kinds
    leads = [text[f.start : f.end] for f in facts if f.kind == "lead"]
    assert "Trung tâm Tin học và Công báo" in leads
    assert "23/01/2025" in next(text[f.start : f.end] for f in facts if f.kind == "deadline")
    assert "57-NQ/TW" in {text[f.start : f.end].split()[-1] for f in facts if f.kind == "citation"}


def test_highlighting_escapes_and_nests() -> None:
    text = "Giao <Sở A> làm việc X trước ngày 01/02/2026 & báo cáo."
    facts = [
        Fact(0, len(text), "task", "1", anchor=task_anchor("1")),
        Fact(5, 11, "lead", "Sở A"),
        Fact(34, 44, "deadline", "2026-02-01"),
    ]
    out = highlight_html(
        text, facts, {"task": "nhiệm vụ", "lead": "chủ trì", "deadline": "thời hạn"}, focus="1"
    )
    assert "<Sở A>" not in out and "&lt;Sở A&gt;" in out and "&amp; báo cáo" in out
    assert re.search(
        r'<mark class="f-lead f-focus" title="nhiệm vụ: 1; chủ trì: Sở A">&lt;Sở A&gt;</mark>', out
    )
    assert (
        '<mark class="f-deadline f-focus" title="nhiệm vụ: 1; thời hạn: 2026-02-01">01/02/2026</mark>' in out
    )
    assert out.count('id="task-1"') == 1
    plain = re.sub(r"<[^>]+>", "", out)
    assert plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
    # A fact of a hostile record cannot smuggle markup through its detail either.
    hostile = highlight_html("ab", [Fact(0, 2, "lead", '"><script>x</script>')], {})
    assert "<script>" not in hostile
