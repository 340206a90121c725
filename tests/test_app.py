"""The explorer driven page by page with Streamlit's AppTest (no browser): widgets picked by key.

Every page runs on the sample library (corpus/seeds + corpus/sample, the `sample_library`
fixture); the ingest tests get a library of their own.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from graph.library import FILENAME, Library

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
SEED_001 = REPO / "corpus" / "seeds" / "001_bd32b1ea4bdd5c5a.txt"
SAMPLE_A05 = REPO / "corpus" / "sample" / "a05_snv_cv_boi_duong_ky_nang_so.txt"
# Seed 001 prints no number and no day: named by its kind, its issuer and the year it is filed under.
SEED_001_LABEL = "Công văn Văn phòng Ủy ban nhân dân tỉnh Lai Châu, 2026 (chưa có số)"
PAGES = ("overview", "goals", "documents", "units", "deadlines", "quality", "ingest")
TITLES = {
    "overview": "Tổng quan thực hiện Nghị quyết 57-NQ/TW",
    "goals": "Mục tiêu và chuỗi thực hiện",
    "documents": "Văn bản",
    "units": "Đơn vị",
    "deadlines": "Thời hạn",
    "quality": "Chất lượng dữ liệu",
    "ingest": "Nhập văn bản",
}


def _app(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CHIDAO_DATA", str(data_dir))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app(sample_library: Library, monkeypatch: pytest.MonkeyPatch):
    return _app(sample_library.path.parent, monkeypatch)


@pytest.fixture
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return _app(tmp_path / "data", monkeypatch), tmp_path / "data"


def _go(at, page: str):
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _frame(at, key: str):
    found = [d for d in at.dataframe if d.key == key]
    assert found, f"no dataframe {key}"
    return found[0].value


def _texts(at) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.info, *at.success, *at.error, *at.warning)]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def test_every_page_renders_in_vietnamese(app) -> None:
    for page in PAGES:
        _go(app, page)
        assert [t.value for t in app.title] == [TITLES[page]], page
        assert not _raw_label_keys(app), page
    assert "Kho đồ thị: nhúng (trong máy)" in _texts(app)
    assert any(m.label == "Văn bản" and int(m.value) == 35 for m in app.metric)


def _raw_label_keys(at) -> set[str]:
    """Label keys shown as such: a lookup that found nothing (explorer/labels.py shows the key)."""
    import re

    from explorer.labels import table

    shown = _texts(at) + " ".join(
        str(x.label) for x in (*at.selectbox, *at.button, *at.radio, *at.text_input)
    )
    return {
        k
        for k in re.findall(r"\b[a-z_]+\.[a-z_]+\b", shown)
        if k.split(".")[0] in {key.split(".")[0] for key in table()}
    }


def test_english_switch(app) -> None:
    app.radio(key="lang").set_value("en").run()
    assert app.title[0].value == "Overview of the implementation of Resolution 57-NQ/TW"
    assert "Goal" in _frame(app, "overview_goals").columns
    for page in PAGES:
        _go(app, page)
        assert not _raw_label_keys(app), page
    assert app.title[0].value == "Ingest documents"


def test_overview_puts_what_needs_attention_first(app) -> None:
    app.date_input(key="as_of").set_value(date(2026, 1, 10)).run()
    goals = _frame(app, "overview_goals")
    assert {"57.SOL.1", "57.SOL.5"} <= set(goals["Mục tiêu"])
    ranks = list(zip(goals["Quá hạn"], goals["Sắp đến hạn"], goals["Số nhiệm vụ"], strict=True))
    assert ranks == sorted(ranks, key=lambda r: (-r[0], -r[1], -r[2]))
    assert goals["Quá hạn"].sum() > 0 and goals["Sắp đến hạn"].sum() > 0
    units = _frame(app, "overview_units")
    assert "Sở Khoa học và Công nghệ tỉnh Lạng Sơn" in set(units["Đơn vị"])
    app.selectbox(key="overview_goal").set_value("57.SOL.5").run()
    app.button(key="overview_goal_open").click().run()
    assert app.session_state["selected_goal"] == "57.SOL.5"
    assert app.selectbox(key="goals_goal").value == "57.SOL.5"


def test_choosing_a_goal_shows_who_implements_it(app) -> None:
    _go(app, "goals")
    app.selectbox(key="goals_goal").set_value("57.SOL.1").run()
    who = _frame(app, "goals_who")
    mine = who[who["Đơn vị"] == "Trung tâm Tin học và Công báo tỉnh Lai Châu"]
    assert list(mine["Vai trò"]) == ["Chủ trì"] and list(mine["Thời hạn"]) == [date(2025, 1, 23)]
    assert "Trung tâm Phục vụ hành chính công tỉnh Lai Châu" in set(who["Đơn vị"])
    # The seed has no number: it is named by its kind, issuer and date, never by its file name.
    assert set(mine["Văn bản"]) == {SEED_001_LABEL}
    assert not any(".txt" in str(v) for v in who["Văn bản"])
    # Stated links before inherited ones, inherited before topical.
    ranks = [{"Dẫn chiếu trực tiếp": 0, "Xác nhận tay": 0, "Kế thừa từ văn bản cấp trên": 1}.get(m, 2)
             for m in who["Cách liên kết"]]
    assert ranks == sorted(ranks)
    assert {
        "Đơn vị",
        "Vai trò",
        "Nhiệm vụ",
        "Thời hạn",
        "Văn bản",
        "Cách liên kết",
        "Căn cứ liên kết",
        "Nguồn",
    } <= set(who.columns)
    assert all(str(link).startswith("van-ban?doc=") for link in who["Nguồn"])
    # The cascade by level lists the seed's document among the departments and districts.
    app.button_group(key="goals_view").set_value("cascade").run()
    assert "Sở, ngành và huyện" in _texts(app)
    assert {e.label.split(" · ")[0] for e in app.expander} >= {"615/SKHCN-VP", "38/VP-KGVX"}
    # Each document's title names its issuer and counts its tasks in words.
    assert all(e.label.endswith(" nhiệm vụ") for e in app.expander)
    assert any(e.label.startswith("615/SKHCN-VP · Sở Khoa học và Công nghệ") for e in app.expander)
    # Every row opens its source.
    app.button_group(key="goals_view").set_value("who").run()
    pick = app.selectbox(key="goals_who_pick")
    choice = next(o for o in pick.options if "· 1.1 · Trung tâm Tin học" in o)
    pick.set_value(choice).run()
    app.button(key="goals_who_open").click().run()
    assert app.title[0].value == "Văn bản"
    assert "Giao Trung tâm Tin học và Công báo chủ trì" in _texts(app)


def test_goal_diagram_expands_on_demand(app, sample_library) -> None:
    from exports.cascade_graph import build_cascade_graph
    from graph.goals import load_catalog
    from graph.store_embedded import EmbeddedStore

    store = EmbeddedStore.from_records(sample_library.records(), load_catalog(), sample_library.corrections())
    graph = build_cascade_graph(store, "57.SOL.1", collapse="level")
    group = next(n for n in graph.nodes if n.expandable and n.key == "level:province")
    _go(app, "goals")
    app.selectbox(key="goals_goal").set_value("57.SOL.1").run()
    app.button_group(key="goals_view").set_value("diagram").run()
    assert app.radio(key="goals_collapse").value == "level"
    assert [b.label for b in app.get("download_button")][-7:] == [
        "SVG",
        "PNG",
        "PDF",
        "DOT",
        "MERMAID",
        "GRAPHML",
        "JSON",
    ]
    pick = app.selectbox(key="goals_expand_pick")
    assert group.label.replace("\n", " ") in pick.options
    pick.set_value(group.key).run()
    app.button(key="goals_expand_go").click().run()
    assert not app.exception
    assert app.session_state["goals_expand"] == [group.key]
    # The province group opened: its documents are now nodes that can be expanded in turn.
    assert group.label.replace("\n", " ") not in app.selectbox(key="goals_expand_pick").options
    app.button(key="goals_expand_reset").click().run()
    assert app.session_state["goals_expand"] == []


def test_search_without_diacritics_reaches_the_seed_task(app) -> None:
    _go(app, "documents")
    app.text_input(key="docs_search").set_value("trung tam tin hoc").run()
    listed = _frame(app, "docs_list")
    # Seed 001 has no number: named by kind, issuer and date; its file name is a column of its own.
    seed = listed[listed["Tệp"] == SEED_001.name]
    assert list(seed["Số hiệu"]) == [SEED_001_LABEL]
    assert not any(".txt" in str(ref) for ref in listed["Số hiệu"])
    pick = app.selectbox(key="docs_hits_pick")
    choice = next(o for o in pick.options if "Giao Trung tâm Tin học và Công báo" in o)
    pick.set_value(choice).run()
    app.button(key="docs_hits_open").click().run()
    texts = _texts(app)
    assert "Nhiệm vụ đang xem: 1.1. Giao Trung tâm Tin học và Công báo chủ trì" in texts
    # The text shows every fact at its span: the lead's name and the deadline, marked.
    assert (
        '<mark class="f-lead f-focus" title="nhiệm vụ: 1.1; chủ trì: Trung tâm Tin học và Công báo">'
        "Trung tâm Tin học và Công báo</mark>" in texts
    )
    assert 'class="f-deadline"' in texts and "f-focus" in texts
    tasks = _frame(app, "docs_tasks")
    assert "1.1" in set(tasks["Mục"])
    up = _frame(app, "docs_up")
    assert {"57-NQ/TW", "591-CV/TU"} <= set(up["Số hiệu"])
    assert "Đường 1:" in texts


def test_document_filters(app) -> None:
    _go(app, "documents")
    # Ingested documents only at first, and the count says what else the library knows.
    assert len(_frame(app, "docs_list")) == 35
    assert "Hiển thị 35 văn bản · thư viện có 35 văn bản đã nhập" in _texts(app)
    app.button_group(key="docs_origin").set_value(["ingested", "central", "cited"]).run()
    everything = _frame(app, "docs_list")
    assert len(everything) > 35 and "57-NQ/TW" in set(everything["Số hiệu"])
    app.button_group(key="docs_origin").set_value(["cited"]).run()
    cited = _frame(app, "docs_list")
    assert len(cited) and set(cited["Tệp"]) == {""}
    app.button_group(key="docs_origin").set_value(["ingested"]).run()
    app.multiselect(key="docs_kind").set_value(["ke_hoach"]).run()
    listed = _frame(app, "docs_list")
    assert len(listed) and set(listed["Loại"]) == {"Kế hoạch"}
    app.multiselect(key="docs_level").set_value(["district"]).run()
    assert set(_frame(app, "docs_list")["Số hiệu"]) == {"88/KH-UBND"}


def test_units_page_lists_one_units_work_and_compares_loads(app) -> None:
    _go(app, "units")
    unit = app.selectbox(key="units_unit")
    assert "Sở Nội vụ tỉnh Lạng Sơn (7)" in unit.options  # name and task count; the value is the key
    unit.set_value("so noi vu tinh lang son").run()
    tasks = _frame(app, "units_tasks")
    assert len(tasks) >= 3 and set(tasks["Vai trò"]) <= {"Chủ trì", "Phối hợp"}
    dues = [d for d in tasks["Thời hạn"] if d]
    assert dues == sorted(dues, key=lambda d: d.split("/")[::-1])
    compare = _frame(app, "units_compare")
    assert list(compare["Quá hạn"]) == sorted(compare["Quá hạn"], reverse=True)
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def test_deadlines_as_of_a_day(app) -> None:
    app.date_input(key="as_of").set_value(date(2026, 1, 10)).run()
    _go(app, "deadlines")
    app.radio(key="deadlines_show").set_value("overdue").run()
    overdue = _frame(app, "deadlines_table")
    assert len(overdue) and set(overdue["Tình trạng"]) == {"Quá hạn"}
    app.radio(key="deadlines_show").set_value("due").run()
    due = _frame(app, "deadlines_table")
    assert len(due) and set(due["Tình trạng"]) == {"Sắp đến hạn"}
    assert all(0 <= d <= 30 for d in due["Còn (ngày)"])


def test_data_quality_links_each_finding_to_its_document(app) -> None:
    _go(app, "quality")
    findings = _frame(app, "quality_findings")
    assert "Trích dẫn không tìm thấy văn bản" in set(findings["Loại phát hiện"])
    app.selectbox(key="quality_code").set_value("deadline_before_issue").run()
    one_kind = _frame(app, "quality_findings")
    assert len(one_kind) and set(one_kind["Loại phát hiện"]) == {"Thời hạn trước ngày ban hành"}
    # Said in Vietnamese from the finding's fields, dates as documents print them.
    assert "Nhiệm vụ II.1: thời hạn 30/06/2025 trước ngày ban hành 24/11/2025 (có thể gõ nhầm năm)" in set(
        one_kind["Mô tả"]
    )
    assert not any("deadline" in m for m in one_kind["Mô tả"])
    app.selectbox(key="quality_code").set_value("unresolved_citation").run()
    assert any(m.startswith("Trích dẫn 245/KH-UBND không có trong thư viện")
               for m in _frame(app, "quality_findings")["Mô tả"])
    assert all(str(link).startswith("van-ban?doc=") for link in one_kind["Nguồn"])


def _upload(at, *files: tuple[str, bytes]) -> None:
    at.file_uploader(key="ingest_files").set_value(
        [(name, content, "text/plain") for name, content in files]
    ).run()
    at.button(key="ingest_start").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_upload_correct_and_reingest(empty_app) -> None:
    at, data_dir = empty_app
    assert "Chưa có thư viện" in _texts(at)
    _go(at, "ingest")
    content = SAMPLE_A05.read_bytes()
    _upload(at, ("cv_boi_duong.txt", content))
    results = _frame(at, "ingest_results")
    assert list(results["Tệp"]) == ["cv_boi_duong.txt"] and list(results["Kết quả"]) == ["thêm mới"]
    assert "Xong: 1 thêm mới" in _texts(at)
    assert list(_frame(at, "ingest_saved")["Tệp"]) == ["cv_boi_duong.txt"]
    stored = str((data_dir / "uploads" / "cv_boi_duong.txt").resolve())
    with Library.open(data_dir) as library:
        record = library.record(stored)
    assert record is not None
    task = record["tasks"][0]
    # Correct the first task's lead.
    at.selectbox(key="ingest_correct_doc").set_value(stored).run()
    at.radio(key="ingest_correct_target").set_value("task").run()
    at.selectbox(key="ingest_correct_task").set_value(str(task["id"])).run()
    at.selectbox(key="ingest_correct_field_task").set_value("lead").run()
    at.text_input(key="ingest_correct_value").set_value(
        "Sở Tư pháp tỉnh Lạng Sơn; Sở Nội vụ tỉnh Lạng Sơn"
    ).run()
    at.button(key="ingest_correct_save").click().run()
    assert "Đã lưu hiệu chỉnh #1" in _texts(at)
    assert "Giá trị hiện tại: Sở Tư pháp tỉnh Lạng Sơn; Sở Nội vụ tỉnh Lạng Sơn" in _texts(at)
    # The same file, changed, uploaded again: the document is updated, the correction stays.
    _upload(at, ("cv_boi_duong.txt", content + "\nNơi nhận bổ sung: Lưu VT.\n".encode()))
    assert list(_frame(at, "ingest_results")["Kết quả"]) == ["cập nhật"]
    assert "Giá trị hiện tại: Sở Tư pháp tỉnh Lạng Sơn; Sở Nội vụ tỉnh Lạng Sơn" in _texts(at)
    at.button(key="ingest_reingest").click().run()
    assert list(_frame(at, "ingest_results")["Kết quả"]) == ["không đổi"]
    with Library.open(data_dir) as library:
        corrected = next(r for r in library.corrected_records() if r["source"]["path"] == stored)
    assert corrected["tasks"][0]["lead"] == ["Sở Tư pháp tỉnh Lạng Sơn", "Sở Nội vụ tỉnh Lạng Sơn"]
    # The explorer's graph has it too: the unit leads the task.
    _go(at, "units")
    assert any(o.startswith("Sở Tư pháp tỉnh Lạng Sơn (") for o in at.selectbox(key="units_unit").options)


def test_a_bad_upload_is_refused_and_changes_nothing(empty_app) -> None:
    from explorer.uploads import MAX_UPLOAD_BYTES

    at, data_dir = empty_app
    _go(at, "ingest")
    _upload(at, ("anh_chup.txt", bytes(range(256)) * 64), ("qua_lon.txt", b"a" * (MAX_UPLOAD_BYTES + 1)))
    texts = _texts(at)
    assert "anh_chup.txt: tệp nhị phân, không phải văn bản; không nhận" in texts
    assert "qua_lon.txt: tệp lớn 20.0 MB, vượt giới hạn 20 MB; không nhận" in texts
    assert "Không có tệp hợp lệ nào; thư viện không thay đổi." in texts
    assert set(_frame(at, "ingest_results")["Kết quả"]) == {"không nhận"}
    assert not (data_dir / FILENAME).exists() and not (data_dir / "uploads").exists()


def test_a_bad_upload_beside_a_good_one_leaves_the_library_as_it_was(empty_app) -> None:
    at, data_dir = empty_app
    _go(at, "ingest")
    _upload(at, ("hong.docx", b"PK\x03\x04 not really a zip"), ("tot.txt", SAMPLE_A05.read_bytes()))
    assert "hong.docx: không phải tệp DOCX hợp lệ; không nhận" in _texts(at)
    with Library.open(data_dir) as library:
        assert [Path(d.path).name for d in library.documents()] == ["tot.txt"]
        assert library.failures() == [] and library.version() == 1


def test_an_unreachable_neo4j_is_named_and_the_embedded_store_answers(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CHIDAO_DATA", str(sample_library.path.parent))
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # the discard port: nothing listens
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("Không kết nối được Neo4j" in w.value for w in at.warning)
    assert "Kho đồ thị: nhúng (trong máy)" in _texts(at)
    _go(at, "goals")
    assert len(_frame(at, "goals_who"))


def test_a_scanned_document_shows_its_page_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scan_render import render_scan

    from graph.ingestion import ingest_files
    from ingest.readers import ocr

    problem = ocr.tesseract_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the OCR tests: {problem}")
        pytest.skip(problem)
    scan = tmp_path / "scans" / "cv_boi_duong.png"
    scan.parent.mkdir()
    (page, *_rest) = render_scan(SAMPLE_A05.read_text(encoding="utf-8")[:1500], seed=3)
    page.save(scan, "PNG", dpi=(300, 300))
    with Library.open(tmp_path / "data") as library:
        assert ingest_files(library, [scan]).counts["added"] == 1
        (record,) = library.records()
    assert [p["source"] for p in record["pages"]] == ["ocr"]
    at = _go(_app(tmp_path / "data", monkeypatch), "documents")
    (label,) = at.selectbox(key="docs_doc").options
    assert "1052/SNV-CCVC" in label  # read back from the scan
    from graph.goals import load_catalog
    from graph.store_embedded import EmbeddedStore

    store = EmbeddedStore.from_records([record], load_catalog())
    (doc_key,) = [k for k in store.graph if store.node(k).get("source_path") == record["source"]["path"]]
    at.session_state["selected_doc"] = doc_key  # as a link to the document does
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Chữ của trang 1 được nhận dạng (OCR)" in _texts(at)
    assert not at.warning, [w.value for w in at.warning]
    (image,) = at.get("image")
    assert image.value[0]  # the page, drawn by ingest/readers/page_image.py
