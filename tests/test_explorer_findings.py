"""explorer/findings.py: each finding told in Vietnamese (or English) from its code and fields."""

from __future__ import annotations

from explorer.findings import finding_text

NODES = {
    "doc": {"ref": "312/BC-SYT", "date": "2025-11-24", "issuer": "Sở Y tế tỉnh Lạng Sơn"},
    "doc#II.1": {"task_id": "II.1"},
    "cv": {"ref": "41-CV/ĐU", "issuer": "Ban Thường vụ Đảng ủy xã Đồng Đăng"},
}


def _text(finding: dict, lang: str = "vi") -> str:
    base = {"doc_key": "doc", "task_key": None, "value": None, "source_path": "/c/a14.txt", "message": "english"}
    return finding_text({**base, **finding}, NODES.get, lang)


def test_each_known_code_is_a_sentence_from_its_fields() -> None:
    late = {"code": "deadline_before_issue", "task_key": "doc#II.1", "value": "2025-06-30"}
    assert _text(late) == "Nhiệm vụ II.1: thời hạn 30/06/2025 trước ngày ban hành 24/11/2025 (có thể gõ nhầm năm)"
    assert _text(late, "en").startswith("Task II.1: deadline 30/06/2025 is before the issue date 24/11/2025")
    assert _text({"code": "issuer_inferred", "doc_key": "cv"}) == (
        "Thiếu dòng cơ quan ban hành; suy ra từ nội dung: Ban Thường vụ Đảng ủy xã Đồng Đăng")
    assert _text({"code": "unresolved_citation", "value": "245/KH-UBND"}).startswith(
        "Trích dẫn 245/KH-UBND không có trong thư viện")
    assert _text({"code": "no_tasks"}) == "Không tìm thấy nhiệm vụ nào trong văn bản"
    dup = _text({"code": "probable_duplicate", "value": "/c/copy/a14 (1).txt"})
    assert "a14 (1).txt" in dup and "giữ tệp a14.txt" in dup and dup.startswith("Có thể trùng")
    assert "khác trích yếu hoặc ngày" in _text({"code": "conflicting_metadata", "value": "/c/b.txt"})
    rejected = {"code": "rejected_citation", "value": "57-NQ/TW",
                "message": "citation of 57-NQ/TW (2024-12-22) rejected: cites a document dated after itself"}
    assert _text(rejected) == "Trích dẫn 57-NQ/TW bị loại: văn bản được dẫn có ngày sau văn bản này"


def test_an_unknown_code_keeps_the_builds_message() -> None:
    assert _text({"code": "something_new", "message": "a new check said this"}) == "a new check said this"
