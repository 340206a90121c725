"""explorer/view.py: rows for people, with no raw keys and a link to each row's source."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from explorer.view import document_link, goal_link, people_rows, show_date


def test_dates_as_printed_in_vietnamese_documents() -> None:
    assert show_date("2026-01-23") == "23/01/2026"
    assert show_date("2026-01") == "01/2026"
    assert show_date("2026") == "2026" and show_date(None) == ""


def test_links_carry_the_keys() -> None:
    key = "~|van phong uy ban nhan dan tinh lai chau|2026|2cc7c73c"
    link = document_link(key, f"{key}#1.1")
    assert link.startswith("van-ban?")
    query = parse_qs(urlparse(link).query)
    assert query == {"doc": [key], "task": [f"{key}#1.1"]}
    assert document_link(None) is None
    assert goal_link("57.SOL.1") == "muc-tieu?goal=57.SOL.1"


def test_people_rows_translate_values_and_name_columns() -> None:
    rows = [
        {
            "organization": "Sở Nội vụ",
            "role": "lead",
            "due": "2026-01-23",
            "method": "topical",
            "evidence": ["chuyển đổi số", "kỹ năng số"],
            "doc_key": "k",
            "task_key": "k#1",
        },
        {
            "organization": None,
            "role": None,
            "due": None,
            "method": "explicit",
            "evidence": [],
            "doc_key": "k",
            "task_key": "k#2",
        },
    ]
    out = people_rows(rows, ("organization", "role", "due", "method", "evidence"), "vi")
    assert list(out[0]) == ["Đơn vị", "Vai trò", "Thời hạn", "Cách liên kết", "Căn cứ liên kết", "Nguồn"]
    assert out[0]["Vai trò"] == "Chủ trì" and out[0]["Thời hạn"] == "23/01/2026"
    assert (
        out[0]["Căn cứ liên kết"] == "chuyển đổi số; kỹ năng số"
        and out[0]["Cách liên kết"] == "Theo nội dung"
    )
    assert out[1]["Vai trò"] == "Chưa rõ đơn vị" and out[1]["Đơn vị"] == "" and out[1]["Thời hạn"] == ""
    english = people_rows(rows, ("role",), "en", link=None)
    assert english == [{"Role": "Lead"}, {"Role": "No unit named"}]
