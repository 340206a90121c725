"""Document identity, citation resolution and stubs.

A number-symbol is not an identity: `02-TB/BCĐ` is issued by many provinces' steering
committees every year. A document is keyed by folded ref + year + issuer key
(`02-tb/bcd|2025|ban chi dao tinh … lai chau`); one with a blank number by issuer + date
+ a short hash of its subject. A citation resolves to a known document with the same ref
whose year, province and issuer are *compatible* with what the citing text says (an
unknown part agrees with anything), not to the one with an equal key: the citing text
rarely spells the issuer as the header does. A citation that resolves to nothing makes a
stub (is_stub=True), keyed from what the citing text says; when the document itself
arrives it takes the stub's place, whichever came first (`DocumentIndex.add_document`).

Organisation names resolve in graph/orgs.py; this module uses their keys.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ingest.fold import fold, fold_key
from ingest.parse.refs import split_ref
from ingest.vocab import Vocabulary

from .model import DocumentNode, Merge
from .orgs import OrgContext, OrgResolver, ResolvedOrg, issuer_tier, org_tokens

__all__ = [
    "CitedAs",
    "DocumentIndex",
    "OrgContext",
    "OrgResolver",
    "Resolution",
    "ResolvedOrg",
    "blank_document_key",
    "date_after",
    "document_key",
    "is_national_ref",
    "ref_key",
    "strongest",
    "year_of",
]

# Strongest first, as the annotation guide ranks them (docs/annotation-guide.md).
RELATION_STRENGTH = ("amends", "replaces", "repeals", "implements", "based_on", "attaches", "guides", "mentions")
# Issuer codes of number-symbols that only central bodies use: a ref with one of these is
# unique nationwide for its year, so no province or issuer check applies.
_NATIONAL_CODES = {"tw", "bcdtw", "vptw", "cp", "ttg", "vpcp", "bcdcp", "ubtvqh", "tandtc", "vksndtc", "ktnn"}
_MINISTRY_CODE = re.compile(r"^b(khcn|tttt|nv|tc|ca|qp|yt|gddt|tp|ct|xd|nnmt|vhttdl|ng|dttg|khdt|ldtbxh|"
                            r"gtvt|tnmt|nnptnt)$")
_YEAR = re.compile(r"^(\d{4})")


@lru_cache(maxsize=500_000)
def ref_key(ref: str) -> str:
    """The folded form refs are compared by: '57-NQ/TW' and '57-nq/tw' are one."""
    return fold_key(ref).replace(" ", "").replace("–", "-")


def year_of(date: str | None) -> int | None:
    found = _YEAR.match(date or "")
    return int(found.group(1)) if found else None


def date_after(a: str | None, b: str | None) -> bool:
    """True when date a is surely after date b, each ISO at any precision (YYYY, YYYY-MM…)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def strongest(relations: Iterable[str]) -> str:
    rels = [r for r in relations if r]
    return min(rels, key=lambda r: RELATION_STRENGTH.index(r) if r in RELATION_STRENGTH else 99) \
        if rels else "mentions"


def document_key(ref: str, year: int | None, issuer_key: str | None) -> str:
    return f"{ref_key(ref)}|{year if year is not None else '?'}|{issuer_key or '?'}"


def short_hash(text: str | None) -> str:
    return hashlib.sha1(fold_key(text or "").encode("utf-8")).hexdigest()[:8]


def blank_document_key(issuer_key: str | None, date: str | None, subject: str | None) -> str:
    """A document without a number: issuer + date + a short hash of its subject."""
    return f"~|{issuer_key or '?'}|{date or '?'}|{short_hash(subject)}"


_CODE_MEMO: dict[tuple[int, str], str | None] = {}


def issuer_code(ref: str, vocab: Vocabulary) -> str | None:
    """The issuer part of a number-symbol: TW in 57-NQ/TW, CP in 71/NQ-CP, SKHCN in 245/SKHCN-KHCN."""
    memo = (id(vocab), ref)  # a ref is cited thousands of times; split_ref is the costly part
    if memo in _CODE_MEMO:
        return _CODE_MEMO[memo]
    found = re.match(r"^\s*([0-9A-Za-z]+)\s*([/-])\s*(.+)$", ref)
    code = split_ref(found.group(1), found.group(2), found.group(3), vocab).issuer_code if found else None
    if len(_CODE_MEMO) > 500_000:
        _CODE_MEMO.clear()
    _CODE_MEMO[memo] = code
    return code


_NATIONAL_MEMO: dict[tuple[int, str], bool] = {}


def is_national_ref(ref: str | None, vocab: Vocabulary) -> bool:
    """Central symbols (/TW, /CP, /TTg, /QH15, /BCĐTW, ministries) are national; /TU, /UBND,
    /BCĐ, /SKHCN … are provincial (or lower) and need the province to be told apart."""
    if not ref:
        return False
    memo = (id(vocab), ref)
    if memo not in _NATIONAL_MEMO:
        if len(_NATIONAL_MEMO) > 500_000:
            _NATIONAL_MEMO.clear()
        _NATIONAL_MEMO[memo] = _is_national(ref, vocab)
    return _NATIONAL_MEMO[memo]


def _is_national(ref: str, vocab: Vocabulary) -> bool:
    code = issuer_code(ref, vocab)
    if not code:
        return False
    key = fold(code)
    if key in _NATIONAL_CODES or re.fullmatch(r"qh\d+", key) or _MINISTRY_CODE.match(key):
        return True
    issuer = vocab.symbol_issuers.get(key, "")
    return issuer.startswith("Bộ ")


@dataclass(frozen=True, slots=True)
class CitedAs:
    """What a citing text says about the document it cites."""

    ref: str | None = None
    title: str | None = None  # a document named without a number
    kind: str | None = None
    date: str | None = None
    year: int | None = None
    issuer_key: str | None = None
    issuer_name: str | None = None
    province: str | None = None
    is_national: bool = False

    @property
    def specificity(self) -> int:
        return sum(x is not None for x in (self.year, self.province, self.issuer_key, self.date))


@dataclass(frozen=True, slots=True)
class Resolution:
    key: str | None  # the document the citation resolves to, None when nothing fits
    reason: str  # "unique", "best of N", "ambiguous", "none"
    candidates: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def _folded_province(province: str) -> str:
    return fold_key(province)


def _province_key(province: str | None) -> str | None:
    return _folded_province(province) if province else None


def compatible(node: DocumentNode, cited: CitedAs, citing_date: str | None = None) -> bool:
    """Could the citing text mean this document? Unknown parts agree with anything."""
    if cited.year is not None and node.year is not None and cited.year != node.year:
        return False
    if citing_date and node.date and date_after(node.date, citing_date):
        return False  # nothing cites a document issued after itself
    if cited.is_national or node.is_central:
        return True
    a, b = _province_key(cited.province), _province_key(node.province)
    if a and b and a != b:
        return False
    return issuers_compatible(cited.issuer_key, node.issuer_key)


def issuers_compatible(a: str | None, b: str | None) -> bool:
    """Same tier (province, district, commune) and names that overlap, place words aside."""
    if not a or not b:
        return True
    ta, tb = issuer_tier(a), issuer_tier(b)
    if ta and tb and ta != tb:
        return False
    wa, wb = org_tokens(a), org_tokens(b)
    if not wa or not wb or wa <= wb or wb <= wa:
        return True
    return len(wa & wb) / len(wa | wb) >= 0.34


def _score(node: DocumentNode, cited: CitedAs) -> float:
    score = 0.0 if node.is_stub else 1.0
    if cited.province and node.province and _province_key(cited.province) == _province_key(node.province):
        score += 4
    if cited.year is not None and cited.year == node.year:
        score += 2
    if cited.date and cited.date == node.date:
        score += 1
    if cited.issuer_key and cited.issuer_key == node.issuer_key:
        score += 2
    elif cited.issuer_key and node.issuer_key:
        wa, wb = org_tokens(cited.issuer_key), org_tokens(node.issuer_key)
        score += len(wa & wb) / max(1, len(wa | wb))
    return score


@dataclass
class DocumentIndex:
    """Every document known to one build, by key and by ref; stubs merge into real documents.

    Keys never change once given; a merged key is kept as an alias of the one it merged
    into, so edges written against a stub's key can be redirected (`canonical`). Nodes are
    also filed by (ref, year, province) so that a citation reads the documents its year and
    province allow, not every document of that ref (`44/UBND-VP` exists in every province
    every year); a node is changed through `replace` so that its filing follows.
    """

    nodes: dict[str, DocumentNode] = field(default_factory=dict)
    by_ref: dict[str, list[str]] = field(default_factory=dict)
    by_title: dict[str, str] = field(default_factory=dict)
    alias: dict[str, str] = field(default_factory=dict)
    merges: list[Merge] = field(default_factory=list)
    # (folded ref, year or None, folded province or None) → keys; central documents file under
    # no province, since compatible() ignores theirs
    _filed: dict[tuple[str, int | None, str | None], list[str]] = field(default_factory=dict, repr=False)
    _filed_as: dict[str, tuple[str, int | None, str | None]] = field(default_factory=dict, repr=False)
    _stubs: dict[str, int] = field(default_factory=dict, repr=False)  # folded ref → stubs of it
    # folded ref → {what a citation says, date aside: the (key, date) of the documents compatible
    # with it}. Many citations say the same (every commune letter cites its district's plan alike),
    # and a ref shared by a province's districts has dozens of candidates; emptied for a ref
    # whenever a document of that ref is filed or unfiled.
    _fits: dict[str, dict[tuple[Any, ...], list[tuple[str, str | None]]]] = field(default_factory=dict,
                                                                                  repr=False)

    def canonical(self, key: str) -> str:
        while key in self.alias:
            key = self.alias[key]
        return key

    def get(self, key: str) -> DocumentNode | None:
        return self.nodes.get(self.canonical(key))

    # -- filing ------------------------------------------------------------------------------
    def _file(self, node: DocumentNode) -> None:
        """File a node just put in `nodes` (and not filed yet) under its ref, year and province."""
        if not node.ref:
            return
        ref = ref_key(node.ref)
        slot = (ref, node.year, None if node.is_central else _province_key(node.province))
        self._filed.setdefault(slot, []).append(node.key)
        self._filed_as[node.key] = slot
        self._fits.pop(ref, None)
        if node.is_stub:
            self._stubs[ref] = self._stubs.get(ref, 0) + 1

    def _unfile(self, key: str) -> None:
        slot = self._filed_as.pop(key, None)
        if slot is None:
            return
        self._filed[slot].remove(key)
        self._fits.pop(slot[0], None)
        if self.nodes.get(key) is not None and self.nodes[key].is_stub:
            self._stubs[slot[0]] -= 1

    def set_node(self, key: str, node: DocumentNode) -> None:
        """Put a changed node (a province inferred, a stub that learnt its date) in place."""
        self._unfile(key)
        self.nodes[key] = node
        self._file(node)

    def _candidates(self, ref: str, cited: CitedAs) -> list[str]:
        """A superset of the documents compatible() can accept: of the cited year or none, of
        the cited province or none. Without a year or a province, every document of the ref."""
        province = None if cited.is_national else _province_key(cited.province)
        if cited.year is None or province is None:
            return self.by_ref.get(ref, [])
        filed = self._filed
        return [*filed.get((ref, cited.year, province), ()), *filed.get((ref, cited.year, None), ()),
                *filed.get((ref, None, province), ()), *filed.get((ref, None, None), ())]

    def _fits_undated(self, ref: str, cited: CitedAs) -> list[tuple[str, str | None]]:
        """(key, date) of the documents of `ref` compatible with `cited`, the citing date aside."""
        said = (cited.year, cited.province, cited.issuer_key, cited.is_national)
        known = self._fits.setdefault(ref, {})
        fits = known.get(said)
        if fits is None:
            nodes = self.nodes
            fits = known[said] = [(k, nodes[k].date) for k in self._candidates(ref, cited)
                                  if k in nodes and compatible(nodes[k], cited)]
        return fits

    # -- documents and stubs -----------------------------------------------------------------
    def add_document(self, node: DocumentNode) -> tuple[str, DocumentNode | None]:
        """Register a document read from a file (or the catalog). Returns its key and, when a
        document with the same identity is already known, that one (the caller decides: a
        probable duplicate, or conflicting metadata). Compatible stubs of the same ref merge in."""
        existing = self.nodes.get(node.key)
        if existing is not None and not existing.is_stub:
            return node.key, existing
        if existing is not None:  # a stub with exactly this key: the document takes its place
            self.set_node(node.key, node)
            self.merges.append(Merge(node.key, node.key, "stub replaced by the document it stood for"))
        else:
            self.nodes[node.key] = node
            self._file(node)
            if node.ref:
                self.by_ref.setdefault(ref_key(node.ref), []).append(node.key)
        if node.title:
            self.by_title.setdefault(fold_key(node.title), node.key)
        if node.ref and self._stubs.get(ref_key(node.ref)):
            self._absorb_stubs(node)
        return node.key, None

    def _absorb_stubs(self, node: DocumentNode) -> None:
        keys = self.by_ref.get(ref_key(node.ref or ""), [])
        for key in list(keys):
            stub = self.nodes.get(key)
            if key == node.key or stub is None or not stub.is_stub:
                continue
            cited = CitedAs(ref=stub.ref, year=stub.year, issuer_key=stub.issuer_key, province=stub.province,
                            date=stub.date, is_national=stub.level == "central")
            if not compatible(node, cited):
                continue
            # another real document that fits the stub as well: the stub stays (ambiguous)
            rivals = [k for k in keys if k not in (key, node.key) and not self.nodes[k].is_stub
                      and compatible(self.nodes[k], cited)]
            if rivals:
                continue
            self.alias[key] = node.key
            self._unfile(key)
            del self.nodes[key]
            keys.remove(key)
            self.merges.append(Merge(node.key, key, f"stub for {stub.ref} merged with the document it stood for"))

    def resolve(self, cited: CitedAs, citing: DocumentNode | None = None) -> Resolution:
        """The known document a citation means, if one fits better than the others."""
        citing_date = citing.date if citing else None
        citing_key = citing.key if citing else None
        nodes = self.nodes
        if cited.ref:
            fits = [k for k, day in self._fits_undated(ref_key(cited.ref), cited)
                    if k != citing_key and not (citing_date and day and date_after(day, citing_date))]
        else:
            key = self.by_title.get(fold_key(cited.title)) if cited.title else None
            fits = [key] if key and key in nodes and key != citing_key and \
                compatible(nodes[key], cited, citing_date) else []
        if not fits:
            return Resolution(None, "none")
        if len(fits) == 1:
            return Resolution(fits[0], "unique", tuple(fits))
        scored = sorted(((_score(nodes[k], cited), k) for k in fits), key=lambda p: (-p[0], p[1]))
        if scored[0][0] > scored[1][0]:
            return Resolution(scored[0][1], f"best of {len(fits)}", tuple(sorted(fits)))
        return Resolution(None, "ambiguous", tuple(sorted(fits)))

    def add_stub(self, cited: CitedAs, kind: str | None, level: str | None) -> str:
        """A document known only because something cites it, keyed from what the text says."""
        if cited.ref:
            key = document_key(cited.ref, cited.year, cited.issuer_key)
            if cited.province and not cited.is_national and not cited.issuer_key:
                key += f"|{fold_key(cited.province)}"
        else:
            key = f"~title|{fold_key(cited.title or '')}"
        if key in self.nodes:
            return key
        ref = cited.ref
        number = re.split(r"[/-]", ref)[0] if ref else None
        node = DocumentNode(
            key=key, ref=ref, kind=kind or "other", number=number,
            symbol=ref[len(number) + 1:] if ref and number else None, issuer=cited.issuer_name,
            issuer_key=cited.issuer_key, date=cited.date, year=cited.year,
            province=None if cited.is_national else cited.province, level=level, is_stub=True,
            title=cited.title if not ref else None)
        self.nodes[key] = node
        self._file(node)
        if ref:
            self.by_ref.setdefault(ref_key(ref), []).append(key)
        elif cited.title:
            self.by_title.setdefault(fold_key(cited.title), key)
        return key

    def learn(self, key: str, cited: CitedAs) -> None:
        """A stub hears more about itself from another citation: fill what it lacked."""
        node = self.nodes.get(key)
        if node is None or not node.is_stub:
            return
        updates = {}
        if node.date is None and cited.date:
            updates["date"] = cited.date
        if node.year is None and cited.year is not None:
            updates["year"] = cited.year
        if node.issuer is None and cited.issuer_name:
            updates["issuer"] = cited.issuer_name
        if node.province is None and cited.province and not cited.is_national:
            updates["province"] = cited.province
        if updates:
            self.set_node(key, replace(node, **updates))
