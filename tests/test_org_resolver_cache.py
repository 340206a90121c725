"""OrgResolver keeps what depends on a name alone once per name (graph/orgs.py): its answers
must not depend on what it has seen before, and its shortcut around OrgFinder.canonical_name
(the locality only completes a name ending in its level word, or in "Tỉnh ủy") must give what
canonical_name gives."""
from __future__ import annotations

import itertools

import pytest

from graph.orgs import OrgContext, OrgResolver
from ingest.parse.orgs import Locality
from ingest.vocab import load_vocabulary

VOCAB = load_vocabulary()
NAMES = ("UBND tỉnh", "Ủy ban nhân dân tỉnh", "Ban Thường vụ Tỉnh ủy", "Tỉnh uỷ", "Sở Nội vụ", "Sở KH&CN",
         "Văn phòng Sở", "Phòng Công chức", "Văn phòng Đảng ủy", "Ủy ban nhân dân xã Tân Lập", "UBND huyện",
         "Ủy ban nhân dân tỉnh Hà Tĩnh", "Sở Tư pháp tỉnh Lào Cai", "Công an xã", "Ủy ban nhân dân các xã, thị trấn",
         "Hội Liên hiệp Phụ nữ xã Quế Nhân", "Trung tâm Phục vụ hành chính công tỉnh", "Bộ Chính trị",
         "Chính phủ và Chương trình mục tiêu quốc gia", "Phòng Văn hóa - Xã hội", "Đảng ủy xã", "Thành ủy")
LOCALITIES = (None, Locality("tỉnh", "Lai Châu"), Locality("huyện", "Cao Lộc"), Locality("xã", "Tân Lập"),
              Locality("thành phố", "Hà Nội"), Locality("tỉnh", "Hà Tĩnh"))
CONTEXTS = (OrgContext(), OrgContext("Lai Châu", "tỉnh", "Lai Châu", "Sở Nội vụ tỉnh Lai Châu"),
            OrgContext("Lạng Sơn", "huyện", "Cao Lộc", "Ủy ban nhân dân huyện Cao Lộc"),
            OrgContext("Lạng Sơn", "xã", "Tân Lập", "Đảng ủy xã Tân Lập"), OrgContext("Hà Tĩnh", "tỉnh", "Hà Tĩnh"),
            OrgContext("Lai Chau"))


@pytest.mark.parametrize("locality", LOCALITIES, ids=str)
def test_the_canonical_name_shortcut_gives_what_canonical_name_gives(locality: Locality | None) -> None:
    resolver = OrgResolver(VOCAB)
    for name in NAMES:
        assert resolver._canonical_name(name, locality) == resolver.finder.canonical_name(name, locality), name


def test_answers_do_not_depend_on_what_was_resolved_before() -> None:
    questions = [(name, ctx, trim) for name, ctx, trim in itertools.product(NAMES, CONTEXTS, (False, True))]
    forward, backward = OrgResolver(VOCAB), OrgResolver(VOCAB)
    first = {q: forward.resolve(q[0], q[1], trim=q[2]) for q in questions}
    second = {q: backward.resolve(q[0], q[1], trim=q[2]) for q in reversed(questions)}
    assert first == second
    # and a resolver that met each question alone, with nothing cached
    for question in questions[::7]:
        assert OrgResolver(VOCAB).resolve(question[0], question[1], trim=question[2]) == first[question]
