"""Records + catalog → GraphModel (graph/build.py), on the sample corpus."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from graph_records import citation, make_record, task
from sample_graph import sample_records

from graph.build import build_graph
from graph.model import CITES, HAS_TASK, IMPLEMENTS, ISSUED_BY, LEAD, SUBTASK_OF, SUPPORT, GraphModel

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def doc_of(model: GraphModel, stem: str) -> str:
    keys = [k for k, d in model.documents.items() if (d.source_path or "").split("/")[-1].startswith(stem)]
    assert len(keys) == 1, (stem, keys)
    return keys[0]


def cascade_links(name: str) -> list[tuple[str, str, str]]:
    """(from stem, to stem, relation) of the link table in corpus/cascade-a.md or cascade-b.md."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    heading = "## Edges inside the cascade" if name == "cascade-a.md" else "## Intra-cascade edges"
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    header = None
    out = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3:
            continue
        if cells[0] == "from":
            header = cells
            continue
        if header is None or not re.match(r"[ab]\d\d", cells[0]):
            continue
        row = dict(zip(header, cells, strict=False))
        source = re.match(r"[ab]\d\d", row["from"]).group(0)
        target = re.match(r"[ab]\d\d", row["to"]).group(0)
        out.append((source, target, row["relation"].split()[0]))
    return out


def test_the_link_tables_are_read() -> None:
    assert len(cascade_links("cascade-a.md")) == 23
    assert len(cascade_links("cascade-b.md")) == 12


@pytest.mark.parametrize("name", ["cascade-a.md", "cascade-b.md"])
def test_cascades_come_out_as_written(sample_graph, name: str) -> None:
    cites = {(e.source, e.target): e.props() for e in sample_graph.edges if e.type == CITES}
    missing = []
    for source, target, relation in cascade_links(name):
        edge = cites.get((doc_of(sample_graph, source + "_"), doc_of(sample_graph, target + "_")))
        if edge is None or relation not in edge["relations"]:
            missing.append(f"{source} → {target} ({relation}): {edge and edge['relations']}")
    assert not missing, "\n".join(missing)


def test_every_record_is_a_document_with_its_tasks(sample_graph) -> None:
    records = sample_records()
    real = [d for d in sample_graph.documents.values() if d.source_path and not d.is_central]
    assert len(real) == len(records) and not [d for d in real if d.is_stub]
    parsed = [t for t in sample_graph.tasks.values() if not t.is_stub]
    assert len(parsed) == sum(len(r["tasks"]) for r in records)
    has_task = [e for e in sample_graph.edges if e.type == HAS_TASK]
    assert len(has_task) == len(sample_graph.tasks)
    assert all(sample_graph.tasks[e.target].doc_key == e.source for e in has_task)


@pytest.mark.parametrize(("stem", "level"), [
    ("a01_", "province"), ("a03_", "province"), ("a04_", "department"), ("a07_", "district"),
    ("a08_", "commune"), ("b01_", "ministry"), ("b12_", "commune"), ("001_", "department"),
])
def test_levels_come_from_the_issuer(sample_graph, stem: str, level: str) -> None:
    assert sample_graph.documents[doc_of(sample_graph, stem)].level == level


def test_central_documents_are_central(sample_graph) -> None:
    central = [d for d in sample_graph.documents.values() if d.is_central]
    assert central and all(d.level == "central" for d in central)
    assert {d.ref for d in central} >= {"57-NQ/TW", "03/NQ-CP", "71/NQ-CP", "01-KH/BCĐTW", "02-KH/BCĐTW"}


def test_subtasks_hang_from_their_parent(sample_graph) -> None:
    expected = set()
    for record in sample_records():
        doc = doc_of(sample_graph, record["source"]["path"].split("/")[-1].split(".")[0])
        seen: dict[str, int] = {}
        for i, item in enumerate(record["tasks"]):
            if item["parent"] in seen:
                expected.add((doc, i, seen[item["parent"]]))
            seen[item["id"]] = i
    found = {(e.source, e.target) for e in sample_graph.edges if e.type == SUBTASK_OF}
    assert expected, "the sample has nested tasks"
    assert len(found) == len(expected)
    assert all(sample_graph.tasks[s].doc_key == sample_graph.tasks[t].doc_key for s, t in found)


def test_repeated_task_ids_get_their_own_keys(goal_catalog) -> None:
    record = make_record("r.txt", "3/UBND-VP", "Ủy ban nhân dân tỉnh Lai Châu", "2026-01-01",
                         tasks=[task("2", "Về xây dựng kế hoạch"), task("2", "Sở Nội vụ xây dựng", parent="2")])
    model = build_graph([record], goal_catalog)
    keys = sorted(model.tasks)
    assert len(keys) == 2 and keys[1] == keys[0] + "~2"
    assert [(e.source, e.target) for e in model.edges if e.type == SUBTASK_OF] == [(keys[1], keys[0])]


def test_roles_go_to_organisations(sample_graph) -> None:
    doc = doc_of(sample_graph, "001_")
    key = next(k for k, t in sample_graph.tasks.items() if t.doc_key == doc and t.task_id == "1.1")
    lead = {e.target: e.props() for e in sample_graph.edges if e.type == LEAD and e.source == key}
    support = {e.target for e in sample_graph.edges if e.type == SUPPORT and e.source == key}
    assert lead == {"trung tam tin hoc va cong bao tinh lai chau": {"implicit": False}}
    assert support == {"trung tam phuc vu hanh chinh cong tinh lai chau"}
    implicit = [e for e in sample_graph.edges if e.type == LEAD and e.props()["implicit"]
                and sample_graph.tasks[e.source].doc_key == doc_of(sample_graph, "004_")]
    assert implicit  # seed 004's requests name no doer: the recipients lead, implicitly


def test_documents_are_issued_by_organisations(sample_graph) -> None:
    issued = {e.source: e.target for e in sample_graph.edges if e.type == ISSUED_BY}
    assert issued[doc_of(sample_graph, "004_")] == "lien doan lao dong tinh lai chau"
    assert issued[doc_of(sample_graph, "b04_")] == "uy ban nhan dan tinh thai nguyen"  # header read backwards
    assert all(target in sample_graph.organizations for target in issued.values())


def test_a_named_part_of_a_cited_document_is_implemented(sample_graph) -> None:
    implements = {(sample_graph.tasks[e.source].task_id, sample_graph.tasks[e.target].task_id,
                   sample_graph.tasks[e.source].doc_key, sample_graph.tasks[e.target].doc_key): e.props()
                  for e in sample_graph.edges if e.type == IMPLEMENTS}
    a10, a09 = doc_of(sample_graph, "a10_"), doc_of(sample_graph, "a09_")
    assert ("3", "2.1.c", a10, a09) in implements  # "điểm c tiểu mục 2.1 mục 2 Thông báo số 07-TB/BCĐ"
    a04, a03 = doc_of(sample_graph, "a04_"), doc_of(sample_graph, "a03_")
    assert ("2.b", "PL.II.3", a04, a03) in implements  # "(nhiệm vụ số 3 của Phụ lục)" of the plan a04 carries out
    assert implements[("3", "2.1.c", a10, a09)]["evidence"].startswith("điểm c tiểu mục 2.1")


def test_a_stub_cited_beside_57_carries_it_out(sample_graph) -> None:
    nq57 = next(k for k, d in sample_graph.documents.items() if d.ref == "57-NQ/TW")
    for ref in ("591-CV/TU", "02-TB/BCĐ"):
        stub = next(k for k, d in sample_graph.documents.items() if d.ref == ref and d.is_stub)
        edge = next(e.props() for e in sample_graph.edges if e.type == CITES and e.source == stub and e.target == nq57)
        assert edge["is_inferred"] and edge["resolved_by"] == "co-citation" and "57-NQ/TW" in edge["evidence"]


def test_findings(sample_graph) -> None:
    by_code: dict[str, list[dict]] = {}
    for finding in sample_graph.findings:
        by_code.setdefault(finding["code"], []).append(finding)
    deadlines = {f["value"] for f in by_code["deadline_before_issue"]}
    assert {"2025-01-23", "2025-01-12"} <= deadlines
    unresolved = {f["value"] for f in by_code["unresolved_citation"]}
    assert {"591-CV/TU", "02-TB/BCĐ", "35-CTr/TU"} <= unresolved
    assert "57-NQ/TW" not in unresolved and "13/2023/NĐ-CP" not in unresolved  # central: known, not missing
    assert all(set(f) == {"code", "origin", "doc_key", "ref", "source_path", "task_key", "value", "message"}
               for f in sample_graph.findings)


def test_duplicates_and_conflicts_are_findings(goal_catalog) -> None:
    one = make_record("a/kh.txt", "95/KH-UBND", "Ủy ban nhân dân tỉnh Lạng Sơn", "2025-04-22", province="Lạng Sơn",
                      tasks=[task("1", "Sở Nội vụ rà soát")])
    copy = {**one, "source": {"path": "b/kh.pdf", "sha256": "f" * 64}}
    other = {**one, "source": {"path": "c/kh.docx", "sha256": "e" * 64},
             "document": {**one["document"], "subject": "một kế hoạch khác"}}
    model = build_graph([one, copy, other], goal_catalog)
    assert len([d for d in model.documents.values() if d.ref == "95/KH-UBND"]) == 1
    codes = {(f["code"], f["value"]) for f in model.findings}
    assert ("probable_duplicate", "b/kh.pdf") in codes and ("conflicting_metadata", "c/kh.docx") in codes
    assert len(model.tasks) == 1


def test_a_document_without_tasks_is_a_finding(goal_catalog) -> None:
    model = build_graph([make_record("x.txt", "1/UBND-VP", "Ủy ban nhân dân tỉnh Lai Châu", "2026-01-01")],
                        goal_catalog)
    assert [f["code"] for f in model.findings if f["doc_key"] in model.documents] == ["no_tasks"]


def test_the_build_does_not_depend_on_record_order(goal_catalog) -> None:
    records = list(sample_records())
    forward, backward = build_graph(records, goal_catalog), build_graph(records[::-1], goal_catalog)
    assert forward.nodes() == backward.nodes()
    assert sorted(map(repr, forward.edges)) == sorted(map(repr, backward.edges))
    assert forward.findings == backward.findings


def test_a_record_correction_is_applied(goal_catalog) -> None:
    from graph.corrections import Correction
    record = make_record("lc/z.txt", "8/VP", "Văn phòng Ủy ban nhân dân tỉnh Lai Châu", "2026-02-01",
                         citations=[citation("591-CV/TU", date="2026-01-15")],
                         tasks=[task("1", "Rà soát", deadline="2025-02-10")])
    fix = Correction(1, "task", "lc/z.txt#1", "deadline", "2026-02-10", None, "2026-02-02T00:00:00Z")
    model = build_graph([record], goal_catalog, [fix])
    assert [t.deadline for t in model.tasks.values()] == ["2026-02-10"]
    assert not [f for f in model.findings if f["code"] == "deadline_before_issue"]


def test_a_named_part_of_a_cited_only_document_is_a_stub_task(sample_graph) -> None:
    seed = doc_of(sample_graph, "003_")
    edges = [e for e in sample_graph.edges if e.type == IMPLEMENTS and sample_graph.tasks[e.source].doc_key == seed]
    assert len(edges) == 1
    part = sample_graph.tasks[edges[0].target]
    assert part.is_stub and part.task_id == "2.3" and sample_graph.documents[part.doc_key].ref == "02-TB/BCĐ"
    assert sample_graph.documents[part.doc_key].is_stub


def test_the_named_part_is_the_real_task_once_the_document_is_in(goal_catalog) -> None:
    notice = make_record("lc/tb02.txt", "02-TB/BCĐ", "Ban Chỉ đạo tỉnh", "2025-12-30", kind="thong_bao",
                         tasks=[task("2.3", "Ủy ban nhân dân tỉnh chỉ đạo số hóa hồ sơ", lead=["Ủy ban nhân dân tỉnh"])])
    text = "Ủy ban nhân dân tỉnh triển khai các nội dung tại Tiểu mục 2.3 Mục 2 Thông báo số 02-TB/BCĐ"
    letter = make_record("lc/cv.txt", None, "Ban Thường vụ Đảng ủy Ủy ban nhân dân tỉnh Lai Châu", "2026-01-05",
                         citations=[citation("02-TB/BCĐ", date="2025-12-30", issuer="Ban Chỉ đạo")],
                         tasks=[task("1", text, lead=["Ủy ban nhân dân tỉnh"])])
    for records in ([letter], [letter, notice]):
        model = build_graph(records, goal_catalog)
        [edge] = [e for e in model.edges if e.type == IMPLEMENTS]
        assert model.tasks[edge.target].is_stub is (len(records) == 1)
        assert model.tasks[edge.target].task_id == "2.3"
