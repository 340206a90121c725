"""The issuing body, from the issuer block at the top left of the header.

Nghị định 30/2020/NĐ-CP prints the parent body on the first line and the issuing unit
below it ("UBND TỈNH LAI CHÂU" over "VĂN PHÒNG"); Hướng dẫn 36-HD/VPTW does the same
for Party bodies ("ĐẢNG BỘ TỈNH LAI CHÂU" over "ĐẢNG ỦY UBND TỈNH"). The full name joins
them by the kind of unit: a department of the provincial government takes the province
("Sở Tài chính tỉnh Lạng Sơn", "Ban Chỉ đạo 389 tỉnh Nghệ An"), an office or a Party organ takes its parent ("Văn
phòng Ủy ban nhân dân tỉnh Lai Châu", "Ban Tuyên giáo Tỉnh ủy Lạng Sơn").
"""
from __future__ import annotations

import re

from ..fold import fold, fold_key
from ..vocab import Vocabulary
from .orgs import Locality, OrgFinder

# Units of a provincial or district government that are named with the locality, not
# with the People's Committee above them.
_TAKES_LOCALITY = ("so ", "ban quan ly", "thanh tra", "cong an", "bo chi huy", "dai phat thanh", "bao ",
                   "chi cuc", "trung tam", "kho bac", "bao hiem", "cuc ", "phong ", "ban chi dao")
_UNIT_HEADS = {"so", "ban", "phong", "cuc", "vu", "bo"}
_LOCALITY_WORDS = ("tinh", "thanh pho", "huyen", "xa", "phuong", "thi xa", "thi tran", "quan")


class IssuerNamer:
    def __init__(self, vocab: Vocabulary, finder: OrgFinder):
        self.vocab = vocab
        self.finder = finder
        self.repair = finder.repair
        phrases: dict[str, str] = {}
        for org in vocab.organizations:
            for name in (org.name, *org.aliases):
                if not name.isupper():
                    phrases[fold_key(name)] = name
        for full in vocab.name_abbreviations.values():
            phrases.setdefault(fold_key(full), full)
        for province in vocab.province_kind:
            phrases[fold_key(province)] = province
        self.cased = sorted(phrases.items(), key=lambda kv: len(kv[0]), reverse=True)
        self.cased_lookup = dict(phrases)

    def case(self, text: str) -> str:
        """Sentence case for an upper-case header line, with known names restored."""
        text = re.sub(r"\s+", " ", text).strip(" *-–:")
        if not text:
            return text
        words = text.split(" ")
        out = [w if _is_abbreviation(w, self.vocab) else w.lower() for w in words]
        ocr = self.vocab.ocr_words
        folded_words = [ocr.get(fold(w), fold(w)) for w in words]
        i = 0
        while i < len(words):
            for size in range(min(8, len(words) - i), 0, -1):
                key = " ".join(folded_words[i:i + size])
                printed = self.cased_lookup.get(key)
                if printed and len(printed.split(" ")) == size:
                    if " ".join(words[i:i + size]).isupper() or size > 1:
                        out[i:i + size] = printed.split(" ")
                    i += size - 1
                    break
            i += 1
        # A unit's own name opens each component with a capital: "BAN TUYÊN GIÁO VÀ DÂN VẬN" →
        # "Ban Tuyên giáo và Dân vận", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH".
        in_name = False
        for k, w in enumerate(out):
            key = fold(w.rstrip(",-"))
            if not in_name and key in _UNIT_HEADS and k + 1 < len(out) and words[k + 1].isupper() \
                    and not (k and fold(out[k - 1]) == "uy"):  # not the "ban" of "Ủy ban nhân dân"
                in_name = True
                out[k + 1] = out[k + 1][:1].upper() + out[k + 1][1:]
            elif in_name and k + 1 < len(out) and (key == "va" or w.endswith(",") or w == "-") \
                    and words[k + 1].isupper() and fold(out[k + 1]) not in _LOCALITY_WORDS:
                out[k + 1] = out[k + 1][:1].upper() + out[k + 1][1:]
            elif in_name and key in _LOCALITY_WORDS:
                in_name = False
        # The place closes the name: after the last locality word ("tỉnh", "xã") or the
        # committee it names ("Huyện ủy", "Tỉnh đoàn"): PHÚ BÌNH → Phú Bình.
        anchor = max((k for k, w in enumerate(out[:-1]) if _is_place_anchor(out, k)), default=None)
        if anchor is not None:
            for k in range(anchor + 1, len(out)):
                if words[k].isupper() and not _is_abbreviation(out[k], self.vocab):
                    out[k] = _title(out[k])
        out[0] = out[0][:1].upper() + out[0][1:]
        return " ".join(out)

    def compose(self, groups: list[str], locality: Locality | None) -> str | None:
        """Full issuer name from the issuer block's groups of lines (parent first)."""
        names = [self.case(g) for g in groups if g.strip()]
        if not names:
            return None
        unit = names[-1]
        unit_name = self.finder.canonical_name(unit, locality)
        if len(names) == 1 or _has_place(unit_name, self.vocab):
            return unit_name
        parent_name = self.finder.canonical_name(names[-2], locality)
        key = fold_key(unit_name)
        parent_key = fold_key(parent_name)
        parent_place = _place_of(parent_name)
        if parent_key.startswith(("uy ban nhan dan", "ubnd")) and key.startswith(_TAKES_LOCALITY) and parent_place:
            return f"{unit_name} {parent_place}"
        if self.vocab.org_by_key.get(key) and self.vocab.org_by_key[key].scope == "national":
            return unit_name
        return f"{unit_name} {parent_name}"


_PRINTED_PLACE_WORDS = {"tỉnh", "huyện", "phường", "quận", "xã", "phố", "trấn", "ủy", "đoàn"}
_COMMITTEE_BEFORE = {"uy": ("tinh", "huyen", "thanh", "thi", "dang"), "doan": ("tinh", "huyen", "thanh")}
_TWO_WORD_LOCALITY = {"pho": "thanh", "xa": "thi", "tran": "thi"}


def _is_place_anchor(words: list[str], k: int) -> bool:
    """Whether a place name follows words[k]: "tỉnh", "thành phố", or a committee ("Huyện ủy")."""
    printed = words[k].lower()
    if not printed.isascii() and printed not in _PRINTED_PLACE_WORDS:
        return False  # "QUẢN" is not "quận", though both fold to "quan"
    word = fold(words[k])
    before = fold(words[k - 1]) if k else ""
    after = fold(words[k + 1]) if k + 1 < len(words) else ""
    if after in _COMMITTEE_BEFORE and word in _COMMITTEE_BEFORE[after]:
        return False  # "Tỉnh ủy": the committee, not the place word "tỉnh"
    if word in _COMMITTEE_BEFORE:
        return before in _COMMITTEE_BEFORE[word]
    if word in _TWO_WORD_LOCALITY:
        return before == _TWO_WORD_LOCALITY[word] or word == "xa"
    return word in ("tinh", "huyen", "phuong", "quan")


def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _is_abbreviation(word: str, vocab: Vocabulary) -> bool:
    stripped = word.strip(",.;:()")
    return fold(stripped) in vocab.name_abbreviations and stripped.isupper() and len(stripped) <= 8 \
        and fold(stripped) not in {"tp", "vp", "ca", "cp", "tw"}


def _place_of(name: str) -> str | None:
    """"Ủy ban nhân dân tỉnh Lai Châu" → "tỉnh Lai Châu"."""
    words = name.split(" ")
    for i in range(len(words) - 1, 0, -1):
        if fold(words[i]) in ("tinh", "huyen", "xa", "phuong", "quan") or fold(" ".join(words[i:i + 2])) in (
                "thanh pho", "thi xa", "thi tran"):
            rest = words[i + (2 if fold(" ".join(words[i:i + 2])) in ("thanh pho", "thi xa", "thi tran") else 1):]
            if rest and all(w[:1].isupper() for w in rest) and words[i][:1].islower():
                return " ".join(words[i:])
    return None


def _has_place(name: str, vocab: Vocabulary) -> bool:
    if _place_of(name) is not None:
        return True
    # "Huyện ủy Phú Bình", "Tỉnh đoàn Lạng Sơn": a committee named with its place
    found = re.search(r"(?:\bủy|\bđoàn)\s+((?:[A-ZĐÀ-Ỹ][^\s]*\s?){1,4})$", name)
    return bool(found)
