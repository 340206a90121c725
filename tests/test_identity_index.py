"""DocumentIndex files documents by (ref, year, province) so that a citation reads only the
documents it could mean; these tests hold that filing to the plain scan over every document
of the ref, also after stubs learn their year and documents their province."""
from __future__ import annotations

import random

from graph.identity import CitedAs, DocumentIndex, compatible, ref_key
from graph.model import DocumentNode

REFS = ("44/UBND-VP", "115/KH-UBND", "57-NQ/TW")
PROVINCES = (None, "Lai Châu", "Lạng Sơn")
YEARS = (None, 2025, 2026)


def _scan(index: DocumentIndex, cited: CitedAs, citing: DocumentNode | None) -> set[str]:
    """What resolve() must choose among: every document of the ref that compatible() accepts."""
    return {k for k in index.by_ref.get(ref_key(cited.ref or ""), []) if k in index.nodes
            and compatible(index.nodes[k], cited, citing.date if citing else None)
            and (citing is None or k != citing.key)}


def _node(rng: random.Random, i: int) -> DocumentNode:
    year = rng.choice(YEARS)
    province = rng.choice(PROVINCES)
    central = rng.random() < 0.1
    return DocumentNode(key=f"doc{i}", ref=rng.choice(REFS), kind="cong_van", year=year,
                        date=f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if year else None,
                        province=None if central else province, is_central=central,
                        issuer_key=rng.choice((None, "uy ban nhan dan tinh lai chau", "so noi vu tinh lang son")))


def _cited(rng: random.Random) -> CitedAs:
    return CitedAs(ref=rng.choice(REFS), year=rng.choice(YEARS), province=rng.choice(PROVINCES),
                   issuer_key=rng.choice((None, "uy ban nhan dan tinh lai chau")), is_national=rng.random() < 0.2)


def test_resolve_reads_the_same_documents_as_a_scan_of_the_ref() -> None:
    rng = random.Random(4)
    for _round in range(30):
        index = DocumentIndex()
        for i in range(40):
            index.add_document(_node(rng, i))
        stubs = [index.add_stub(_cited(rng), "cong_van", "province") for _ in range(10)]
        for key in stubs:  # stubs hear their year and province from later citations
            index.learn(key, _cited(rng))
        for key in rng.sample(sorted(index.nodes), 8):  # provinces inferred for some documents
            node = index.nodes[key]
            if node.province is None and not node.is_central:
                index.set_node(key, DocumentNode(**{**_fields(node), "province": rng.choice(PROVINCES[1:])}))
        for _ in range(60):
            _check(index, _cited(rng), index.nodes[rng.choice(sorted(index.nodes))])


def _check(index: DocumentIndex, cited: CitedAs, citing: DocumentNode | None) -> None:
    fits = _scan(index, cited, citing)
    resolution = index.resolve(cited, citing)
    if not fits:
        assert resolution.reason == "none"
    elif len(fits) == 1:
        assert resolution.key == next(iter(fits))
    else:
        assert set(resolution.candidates) == fits


def test_answers_kept_for_a_citation_follow_every_change_to_the_documents() -> None:
    # resolve() keeps what each citation could mean, per ref: asked between additions, stubs,
    # merges and provinces inferred, it must still read the documents as they are now
    rng = random.Random(11)
    for _round in range(20):
        index = DocumentIndex()
        asked = [_cited(rng) for _ in range(12)]  # the same few citations, asked again and again
        for i in range(60):
            change = rng.random()
            if change < 0.5:
                index.add_document(_node(rng, i))
            elif change < 0.7:
                index.add_stub(_cited(rng), "cong_van", "province")
            elif change < 0.85 and index.nodes:
                index.learn(rng.choice(sorted(index.nodes)), _cited(rng))
            elif index.nodes:
                key = rng.choice(sorted(index.nodes))
                node = index.nodes[key]
                if not node.is_central:
                    index.set_node(key, DocumentNode(**{**_fields(node), "province": rng.choice(PROVINCES)}))
            citing = index.nodes[rng.choice(sorted(index.nodes))] if index.nodes and rng.random() < 0.7 else None
            for cited in rng.sample(asked, 4):
                _check(index, cited, citing)


def test_a_stub_that_learns_its_year_is_found_by_that_year_only() -> None:
    index = DocumentIndex()
    stub = index.add_stub(CitedAs(ref="591-CV/TU", province="Lai Châu"), "cong_van", "province")
    index.learn(stub, CitedAs(ref="591-CV/TU", year=2026, date="2026-01-15", province="Lai Châu"))
    assert index.resolve(CitedAs(ref="591-CV/TU", year=2026, province="Lai Châu")).key == stub
    assert index.resolve(CitedAs(ref="591-CV/TU", year=2025, province="Lai Châu")).key is None


def test_a_document_given_its_province_is_found_by_it_and_not_by_another() -> None:
    index = DocumentIndex()
    node = DocumentNode(key="12/ubnd-vp|2026|uy ban nhan dan xa tan lap", ref="12/UBND-VP", kind="cong_van",
                        year=2026, issuer_key="uy ban nhan dan xa tan lap")
    index.add_document(node)
    index.set_node(node.key, DocumentNode(**{**_fields(node), "province": "Lạng Sơn"}))
    assert index.resolve(CitedAs(ref="12/UBND-VP", year=2026, province="Lạng Sơn")).key == node.key
    assert index.resolve(CitedAs(ref="12/UBND-VP", year=2026, province="Lai Châu")).key is None


def test_a_merged_stub_is_no_longer_a_candidate() -> None:
    index = DocumentIndex()
    stub = index.add_stub(CitedAs(ref="591-CV/TU", year=2026, province="Lai Châu"), "cong_van", "province")
    real = DocumentNode(key="591-cv/tu|2026|tinh uy lai chau", ref="591-CV/TU", kind="cong_van", year=2026,
                        province="Lai Châu", issuer_key="tinh uy lai chau")
    index.add_document(real)
    assert index.canonical(stub) == real.key
    resolution = index.resolve(CitedAs(ref="591-CV/TU", year=2026, province="Lai Châu"))
    assert (resolution.key, resolution.candidates) == (real.key, (real.key,))


def _fields(node: DocumentNode) -> dict:
    return {name: getattr(node, name) for name in node.__slots__}
