"""Document identity, citation resolution, stubs, and organisation names (graph/identity.py, graph/orgs.py)."""
from __future__ import annotations

import pytest
from graph_records import citation, make_record, task

from graph.build import build_graph
from graph.identity import (
    CitedAs,
    DocumentIndex,
    blank_document_key,
    date_after,
    document_key,
    is_national_ref,
    ref_key,
    year_of,
)
from graph.model import CITES, DocumentNode
from graph.orgs import OrgContext, OrgResolver
from ingest.vocab import load_vocabulary

VOCAB = load_vocabulary()
LAI_CHAU = OrgContext("Lai Châu", "tỉnh", "Lai Châu", "Văn phòng Ủy ban nhân dân tỉnh Lai Châu")
BCD = "Ban Chỉ đạo tỉnh về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"


@pytest.fixture(scope="module")
def orgs() -> OrgResolver:
    return OrgResolver(VOCAB)


# -- keys ------------------------------------------------------------------------------------
def test_refs_compare_folded() -> None:
    assert ref_key("57-NQ/TW") == ref_key("57-nq/tw") == "57-nq/tw"
    assert ref_key("02-TB/BCĐ") == ref_key("02-TB/BCD")


@pytest.mark.parametrize(("a", "b", "after"), [
    ("2026-01-15", "2026", False),       # same year: not surely after
    ("2025-12-30", "2025-12", False),
    ("2026-01-02", "2025-12", True),
    ("2025-01-23", "2026", False),
    (None, "2026", False),
], ids=["day-in-year", "day-in-month", "next-month", "before", "unknown"])
def test_partial_dates_compare_at_their_precision(a: str | None, b: str, after: bool) -> None:
    assert date_after(a, b) is after


@pytest.mark.parametrize(("ref", "national"), [
    ("57-NQ/TW", True), ("71/NQ-CP", True), ("766/QĐ-TTg", True), ("193/2025/QH15", True),
    ("02-KH/BCĐTW", True), ("1205/BKHCN-VP", True),
    ("591-CV/TU", False), ("2653/KH-UBND", False), ("02-TB/BCĐ", False), ("245/SKHCN-KHCN", False),
])
def test_central_symbols_are_national(ref: str, national: bool) -> None:
    assert is_national_ref(ref, VOCAB) is national


def test_keys_hold_ref_year_and_issuer() -> None:
    assert document_key("02-TB/BCĐ", 2025, "ban chi dao tinh lai chau") == "02-tb/bcd|2025|ban chi dao tinh lai chau"
    assert year_of("2025-12") == 2025 and year_of(None) is None
    blank = blank_document_key("van phong uy ban nhan dan tinh lai chau", "2026", "triển khai Nghị quyết 57")
    assert blank.startswith("~|van phong uy ban nhan dan tinh lai chau|2026|") and len(blank.rsplit("|", 1)[1]) == 8
    assert blank != blank_document_key("van phong uy ban nhan dan tinh lai chau", "2026", "một việc khác")


# -- two notices with one ref ------------------------------------------------------------------
def _notices() -> list[dict]:
    lai_chau = make_record("lc/tb02.txt", "02-TB/BCĐ", BCD + " tỉnh Lai Châu", "2025-12-30", kind="thong_bao",
                           tasks=[task("1", "Sở Nội vụ rà soát")])
    lang_son = make_record("ls/tb02.txt", "02-TB/BCĐ", BCD + " tỉnh Lạng Sơn", "2025-12-29", province="Lạng Sơn",
                           kind="thong_bao", tasks=[task("1", "Sở Tài chính rà soát")])
    last_year = make_record("lc/tb02-2024.txt", "02-TB/BCĐ", BCD + " tỉnh Lai Châu", "2024-03-02", kind="thong_bao",
                            tasks=[task("1", "Sở Y tế rà soát")])
    citing = make_record("lc/cv.txt", None, "Ban Thường vụ Đảng ủy Ủy ban nhân dân tỉnh Lai Châu", "2026-01-05",
                         citations=[citation("02-TB/BCĐ", date="2025-12-30", issuer="Ban Chỉ đạo")])
    return [lai_chau, lang_son, last_year, citing]


def test_one_ref_of_two_provinces_or_years_stays_apart(goal_catalog) -> None:
    model = build_graph(_notices(), goal_catalog)
    notices = sorted(k for k, d in model.documents.items() if d.ref == "02-TB/BCĐ")
    assert len(notices) == 3
    assert {model.documents[k].province for k in notices} == {"Lai Châu", "Lạng Sơn"}
    assert {model.documents[k].year for k in notices} == {2024, 2025}
    assert not any(model.documents[k].is_stub for k in notices)


def test_a_citation_resolves_by_province_and_year(goal_catalog) -> None:
    model = build_graph(_notices(), goal_catalog)
    citing = next(k for k, d in model.documents.items() if d.source_path == "lc/cv.txt")
    targets = [e.target for e in model.edges if e.type == CITES and e.source == citing]
    assert len(targets) == 1
    target = model.documents[targets[0]]
    assert (target.source_path, target.province, target.year) == ("lc/tb02.txt", "Lai Châu", 2025)


# -- stubs -------------------------------------------------------------------------------------
def _real_591() -> DocumentNode:
    return DocumentNode(key=document_key("591-CV/TU", 2026, "ban thuong vu tinh uy lai chau"), ref="591-CV/TU",
                        kind="cong_van", issuer="Ban Thường vụ Tỉnh ủy Lai Châu",
                        issuer_key="ban thuong vu tinh uy lai chau", date="2026-01-15", year=2026,
                        province="Lai Châu", level="province", source_path="lc/591.txt")


CITED_591 = CitedAs(ref="591-CV/TU", date="2026-01-15", year=2026, issuer_key="ban thuong vu tinh uy lai chau",
                    issuer_name="Ban Thường vụ Tỉnh ủy Lai Châu", province="Lai Châu")


def test_stub_merges_with_the_document_ingested_after_it() -> None:
    index = DocumentIndex()
    stub = index.add_stub(CITED_591, "cong_van", "province")
    assert index.nodes[stub].is_stub
    key, duplicate = index.add_document(_real_591())
    assert duplicate is None and index.canonical(stub) == key and not index.nodes[key].is_stub
    assert any(m.kept == key for m in index.merges)


def test_stub_with_another_key_merges_by_ref_and_compatible_year() -> None:
    index = DocumentIndex()
    vague = CitedAs(ref="591-CV/TU", issuer_key="tinh uy lai chau", province="Lai Châu")  # no date, another name
    stub = index.add_stub(vague, "cong_van", "province")
    key, _ = index.add_document(_real_591())
    assert stub != key and index.canonical(stub) == key


def test_a_document_ingested_first_is_what_the_citation_resolves_to() -> None:
    index = DocumentIndex()
    key, _ = index.add_document(_real_591())
    assert index.resolve(CITED_591).key == key


def test_a_stub_of_another_province_does_not_merge() -> None:
    index = DocumentIndex()
    stub = index.add_stub(CITED_591, "cong_van", "province")
    other = DocumentNode(key="591-cv/tu|2026|ban thuong vu tinh uy lang son", ref="591-CV/TU", kind="cong_van",
                         issuer_key="ban thuong vu tinh uy lang son", year=2026, province="Lạng Sơn")
    index.add_document(other)
    assert index.canonical(stub) == stub and index.nodes[stub].is_stub


@pytest.mark.parametrize("order", ["citing-first", "cited-first"])
def test_build_merges_the_stub_whichever_record_comes_first(goal_catalog, order: str) -> None:
    citing = make_record("lc/vp.txt", None, "Văn phòng Ủy ban nhân dân tỉnh Lai Châu", "2026-01-20",
                         citations=[citation("591-CV/TU", date="2026-01-15", issuer="Ban Thường vụ Tỉnh ủy")])
    cited = make_record("lc/591.txt", "591-CV/TU", "Ban Thường vụ Tỉnh ủy Lai Châu", "2026-01-15",
                        tasks=[task("1", "Các cơ quan triển khai")])
    records = [citing, cited] if order == "citing-first" else [cited, citing]
    model = build_graph(records, goal_catalog)
    docs = [d for d in model.documents.values() if d.ref == "591-CV/TU"]
    assert len(docs) == 1 and not docs[0].is_stub and docs[0].source_path == "lc/591.txt"
    citing_key = next(k for k, d in model.documents.items() if d.source_path == "lc/vp.txt")
    assert [e.target for e in model.edges if e.type == CITES and e.source == citing_key] == [docs[0].key]


def test_a_cited_only_document_is_a_stub_keyed_from_the_citing_text(sample_graph) -> None:
    stubs = [d for d in sample_graph.documents.values() if d.ref == "591-CV/TU"]
    assert len(stubs) == 1
    stub = stubs[0]
    assert stub.is_stub and stub.year == 2026 and stub.province == "Lai Châu"
    assert stub.key == "591-cv/tu|2026|ban thuong vu tinh uy lai chau"


def test_a_provincial_symbol_without_issuer_takes_the_citing_province(goal_catalog) -> None:
    citing = make_record("lc/x.txt", "12/UBND-VP", "Ủy ban nhân dân tỉnh Lai Châu", "2026-02-01",
                         citations=[citation("591-CV/TU")])
    model = build_graph([citing], goal_catalog)
    stub = next(d for d in model.documents.values() if d.ref == "591-CV/TU")
    assert stub.is_stub and stub.province == "Lai Châu" and stub.issuer_key == "tinh uy lai chau"


@pytest.mark.parametrize(("cited", "why"), [
    (citation("591-CV/TU", date="2026-03-01"), "dated after itself"),
    (citation("12/UBND-VP", date="2026-02-01"), "cites itself"),
])
def test_impossible_citations_are_rejected_as_findings(goal_catalog, cited: dict, why: str) -> None:
    citing = make_record("lc/x.txt", "12/UBND-VP", "Ủy ban nhân dân tỉnh Lai Châu", "2026-02-01", citations=[cited])
    model = build_graph([citing], goal_catalog)
    key = next(k for k, d in model.documents.items() if d.source_path == "lc/x.txt")
    assert not [e for e in model.edges if e.type == CITES and e.source == key]
    rejected = [f for f in model.findings if f["code"] == "rejected_citation"]
    assert len(rejected) == 1 and why in rejected[0]["message"]


# -- organisations -----------------------------------------------------------------------------
@pytest.mark.parametrize("names", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh Lai Châu", "Ủy ban nhân dân tỉnh"),
    ("Tỉnh uỷ", "Tỉnh ủy", "Tỉnh ủy Lai Châu"),
    ("Sở KH&CN", "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ tỉnh Lai Châu", "Sở KHCN Lai Châu"),
], ids=["ubnd", "tinh-uy", "so-khcn"])
def test_lai_chau_names_of_one_body_resolve_to_one_key(orgs: OrgResolver, names: tuple[str, ...]) -> None:
    keys = {orgs.resolve(name, LAI_CHAU, trim=True).key for name in names}
    assert len(keys) == 1, keys


def test_lai_chau_bodies_are_localised(orgs: OrgResolver) -> None:
    ubnd = orgs.resolve("UBND tỉnh", LAI_CHAU)
    assert (ubnd.key, ubnd.name, ubnd.province) == ("uy ban nhan dan tinh lai chau", "Ủy ban nhân dân tỉnh Lai Châu",
                                                    "Lai Châu")
    assert ubnd.reason  # the printed name changed: the merge says why
    assert orgs.resolve("Sở Nội vụ", LAI_CHAU).key != orgs.resolve("Sở Nội vụ", OrgContext("Lạng Sơn", "tỉnh",
                                                                                          "Lạng Sơn")).key


def test_bare_units_belong_to_the_issuer(orgs: OrgResolver) -> None:
    department = OrgContext("Thái Nguyên", "tỉnh", "Thái Nguyên", "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên")
    assert orgs.resolve("Văn phòng Sở", department).name == "Văn phòng Sở Giáo dục và Đào tạo tỉnh Thái Nguyên"
    party = OrgContext("Lai Châu", "tỉnh", "Lai Châu", "Ban Thường vụ Đảng ủy Ủy ban nhân dân tỉnh Lai Châu")
    assert orgs.resolve("Văn phòng Đảng ủy", party).name == "Văn phòng Đảng ủy Ủy ban nhân dân tỉnh Lai Châu"
    district = OrgContext(None, "huyện", "Cao Lộc", "Ủy ban nhân dân huyện Cao Lộc")
    assert orgs.resolve("Phòng Nội vụ", district).name == "Phòng Nội vụ huyện Cao Lộc"


def test_header_read_backwards_and_run_on_issuers_are_repaired(orgs: OrgResolver) -> None:
    thai_nguyen = OrgContext("Thái Nguyên", "tỉnh", "Thái Nguyên")
    assert orgs.resolve("Tỉnh Thái Nguyên Ủy Ban Nhân Dân", thai_nguyen).key == "uy ban nhan dan tinh thai nguyen"
    assert orgs.resolve("Chính phủ và Chương", OrgContext(), trim=True).key == "chinh phu"
    assert orgs.resolve("Ban Thường vụ Tỉnh ủy và Kế hoạch số", LAI_CHAU, trim=True).key == \
        "ban thuong vu tinh uy lai chau"


def test_the_sample_graph_has_one_node_per_lai_chau_body(sample_graph) -> None:
    orgs = sample_graph.organizations
    ubnd = orgs["uy ban nhan dan tinh lai chau"]
    assert ubnd.name == "Ủy ban nhân dân tỉnh Lai Châu" and "UBND tỉnh" in ubnd.aliases
    assert any(m.kept == ubnd.key and m.merged == "UBND tỉnh" and m.reason for m in sample_graph.merges)
    assert not [k for k in orgs if k.startswith("uy ban nhan dan tinh") and "lai chau" not in k and
                orgs[k].province == "Lai Châu"]


def test_curated_organisation_merges_are_applied(goal_catalog) -> None:
    from graph.corrections import Correction
    record = make_record("lc/y.txt", "7/VP", "Văn phòng Ủy ban nhân dân tỉnh Lai Châu", "2026-02-01",
                         tasks=[task("1", "Trung tâm Tin học - Công báo tham mưu", lead=["TT Tin học tỉnh"])])
    merge = Correction(1, "organization", "TT Tin học tỉnh Lai Châu", "merge_into", "Trung tâm Tin học và Công báo",
                       None, "2026-02-02T00:00:00Z")
    model = build_graph([record], goal_catalog, [merge])
    assert "trung tam tin hoc va cong bao tinh lai chau" in model.organizations
    assert not any(k.startswith("tt tin hoc") for k in model.organizations)
