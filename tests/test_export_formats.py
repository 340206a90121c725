"""exports/formats.py and exports/tables.py: every format made for real and read back (issue 5).

SVG, PNG and PDF need Graphviz's `dot`: outside CI a missing one skips those tests with the
apt package to install; under CI=true it fails them.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import struct
import xml.etree.ElementTree as ET
from datetime import date, datetime

import networkx as nx
import openpyxl
import pdfplumber
import pytest
from PIL import Image

from exports import ExportError
from exports.cascade_graph import CascadeGraph, DiagramEdge, DiagramNode, build_cascade_graph
from exports.formats import CASCADE_FORMATS, MEDIA_TYPES, SUFFIXES, render_cascade
from exports.mermaid import mermaid_text
from exports.tables import TASK_COLUMNS, sheet_name, task_sheets, task_table, to_csv, to_xlsx
from queries import who

GOAL = "57.SOL.1"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def dot_program() -> None:
    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz's dot is missing under CI: apt-get install graphviz")
        pytest.skip("Graphviz's dot is missing: apt-get install graphviz")


@pytest.fixture(scope="module")
def goal_graph(sample_store) -> CascadeGraph:
    return build_cascade_graph(sample_store, GOAL, max_children=10_000, max_tasks=None)


@pytest.fixture(scope="module")
def goal_units(sample_store) -> set[str]:
    return {r["organization"] for r in who.run(sample_store, target=GOAL) if r["organization"]}


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- drawn by dot ------------------------------------------------------------------------
def test_svg_parses_and_holds_the_goal_s_units(dot_program, goal_graph, goal_units) -> None:
    root = ET.fromstring(render_cascade(goal_graph, "svg"))
    assert root.tag == SVG + "svg"
    drawn = []
    for group in root.iter(SVG + "g"):
        if group.get("class") == "node":
            drawn.append(squeeze(" ".join(t.text or "" for t in group.iter(SVG + "text"))))
    assert len(drawn) == len(goal_graph.nodes)
    assert goal_units <= set(drawn)  # each unit's name whole, with its diacritics
    assert any(text.startswith("95/KH-UBND Ủy ban nhân dân tỉnh Lạng Sơn") for text in drawn)
    fonts = {t.get("font-family") for t in root.iter(SVG + "text")}
    assert fonts == {"DejaVu Sans"}


def test_png_decodes(dot_program, goal_graph) -> None:
    data = render_cascade(goal_graph, "png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, chunk, width, height = struct.unpack(">I4sII", data[8:24])
    assert (length, chunk) == (13, b"IHDR") and width > 500 and height > 200
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.size == (width, height)
        assert len(image.getcolors(maxcolors=1 << 20) or ()) > 2  # drawn on, not blank


def test_pdf_decodes_with_its_vietnamese_text(dot_program, goal_graph) -> None:
    with pdfplumber.open(io.BytesIO(render_cascade(goal_graph, "pdf"))) as pdf:
        assert len(pdf.pages) == 1
        text = squeeze(pdf.pages[0].extract_text())
    assert text.startswith("Mục tiêu 57.SOL.1: Nâng cao nhận thức")
    assert "Ủy ban nhân dân tỉnh Lạng Sơn" in text and "95/KH-UBND" in text


def test_a_missing_dot_is_a_clear_error(goal_graph, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ExportError, match="apt-get install graphviz"):
        render_cascade(goal_graph, "svg")
    assert render_cascade(goal_graph, "dot")  # the text formats need no program


# -- written here or by networkx -----------------------------------------------------------
def test_dot_source(goal_graph) -> None:
    text = render_cascade(goal_graph, "dot").decode("utf-8")
    assert text.startswith("digraph cascade {")
    assert "rankdir=TB" in text and 'fontname="DejaVu Sans"' in text
    assert len(re.findall(r"^\s+n\d+ \[", text, flags=re.MULTILINE)) == len(goal_graph.nodes)
    assert len(re.findall(r"^\s+n\d+ -> n\d+", text, flags=re.MULTILINE)) == len(goal_graph.edges)
    assert "Trung tâm Tin học và Công\\nbáo tỉnh Lai Châu" in text  # wrapped, diacritics kept


def test_dot_keeps_a_backslash_as_a_backslash() -> None:
    graph = CascadeGraph("t", "t", (DiagramNode("a:b", "Số 12\\N", "document", None),), ())
    assert 'label="Số 12\\\\N"' in render_cascade(graph, "dot").decode("utf-8")


def test_mermaid(goal_graph) -> None:
    text = render_cascade(goal_graph, "mermaid").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1].startswith('title: "Mục tiêu 57.SOL.1') and lines[3] == "flowchart TD"
    node_lines = [line for line in lines if re.match(r"^\s+n\d+[\[\(>]", line)]
    assert len(node_lines) == len(goal_graph.nodes)
    assert len([line for line in lines if re.match(r"^\s+n\d+ -", line)]) == len(goal_graph.edges)
    assert any("Trung tâm Tin học và Công báo tỉnh Lai Châu" in line for line in node_lines)


def test_mermaid_escapes_what_would_end_a_label() -> None:
    tricky = 'Kế hoạch "khung" [dự thảo] (lần 2) #1 | {x} <b>'
    graph = CascadeGraph("t", "t", (DiagramNode("doc|1:2", tricky, "document", None),
                                    DiagramNode("more:doc|1:2", "còn 3 mục nữa", "more", None, 3, True)),
                         (DiagramEdge("doc|1:2", "more:doc|1:2", "based_on"),))
    text = render_cascade(graph, "mermaid").decode("utf-8")
    escaped = mermaid_text(tricky)
    assert not set('"[](){}|<>') & set(escaped)
    assert f'    n0["{escaped}"]' in text.splitlines()
    assert "    n0 -->|căn cứ| n1" in text.splitlines()
    assert "#quot;khung#quot;" in escaped and "#91;dự thảo#93;" in escaped


def test_graphml_loads_back_with_the_same_nodes(goal_graph) -> None:
    network = nx.read_graphml(io.BytesIO(render_cascade(goal_graph, "graphml")))
    assert set(network.nodes) == {n.key for n in goal_graph.nodes}
    assert network.number_of_edges() == len(goal_graph.edges)
    unit = next(n for n in goal_graph.nodes if n.label == "Trung tâm Tin học và Công báo tỉnh Lai Châu")
    assert network.nodes[unit.key]["label"] == unit.label and network.nodes[unit.key]["kind"] == "organization"
    relations = {d["relation"] for _, _, d in network.edges(data=True)}
    assert {"has_task", "lead", "support", "implements"} <= relations


def test_json_node_link(goal_graph) -> None:
    data = json.loads(render_cascade(goal_graph, "json"))
    assert data["graph"]["title"] == goal_graph.title
    network = nx.node_link_graph(data, edges="edges")
    assert set(network.nodes) == {n.key for n in goal_graph.nodes}
    assert network.number_of_edges() == len(goal_graph.edges)
    goal = network.nodes[GOAL]
    assert goal["kind"] == "goal" and goal["label"].startswith("57.SOL.1\nNâng cao")


def test_every_format_has_a_suffix_and_a_media_type(goal_graph) -> None:
    assert set(CASCADE_FORMATS) <= set(SUFFIXES) and set(CASCADE_FORMATS) <= set(MEDIA_TYPES)
    assert {"csv", "xlsx"} <= set(SUFFIXES) & set(MEDIA_TYPES)
    with pytest.raises(ExportError, match="one of svg, png"):
        render_cascade(goal_graph, "bmp")


# -- task tables -------------------------------------------------------------------------
def test_a_goal_s_task_table_is_who_s_rows(sample_store) -> None:
    rows = task_table(sample_store, GOAL)
    assert len(rows) == len(who.run(sample_store, target=GOAL))
    lead = next(r for r in rows if r["organization"] == "Trung tâm Tin học và Công báo tỉnh Lai Châu")
    assert lead["role"] == "chủ trì" and lead["due"] == date(2025, 1, 23) and lead["method"] == "theo nội dung"
    assert {r["role"] for r in rows} <= {"chủ trì", "chủ trì (theo nơi nhận)", "phối hợp", ""}


def test_another_document_s_table_is_its_tasks(sample_store) -> None:
    (plan,) = sample_store.find_documents("95/KH-UBND")
    rows = task_table(sample_store, "95/KH-UBND")
    assert {r["task_key"] for r in rows} == set(sample_store.tasks_of[plan])
    assert {r["doc_ref"] for r in rows} == {"95/KH-UBND"} and {r["doc_date"] for r in rows} == {date(2025, 4, 22)}
    assert {r["organization"] for r in rows} >= {"Sở Khoa học và Công nghệ tỉnh Lạng Sơn"}


def test_csv_reads_back_in_utf8_with_a_bom(sample_store) -> None:
    rows = task_table(sample_store, GOAL)
    data = to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(TASK_COLUMNS.values())
    assert table[0][:4] == ["Đơn vị", "Vai trò", "Mục", "Nhiệm vụ"]
    assert len(table) == len(rows) + 1
    heading = table[0]
    found = [r for r in table[1:] if r[heading.index("Đơn vị")] == "Trung tâm Tin học và Công báo tỉnh Lai Châu"]
    assert found and found[0][heading.index("Thời hạn")] == "2025-01-23"


def test_csv_keeps_a_leading_dash_as_text() -> None:
    data = to_csv([{"task_text": "- Tổ chức tuyên truyền", "organization": "=1+1"}]).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(data)))[1]
    assert row[0] == "'=1+1" and row[3] == "'- Tổ chức tuyên truyền"


def test_xlsx_has_dates_a_frozen_header_and_one_sheet_per_view(sample_store) -> None:
    sheets = task_sheets(sample_store, "57-NQ/TW")
    assert next(iter(sheets)) == "Tất cả nhiệm vụ" and GOAL in sheets
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(sheets)))
    assert workbook.sheetnames == list(sheets)
    for name, rows in sheets.items():
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == list(TASK_COLUMNS.values())
        assert sheet.max_row == len(rows) + 1
    sheet = workbook[GOAL]
    heading = [c.value for c in sheet[1]]
    due = heading.index("Thời hạn") + 1
    dated = [sheet.cell(row=i, column=due) for i in range(2, sheet.max_row + 1)
             if sheet.cell(row=i, column=due).value is not None]
    assert dated and all(c.is_date and isinstance(c.value, datetime) and c.number_format == "dd/mm/yyyy"
                         for c in dated)
    expected = sorted(r["due"] for r in sheets[GOAL] if r["due"])
    assert sorted(c.value.date() for c in dated) == expected
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["B"].width  # task text is wide


def test_a_month_only_date_stays_text_in_xlsx() -> None:
    rows = [{"organization": "Ủy ban nhân dân xã Đồng Đăng", "doc_date": "2026-01", "due": date(2026, 1, 20)}]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx({"x": rows}))).active
    heading = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=heading.index("Ngày văn bản") + 1).value == "2026-01"
    assert sheet.cell(row=2, column=heading.index("Thời hạn") + 1).is_date


@pytest.mark.parametrize(("name", "expected"), [
    ("57-NQ/TW", "57-NQ-TW"),
    ("Kế hoạch [dự thảo]: *?\\", "Kế hoạch -dự thảo-- ---"),
    ("'trích'", "trích"),
    ("Triển khai thực hiện Nghị quyết số 57-NQ/TW năm 2026", "Triển khai thực hiện Nghị quyết"),
    ("", "Nhiệm vụ"),
])
def test_sheet_names_excel_accepts(name: str, expected: str) -> None:
    assert sheet_name(name, set()) == expected


def test_sheet_names_stay_unique() -> None:
    taken: set[str] = set()
    names = [sheet_name("Triển khai thực hiện Nghị quyết số 57", taken) for _ in range(3)]
    names.append(sheet_name("TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 57", taken))
    assert len({n.casefold() for n in names}) == 4 and all(len(n) <= 31 for n in names)
    assert names[1].endswith(" (2)") and names[2].endswith(" (3)")
