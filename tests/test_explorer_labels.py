"""explorer/labels.yaml: every string in both languages, with the same placeholders."""

from __future__ import annotations

import string

from explorer.labels import LANGUAGES, columns, options, t, table, term


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_and_the_same_placeholders() -> None:
    labels = table()
    assert len(labels) > 200
    for key, entry in labels.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(text.strip() for text in entry.values()), key
        assert _placeholders(entry["vi"]) == _placeholders(entry["en"]), key


def test_lookups() -> None:
    assert t("pages.overview") == "Tổng quan" and t("pages.overview", "en") == "Overview"
    assert t("app.more", "vi", n=7) == "còn 7 mục nữa"
    assert t("no.such.key") == "no.such.key"  # visible on the page, not an exception
    assert term("levels", "province") == "Tỉnh" and term("roles", "lead", "en") == "Lead"
    assert term("kinds", "not_a_kind") == "not_a_kind" and term("kinds", None) == ""
    assert columns(["unit", "due"]) == {"unit": "Đơn vị", "due": "Thời hạn"}
    assert list(options("levels"))[:3] == ["central", "ministry", "province"]


def test_vocabularies_cover_the_graphs_values() -> None:
    from graph.corrections import KINDS
    from graph.model import LEVELS, LINK_METHODS, RELATIONS

    for group, values in (
        ("levels", LEVELS),
        ("methods", LINK_METHODS),
        ("relations", RELATIONS),
        ("kinds", KINDS),
    ):
        assert set(values) <= set(options(group)), group
