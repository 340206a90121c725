"""explorer/who.py: the "Ai thực hiện" rows ranked by link strength, doubtful rows lower, cut."""

from __future__ import annotations

from datetime import date

from explorer.who import SHOWN_ROWS, count_text, looks_damaged, rank, who_table


def _row(task: str, method: str, score: float, *, role: str = "lead", org: str = "Sở Nội vụ",
         text: str = "Tổ chức triển khai thực hiện", due: str | None = "2025-06-30") -> dict:
    return {"task_key": task, "doc_key": f"doc-{task}", "doc_date": "2025-01-01", "served_goal": "57.SOL.1",
            "method": method, "score": score, "role": role, "organization": org, "task_text": text,
            "due": due, "evidence": ["chuyển đổi số"], "doc_ref": None, "task_id": "1"}


def test_stated_links_first_then_inherited_then_topical_by_score() -> None:
    rows = [_row("t1", "topical", 0.4), _row("t2", "inherited", 0.9), _row("t3", "topical", 0.8),
            _row("t4", "explicit", 1.0), _row("t5", "curated", 1.0)]
    order = [r["task_key"] for r in rank(rows, lambda r: False)]
    assert order[:2] == ["t4", "t5"] or order[:2] == ["t5", "t4"]
    assert order[2:] == ["t2", "t3", "t1"]


def test_doubtful_rows_go_below_clean_ones_of_the_same_strength_and_a_tasks_rows_stay_together() -> None:
    rows = [_row("bad", "explicit", 1.0), _row("ok", "explicit", 0.5, role="support", org="Sở Tài chính"),
            _row("ok", "explicit", 0.5, org="Sở Xây dựng"), _row("weak", "topical", 0.9)]
    ranked = rank(rows, lambda r: r["task_key"] == "bad")
    assert [(r["task_key"], r["role"]) for r in ranked] == [
        ("ok", "lead"), ("ok", "support"), ("bad", "lead"), ("weak", "lead")]


def test_ocr_noise_is_told_from_numbers_and_codes() -> None:
    assert looks_damaged("Tr1ển kh4i th^c h!ện c~c nh1ệm v| th€o N@hị qu¥ết")
    assert not looks_damaged("Triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024, hoàn thành trong quý IV/2025 (4G, 5G).")
    assert not looks_damaged("")


def test_the_table_is_cut_names_documents_for_people_and_dates_are_dates() -> None:
    rows = [_row(f"t{i:04}", "topical", i / 1000) for i in range(SHOWN_ROWS + 20)]
    node = {"kind": "cong_van", "issuer": "Văn phòng UBND tỉnh Lai Châu", "date": "2024-12-23",
            "source_path": "/x/001_bd32b1ea4bdd5c5a.txt"}
    table = who_table(rows, lambda key: node, lambda r: False, "vi")
    assert table.capped and table.total == SHOWN_ROWS + 20 and len(table.rows) == SHOWN_ROWS
    first = table.rows[0]
    assert first["Văn bản"] == "Công văn Văn phòng UBND tỉnh Lai Châu, 23/12/2024 (chưa có số)"
    assert first["Thời hạn"] == date(2025, 6, 30) and first["Vai trò"] == "Chủ trì"
    assert first["Nguồn"].startswith("van-ban?doc=")
    assert table.source_rows[0]["task_key"] == f"t{SHOWN_ROWS + 19:04}"  # the best score first
    assert count_text(7606, "vi") == "7.606" and count_text(7606, "en") == "7,606"
