"""Organisation names → one key per body across documents.

`UBND tỉnh` in a Lai Châu letter and `Ủy ban nhân dân tỉnh Lai Châu` are one node;
`Tỉnh uỷ` and `Tỉnh ủy` are one; `Sở KH&CN` and `Sở Khoa học và Công nghệ` are one. The
parser's canonical names (tasks[].mentions[].canonical) already expand abbreviations
and take the gazetteer's spelling; here they are *localised*, because a provincial body
named without its province ("Sở Nội vụ") is a different body in every province:

- a bare "tỉnh" / "huyện" / "xã" takes the place of the document's locality;
- a gazetteer body of provincial scope takes the province ("Sở Nội vụ tỉnh Lạng Sơn",
  "Tỉnh ủy Lạng Sơn"), one of district or commune scope the document's district or commune;
- a bare "Sở" or "Đảng ủy" at the end ("Văn phòng Sở", "Văn phòng Đảng ủy") is the
  issuing body's, and an internal unit of a department ("Phòng Công chức") belongs to it;
- anything else placeless is scoped by the document's locality.

The key is the folded localised name. Every time a printed name differs from the
resolved one, the reason goes into a Merge record (graph/model.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ingest.fold import fold, fold_key
from ingest.parse.orgs import Locality, OrgFinder
from ingest.vocab import Organization, Vocabulary

_LEVEL_WORDS = ("thanh pho", "thi xa", "thi tran", "tinh", "huyen", "xa", "phuong", "quan", "dac khu")
_TIER_OF_WORD = {"tinh": "province", "thanh pho": None, "huyen": "district", "quan": "district",
                 "thi xa": "district", "xa": "commune", "phuong": "commune", "thi tran": "commune",
                 "dac khu": "commune"}
_QUANTIFIERS = ("cac ", "moi ", "tung ", "nhung ", "toan the ")
_INTERNAL_HEADS = ("phong ", "van phong ", "thanh tra ", "bo phan ", "to ", "chi cuc ", "trung tam ", "doi ")
# Words that start what follows a body's name in a citation's "của …", not a place.
_RUN_ON_STARTS = {"va", "tren", "tai", "ve", "theo", "cua", "trong", "ngay", "nam", "so", "de", "nhu", "voi"}
_SCOPE_RANK = {"national": 0, "province": 1, "district": 2, "commune": 3}
_LOCALITY_RANK = {"tinh": 1, "thanh pho": 1, "huyen": 2, "quan": 2, "thi xa": 2, "xa": 3, "phuong": 3,
                  "thi tran": 3, "dac khu": 3}
_DEPARTMENT_HEADS = ("so ", "cong an tinh", "van phong uy ban nhan dan tinh", "ban quan ly", "bao hiem xa hoi tinh")
# The shared words of organisation names say nothing about which body it is.
_WEAK_TOKENS = {"va", "cua", "ve", "cac", "tinh", "huyen", "xa", "phuong", "thanh", "pho", "thi", "tran", "quan",
                "viet", "nam", "trung", "uong", "so", "nghi", "quyet", "ke", "hoach", "tren", "dia", "ban"}
_TITLE_REPLACEMENTS = {"chanh van phong": "Văn phòng", "chanh thanh tra": "Thanh tra"}


@dataclass(frozen=True, slots=True)
class OrgContext:
    """Where a name was written: the document's province, locality and issuer."""

    province: str | None = None
    locality_level: str | None = None  # "tỉnh", "huyện", "xã" …
    locality_name: str | None = None
    issuer: str | None = None  # the issuing body's resolved name

    @property
    def locality(self) -> Locality | None:
        if self.locality_level and self.locality_name:
            return Locality(self.locality_level, self.locality_name)
        return None


@dataclass(frozen=True, slots=True)
class ResolvedOrg:
    key: str
    name: str
    level: str | None
    province: str | None
    branch: str | None
    is_generic: bool
    reason: str | None  # why the printed name became this one; None when it did not change


@lru_cache(maxsize=500_000)  # pure, and asked of the same keys by every citation and task
def issuer_tier(key: str) -> str | None:
    """province / district / commune from the first place word of a folded name, or national."""
    words = key.replace(",", " ").split()
    if words[:2] in (["bo", "chinh"], ["ban", "bi"]) or (words and words[0] in ("bo", "quoc", "chinh")):
        return "national"
    for i, word in enumerate(words):
        if word == "trung" and words[i + 1:i + 2] == ["uong"]:
            return "national"  # "Ban Chỉ đạo Trung ương", "Đoàn Chủ tịch Trung ương Hội LHPN Việt Nam"
        pair = " ".join(words[i:i + 2])
        if pair in _TIER_OF_WORD:
            return _TIER_OF_WORD[pair]
        if word in _TIER_OF_WORD:
            return _TIER_OF_WORD[word]
    if words and words[0] == "so":
        return "province"
    return None


@lru_cache(maxsize=500_000)
def org_tokens(key: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9&]+", key) if w not in _WEAK_TOKENS)


class OrgResolver:
    """Resolves organisation names; one per vocabulary, reused across documents (cached)."""

    def __init__(self, vocab: Vocabulary, merges: dict[str, str] | None = None):
        self.vocab = vocab
        self.finder = OrgFinder(vocab)
        # corrections with target "organization": folded name merged away → the name it merges into
        self.curated = dict(merges or {})
        self._titles = sorted(vocab.org_words_printed.get("titles", ()), key=len, reverse=True)
        self._cache: dict[tuple[str, str | None, str | None, str | None, str | None, bool], ResolvedOrg] = {}
        self._cleaned: dict[tuple[str, bool], tuple[str, tuple[str, ...]]] = {}
        self._canonical: dict[tuple[str, Locality | None], str] = {}
        self._places: dict[str, str | None] = {}
        # What depends on a name alone, worked out once per name: a build meets a commune's
        # bodies in every context its letters give (each issuer, each locality), and most of
        # the steps below do not look at the context at all.
        self._key = _Memo(fold_key)
        self._bare_canonical = _Memo(lambda text: self.finder.canonical_name(text, None))
        self._issuer_part = _Memo(self._names_the_issuer_uncached)
        self._placed = _Memo(self._has_place_in_name)
        self._inserted = _Memo(self._place_word_inserted_once)
        self._exact_or_suffix = _Memo(lambda name: self.vocab.org_by_key.get(self._key[name])
                                      or self._suffix_entry(name))
        self._entries = _Memo(self._entry)
        self._generic = _Memo(lambda name: fold(name).startswith(_QUANTIFIERS) or self.finder.is_generic(name))
        self._repaired: dict[tuple[str, str | None], tuple[str, str | None]] = {}
        names = sorted(vocab.provinces, key=len, reverse=True)
        # one search for every province name, ending the name or followed by a space
        self._province_re = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r")(?=\s|$)")

    def resolve(self, name: str, ctx: OrgContext, *, trim: bool = False, generic: bool = False) -> ResolvedOrg:
        """`trim`: the name comes from a citation's "của …", which may run on past the body
        ("Chính phủ và Chương trình …"); cut it back to the longest known body."""
        cache_key = self._cache_key(name, ctx, trim)
        found = self._cache.get(cache_key)
        if found is None:
            if ctx.issuer and cache_key[4] is None:
                ctx = OrgContext(ctx.province, ctx.locality_level, ctx.locality_name)
            found = self._resolve(name, ctx, trim)
            if len(self._cache) < 500_000:
                self._cache[cache_key] = found
        if generic and not found.is_generic:
            found = ResolvedOrg(found.key, found.name, found.level, found.province, found.branch, True, found.reason)
        return found

    def _cache_key(self, name: str, ctx: OrgContext, trim: bool) -> tuple[str, str | None, str | None, str | None,
                                                                         str | None, bool]:
        issuer = ctx.issuer
        if issuer and not self._issuer_part[name]:
            issuer = None  # the issuer does not matter: one answer for every issuer's letters
        # a plain tuple: a million lookups at 100k documents, most of them hits
        return (name, ctx.province, ctx.locality_level, ctx.locality_name, issuer, trim)

    def pending(self, requests: Iterable[tuple[str, OrgContext]]) -> dict[tuple[Any, ...], tuple[str, OrgContext]]:
        """The (name, context) pairs of `requests` not resolved yet, one per distinct answer, in
        the order met, by cache key: what a build can resolve elsewhere (graph/build.py's
        forked workers) and hand back to learn()."""
        out: dict[tuple[Any, ...], tuple[str, OrgContext]] = {}
        for name, ctx in requests:
            cache_key = self._cache_key(name, ctx, False)
            if cache_key not in out and cache_key not in self._cache:
                out[cache_key] = (name, ctx)
        return out

    def learn(self, cache_keys: Iterable[tuple[Any, ...]], found: Iterable[ResolvedOrg]) -> None:
        """`resolve(name, ctx)` of pending()'s pairs, worked out elsewhere, kept as if found here."""
        for cache_key, org in zip(cache_keys, found, strict=True):
            if len(self._cache) >= 500_000:
                return
            self._cache[cache_key] = org  # type: ignore[index]

    def _names_the_issuer(self, name: str) -> bool:
        """Could the name need the issuing body to be complete ("Văn phòng Sở", "Phòng Công chức")?"""
        return self._issuer_part[name]

    def _names_the_issuer_uncached(self, name: str) -> bool:
        text = self._clean(name, False)[0]
        if text.endswith((" Sở", " Đảng ủy", " Đảng uỷ")):
            return True
        key = fold_key(text)
        return key.startswith(_INTERNAL_HEADS) and key not in self.vocab.org_by_key

    # -- steps ---------------------------------------------------------------------
    def _clean(self, printed: str, trim: bool) -> tuple[str, tuple[str, ...]]:
        """The steps that do not depend on where the name was written (cached)."""
        found = self._cleaned.get((printed, trim))
        if found is None:
            text = " ".join(printed.split()).strip(" ,;:.-–")
            reasons: list[str] = []
            text = self._drop_title(text, reasons)
            text = self._reorder_place_first(text, reasons)
            if trim:
                text = self._trim_run_on(text, reasons)
            found = self._cleaned[(printed, trim)] = (text, tuple(reasons))
        return found

    def _canonical_name(self, text: str, locality: Locality | None) -> str:
        """OrgFinder.canonical_name. Without a place in the name, the locality only completes a
        name that ends with its level word ("UBND tỉnh") or in "Tỉnh ủy" (a provincial letter's):
        for any other name the answer is the one without a locality, found once per name
        (tests/test_org_resolver_cache.py holds the shortcut to canonical_name's answers)."""
        bare = self._bare_canonical[text]
        if locality is None:
            return bare
        level = _folded(locality.level)
        folded = self._key[bare]
        if not folded.endswith(" " + level) and not (level in ("tinh", "thanh pho")
                                                     and folded.endswith(("tinh uy", "thanh uy"))):
            return bare
        found = self._canonical.get((text, locality))
        if found is None:
            found = self._canonical[(text, locality)] = self.finder.canonical_name(text, locality)
        return found

    def _resolve(self, printed: str, ctx: OrgContext, trim: bool) -> ResolvedOrg:
        text, cleaned = self._clean(printed, trim)
        reasons = list(cleaned)
        canonical = self._canonical_name(text, ctx.locality)
        if canonical != text and self._key[canonical] != self._key[text]:
            reasons.append("abbreviations expanded" if "&" in text or any(w.isupper() and len(w) > 1
                                                                         for w in text.split())
                           else "gazetteer name")
        canonical = self._repair_place(canonical, ctx, reasons)
        name = self._localise(canonical, ctx, reasons)
        key = self._key[name]
        into = self.curated.get(key) or self.curated.get(self._key[printed]) if self.curated else None
        if into and fold_key(into) not in (key, fold_key(printed)):
            merged = self._resolve(into, ctx, False) if fold_key(into) not in self.curated else None
            key = merged.key if merged else fold_key(into)
            name = merged.name if merged else into
            reasons.append("curated merge")
        entry = self._entries[name]
        province = self._province_in(name)
        if province is None and ctx.province and (entry is None or entry.scope != "national") \
                and issuer_tier(key) != "national":
            province = ctx.province
        level = entry.level if entry else self._guess_level(key)
        branch = entry.branch if entry else None
        is_generic = self._generic[name]
        reason = "; ".join(dict.fromkeys(reasons)) if self._key[printed] != key else None
        return ResolvedOrg(key, name, level, province if level not in ("central", "ministry") else None,
                           branch, is_generic, reason)

    def _repair_place(self, name: str, ctx: OrgContext, reasons: list[str]) -> str:
        """'… tỉnh Lao Chau' in an OCR-damaged Lai Châu letter is '… tỉnh Lai Châu': a place one
        letter away from the document's own province, and no province itself, is that province."""
        if not ctx.province:
            return name
        found = self._repaired.get((name, ctx.province))
        if found is None:
            why: list[str] = []
            found = self._repaired[(name, ctx.province)] = (self._repair_place_once(name, ctx.province, why),
                                                           why[0] if why else None)
        if found[1]:
            reasons.append(found[1])
        return found[0]

    def _repair_place_once(self, name: str, province: str, reasons: list[str]) -> str:
        words = name.split(" ")
        wanted = fold_key(province).split(" ")
        for i, word in enumerate(words[:-len(wanted)] if len(words) > len(wanted) else ()):
            if fold(word) != "tinh" or not word[:1].islower():
                continue
            place = words[i + 1:i + 1 + len(wanted)]
            folded = fold_key(" ".join(place)).split(" ")
            if folded == wanted or fold_key(" ".join(place)) in self.vocab.provinces:
                return name
            if len(folded) == len(wanted) and sum(len(a) != len(b) or sum(x != y for x, y in zip(a, b, strict=True))
                                                  for a, b in zip(folded, wanted, strict=True)) == 1:
                reasons.append(f"'{' '.join(place)}' read as {province}")
                return " ".join([*words[:i + 1], province, *words[i + 1 + len(wanted):]])
        return name

    def _drop_title(self, text: str, reasons: list[str]) -> str:
        lowered = text.lower()
        for title in self._titles:
            if lowered.startswith(title + " ") and len(text) > len(title) + 1:
                rest = text[len(title) + 1:]
                if not (rest[:1].isupper() or fold(rest).startswith(_QUANTIFIERS)):
                    continue
                reasons.append(f"title '{text[:len(title)]}' dropped")
                replacement = _TITLE_REPLACEMENTS.get(fold(title))
                return f"{replacement} {rest}" if replacement else rest
        return text

    def _reorder_place_first(self, text: str, reasons: list[str]) -> str:
        """'Tỉnh Thái Nguyên Ủy Ban Nhân Dân' (a header read in the wrong order) → 'Ủy ban nhân dân tỉnh Thái Nguyên'."""
        words = text.split(" ")
        if len(words) < 3 or fold(words[0]) not in ("tinh", "huyen", "xa", "phuong", "thanh"):
            return text
        level_width = 2 if fold(" ".join(words[:2])) == "thanh pho" else 1
        for j in range(level_width + 1, len(words)):
            body = " ".join(words[j:])
            level = " ".join(words[:level_width]).lower()
            if fold_key(f"{body} {level}") in self.vocab.org_by_key:
                reasons.append("place moved after the body")
                return f"{body} {level} {' '.join(words[level_width:j])}"
        return text

    def _trim_run_on(self, text: str, reasons: list[str]) -> str:
        if self._known(text):
            return text
        words = text.split(" ")
        for j in range(len(words) - 1, 0, -1):
            head, rest = " ".join(words[:j]), words[j:]
            if not (head.endswith(",") or fold(rest[0]) in _RUN_ON_STARTS) or not self._known(head):
                continue
            reasons.append(f"'{' '.join(rest)}' cut from the issuer")
            return head.rstrip(" ,;")
        return text

    def _known(self, text: str) -> bool:
        key = fold_key(self.finder.expand_abbreviations(text.rstrip(" ,;")))
        if key in self.vocab.org_by_key:
            return True
        words = key.split(" ")
        for i in range(len(words) - 1, 0, -1):
            if " ".join(words[:i]) in self.vocab.org_by_key and words[i - 1] in ("tinh", "huyen", "xa", "phuong"):
                return True
        return False

    def _entry(self, name: str) -> Organization | None:
        """The gazetteer body a localised name is an instance of."""
        key = fold_key(name)
        entry = self.vocab.org_by_key.get(key)
        if entry:
            return entry
        place = self._province_in(name)
        if place:
            base = key[: len(key) - len(fold_key(place))].strip()
            for candidate in (base, base.removesuffix(" tinh").removesuffix(" thanh pho")):
                if candidate in self.vocab.org_by_key:
                    return self.vocab.org_by_key[candidate]
        words = key.split(" ")
        for i in range(len(words) - 1, 0, -1):
            base = " ".join(words[:i])
            if base in self.vocab.org_by_key and words[i - 1] in _TIER_OF_WORD:
                return self.vocab.org_by_key[base]
        return None

    def _province_in(self, name: str) -> str | None:
        if name in self._places:
            return self._places[name]
        found = self._province_re.search(fold_key(name))
        province = self.vocab.provinces[found.group(1)] if found else None
        if len(self._places) < 500_000:
            self._places[name] = province
        return province

    def _has_place(self, name: str, ctx: OrgContext) -> bool:
        if self._placed[name]:
            return True
        return bool(ctx.locality_name and self._key[name].endswith(_folded(ctx.locality_name)))

    def _has_place_in_name(self, name: str) -> bool:
        if self._province_in(name):
            return True
        words = name.split(" ")
        folded = fold_key(name).split(" ")
        if len(folded) != len(words):
            folded = [fold(w) for w in words]
        for i, word in enumerate(words[:-1]):
            if folded[i] in _LEVEL_WORDS and word[:1].islower() and words[i + 1][:1].isupper():
                return True
            if folded[i] in ("uy", "doan") and i and folded[i - 1] in ("tinh", "huyen", "thanh") \
                    and words[i + 1][:1].isupper():
                return True  # "Huyện ủy Cao Lộc", "Tỉnh đoàn Lạng Sơn"
        return False

    def _localise(self, name: str, ctx: OrgContext, reasons: list[str]) -> str:
        if self._has_place(name, ctx):
            inserted, why = self._inserted[name]
            if why:
                reasons.append(why)
            return inserted
        words = name.split(" ")
        last = fold(words[-1])
        # a bare level word at the end: "Ủy ban nhân dân tỉnh" in a district letter
        if last in ("tinh", "huyen", "xa", "phuong") and words[-1][:1].islower():
            place = self._place_for(last, ctx)
            if place:
                reasons.append(f"localised with {words[-1]} {place}")
                return f"{name} {place}"
            return name
        issuer_ref = self._issuer_reference(name, ctx)
        if issuer_ref:
            reasons.append("the issuer's own unit")
            return issuer_ref
        entry = self._exact_or_suffix[name]
        if entry is not None and entry.scope == "national":
            return name
        if entry is not None:
            localised = self._by_scope(name, entry, ctx)
            if localised != name:
                reasons.append("localised by the gazetteer's scope")
            return localised
        key = self._key[name]
        if entry is None and key.startswith(_INTERNAL_HEADS) and ctx.issuer and \
                self._key[ctx.issuer].startswith(_DEPARTMENT_HEADS):
            reasons.append("a unit of the issuing department")
            return f"{name} {ctx.issuer}"
        if issuer_tier(key) == "national" or key.startswith(("bo ", "chinh phu", "quoc hoi", "thu tuong")) \
                or key.endswith(" viet nam"):
            return name
        if ctx.locality_level and ctx.locality_name:
            reasons.append(f"localised with {ctx.locality_level} {ctx.locality_name}")
            return f"{name} {ctx.locality_level} {ctx.locality_name}"
        if ctx.province:
            return f"{name} {self._province_word(ctx.province)} {ctx.province}"
        return name

    def _place_word_inserted_once(self, name: str) -> tuple[str, str | None]:
        why: list[str] = []
        return self._place_word_inserted(name, why), why[0] if why else None

    def _place_word_inserted(self, name: str, reasons: list[str]) -> str:
        """'Sở Khoa học và Công nghệ Lạng Sơn' → '… tỉnh Lạng Sơn', as the header spells it."""
        province = self._province_in(name)
        if not province or not fold_key(name).endswith(" " + fold_key(province)):
            return name
        base = name[: len(name) - len(province)].rstrip()
        entry = self.vocab.org_by_key.get(fold_key(base))
        if entry is None or entry.scope != "province" or fold(base.split(" ")[-1]) in _LEVEL_WORDS \
                or " tinh" in f" {fold_key(base)}":
            return name
        reasons.append("place word added")
        return f"{base} {self._province_word(province)} {province}"

    def _place_for(self, level_word: str, ctx: OrgContext) -> str | None:
        if ctx.locality_level and fold(ctx.locality_level) == level_word and ctx.locality_name:
            return ctx.locality_name
        if level_word == "tinh" and ctx.province:
            return ctx.province
        return None

    def _issuer_reference(self, name: str, ctx: OrgContext) -> str | None:
        """'Văn phòng Sở' in a Sở's letter, 'Văn phòng Đảng ủy' in a Đảng ủy's."""
        if not ctx.issuer:
            return None
        issuer = ctx.issuer
        folded_issuer = self._key[issuer]
        if name.endswith(" Sở") and folded_issuer.startswith("so "):
            return f"{name[:-3]} {issuer}"
        if fold(name).endswith(" dang uy") and " dang uy" in f" {folded_issuer}":
            start = f" {folded_issuer}".index(" dang uy")
            return f"{name[: -len(' Đảng ủy')]} {issuer[start:]}"
        return None

    def _suffix_entry(self, name: str) -> Organization | None:
        words = fold_key(name).split(" ")
        for i in range(1, len(words)):
            entry = self.vocab.org_by_key.get(" ".join(words[i:]))
            if entry is not None and len(words) - i >= 2:
                return entry
        return None

    def _by_scope(self, name: str, entry: Organization, ctx: OrgContext) -> str:
        key = self._key[name]
        if entry.scope == "province" and ctx.province:
            if " tinh" in f" {key}" or key.startswith("tinh"):
                return f"{name} {ctx.province}"
            return f"{name} {self._province_word(ctx.province)} {ctx.province}"
        if not (ctx.locality_level and ctx.locality_name):
            return name
        here = _LOCALITY_RANK.get(fold(ctx.locality_level), 0)
        scope = _SCOPE_RANK.get(entry.scope, 0)
        if scope == here:
            if key.endswith((" huyen", " xa", " phuong")) or key.split(" ")[0] in ("huyen", "xa"):
                return f"{name} {ctx.locality_name}"
            return f"{name} {ctx.locality_level} {ctx.locality_name}"
        if scope > here:  # a commune body named in a provincial letter: scoped by the letter's place
            return f"{name} {ctx.locality_level} {ctx.locality_name}"
        return name  # a provincial body named in a district letter, province unknown

    def _province_word(self, province: str) -> str:
        return self.vocab.province_kind.get(province, "tỉnh")

    @staticmethod
    def _guess_level(key: str) -> str | None:
        tier = issuer_tier(key)
        if tier == "national":
            return "ministry" if key.startswith("bo ") else "central"
        if key.startswith(_DEPARTMENT_HEADS) or (tier == "province" and key.startswith(_INTERNAL_HEADS)):
            return "department"
        return tier


class _Memo(dict):
    """A function of one string, each answer kept: a lookup in C once it is known."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, name: str):
        found = self[name] = self.function(name)
        return found


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold_key(text)


def document_level(org: ResolvedOrg) -> str | None:
    """The cascade level of a document from its issuer (graph/model.py LEVELS)."""
    level = org.level
    if level in ("central", "ministry", "province", "department", "district", "commune"):
        return level
    if level == "union":  # mass organisations sit beside the departments of their tier
        tier = issuer_tier(org.key)
        return {"province": "department", "district": "district", "commune": "commune"}.get(tier or "", "department")
    return issuer_tier(org.key) if issuer_tier(org.key) != "national" else "central"
