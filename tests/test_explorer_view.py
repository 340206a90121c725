"""explorer/view.py: rows for people, with no raw keys and a link to each row's source."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from explorer.view import document_label, document_link, goal_link, people_rows, shorten, show_date


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


def test_documents_are_named_for_people_never_by_file() -> None:
    assert document_label({"ref": "69-CTr/TU", "kind": "chuong_trinh"}, "vi") == "69-CTr/TU"
    letter = {"kind": "cong_van", "issuer": "Văn phòng UBND tỉnh Lai Châu", "date": "2024-12-23",
              "source_path": "/corpus/001_bd32b1ea4bdd5c5a.txt"}
    assert document_label(letter, "vi") == "Công văn Văn phòng UBND tỉnh Lai Châu, 23/12/2024 (chưa có số)"
    assert document_label(letter, "en") == "Letter Văn phòng UBND tỉnh Lai Châu, 23/12/2024 (no number)"
    assert document_label({"issuer": "Sở Nội vụ", "year": 2025}, "vi") == "Sở Nội vụ, 2025 (chưa có số)"
    assert document_label({"title": "Luật Khoa học, công nghệ và đổi mới sáng tạo"}, "vi").startswith("Luật")
    assert "001_bd32" not in document_label({"source_path": "/corpus/001_bd32b1ea4bdd5c5a.txt"}, "vi")


def test_long_text_is_cut_at_a_word() -> None:
    subject = "Về việc triển khai thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển"
    cut = shorten(subject, 40)
    assert cut.endswith("…") and len(cut) <= 40 and subject.startswith(cut[:-1])
    assert subject[len(cut) - 1] == " "  # the next character starts a new word
    assert shorten("ngắn", 40) == "ngắn" and shorten(None) == ""
