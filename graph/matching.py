"""Goal terms and task words, diacritic-folded, and how much a shared term tells.

A goal is a bag of terms: its keywords (graph/catalog) and the bigrams of its title. A
task's text is folded (no diacritics, đ → d), OCR damage repaired, refs and the subject of
57-NQ/TW taken out, and cut into words; the terms it holds are found through an index of
their first bigram. A matched term weighs its inverse frequency among the build's tasks
(BM25's IDF; boilerplate weighs nothing) times its spread among the goals (a term of one
goal tells more than a term of twenty). graph/trace.py decides which goals a task serves.
"""
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ingest.fold import fold_key
from ingest.vocab import Vocabulary

from .goals import GoalMeta
from .model import GoalNode

KEYWORD_WEIGHT = 1.0
BODY_KEYWORD_WEIGHT = 0.4  # a keyword that names a body ("Sở Khoa học và Công nghệ") mostly matches its recipients
TITLE_WEIGHT = 0.3
PSEUDO_TASKS = 30  # smooths the task-side IDF of a small build
COMMON_SHARE = 0.08  # a term in more than this share of the tasks is boilerplate (builds of 200+ tasks)

_STOP = {"va", "cua", "cac", "cho", "trong", "ve", "theo", "de", "voi", "tai", "tu", "den", "la", "duoc", "co",
         "nhung", "mot", "nay", "do", "khi", "tren", "hoac", "nham", "thi", "se", "da", "dang", "can", "ra", "vao",
         "viec", "moi"}
# Bigrams of administrative prose ("thực hiện", "phối hợp", "kế hoạch") and of the cascade's
# own subject ("khoa học", "chuyển đổi số"): in a goal's title they say nothing about the goal.
_COMMON_BIGRAMS = {
    "thuc hien", "phoi hop", "ke hoach", "hoan thanh", "bao cao", "nhiem vu", "ket qua", "xay dung", "chi dao",
    "to chuc", "nghi quyet", "tham muu", "van phong", "tong hop", "trien khai", "thong tin", "dia phuong",
    "chuong trinh", "huong dan", "ban hanh", "bao dam", "kiem tra", "quan ly", "su dung", "hieu qua", "co quan",
    "don vi", "can bo", "cong chuc", "ban chi", "trung uong", "chinh phu", "quoc gia", "viet nam", "giai phap",
    "cong nghe", "khoa hoc", "chuyen doi", "doi so", "doi moi", "moi sang", "sang tao", "phat trien", "hoc cong",
    "tang cuong", "nang cao", "thuc day", "dong bo", "hien dai", "nghe so", "dot pha", "trung tam", "tao chuyen",
    "nghe doi", "hoc va", "so quoc", "toan dien", "ho tro", "khuyen khich", "uu tien", "dau tu", "tren dia"}
_TIME_WORDS = {"nam", "thang", "quy", "ngay", "hang"}
# The subject of 57-NQ/TW, repeated in nearly every task of its cascade, says nothing about which goal.
_BOILERPLATE = re.compile(r"(?:dot pha (?:\| )?(?:ve )?)?(?:phat trien )?khoa hoc (?:\| )?(?:va )?cong nghe (?:\| )?"
                          r"(?:va )?doi moi sang tao (?:\| )?(?:va )?chuyen doi so(?: quoc gia)?")
_ABBREVIATIONS = {"khcn": "khoa hoc cong nghe", "dmst": "doi moi sang tao", "cds": "chuyen doi so",
                  "ttg": "thu tuong", "ubnd": "uy ban nhan dan"}
_REF = re.compile(r"\b\d{1,6}[a-z]?\s?[/-]\s?(?:\d{4}/)?[a-z0-9&]*[a-z][a-z0-9&]*(?:[-/][a-z0-9&]+)*"
                  r"(?:\s*,?\s*ngay\s+\d{1,2}[/-]\d{1,2}[/-]\d{4})?(?:\s+cua\s+(?:(?!\bve\b|\btai\b)[^,;.()\"“”]){1,80})?")
_TOKEN = re.compile(r"[a-z0-9]+|[,;:.()]")  # punctuation kept as a boundary ("chỉ đạo, tạo" is no "đào tạo")
_TOKEN_BYTES = bytes(i if i < 128 and chr(i).isalnum() else (ord("|") if chr(i) in ",;:.()" else 32)
                     for i in range(256))

@dataclass(frozen=True, slots=True)
class Term:
    tokens: tuple[str, ...]
    printed: str
    goals: tuple[tuple[str, float], ...]  # (goal id, weight)


_DAMAGE = re.compile(r"[a-z][0-9][a-z]|[a-z][0-9](?![0-9])")
_OCR_DAMAGE_CHARS = ("¢", "§", "©")
_REPAIRERS: dict[int, tuple[re.Pattern[str] | None, dict[str, str]]] = {}


def quick_fold(text: str) -> str:
    """fold() for matching words only: lower case, no diacritics, đ → d, and every other
    non-ASCII character dropped. Unlike fold() it does not keep the length, and it runs in
    C: ingest's fold goes character by character through a text with typographic quotes."""
    text = text.replace("đ", "d").replace("Đ", "d")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii").lower()


def _repairer(vocab: Vocabulary) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The OCR repairs of ingest/normalize.matching_text (ocr_confusions.yaml), for quick_fold()ed text."""
    found = _REPAIRERS.get(id(vocab))
    if found is None:
        words = dict(vocab.ocr_words)
        body = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))
        pattern = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])") if words else None
        found = _REPAIRERS[id(vocab)] = (pattern, words)
    return found


def folded_for_matching(text: str, vocab: Vocabulary) -> tuple[str, bool]:
    """quick_fold()ed text with known OCR-damaged words repaired, and whether it looks damaged.

    Repairs are looked for only in text that shows damage (a digit inside a word, a stray
    symbol): clean text has none of the damaged forms, and the search is the costly part."""
    folded = quick_fold(text)
    damage = len(_DAMAGE.findall(folded))
    stray = any(c in text for c in _OCR_DAMAGE_CHARS)
    pattern, words = _repairer(vocab)
    repairs = 0
    if pattern is not None and (damage or stray):
        def repair(match: re.Match[str]) -> str:
            nonlocal repairs
            meant = words.get(" ".join(match.group(0).split()))
            if meant:
                repairs += 1
                return meant
            return match.group(0)
        folded = pattern.sub(repair, folded)
    return folded, repairs >= 2 or damage >= 2 or stray


def looks_damaged(text: str, vocab: Vocabulary) -> bool:
    return folded_for_matching(text, vocab)[1]


def match_tokens(text: str, vocab: Vocabulary, spelling: Mapping[str, str] | None = None,
                 damaged: bool | None = None) -> list[str]:
    """Folded, OCR-repaired tokens of a text, with refs and the 57-NQ/TW subject taken out.

    `spelling` (GoalMatcher.spelling): in a text that looks OCR-damaged ("d6i mei", "qudc"),
    a word the goals do not use becomes the one goal word it is a letter away from."""
    folded, looks = folded_for_matching(text, vocab)
    if "/" in folded:
        folded = _REF.sub(" ", folded)
    # bytes.translate runs in C: letters and digits stay, ",;:.()" become a "|" boundary, the rest a space
    tokens = folded.encode("ascii", "ignore").translate(_TOKEN_BYTES).replace(b"|", b" | ").decode("ascii").split()
    if spelling is not None and (looks if damaged is None else damaged):
        tokens = [spelling.get(t, t) for t in tokens]
    joined = " ".join(tokens)
    if "sang tao" in joined:
        joined = _BOILERPLATE.sub(" | ", joined)
    return joined.split()


def _goal_tokens(text: str) -> list[str]:
    return ["|" if t in ",;:.()" else _ABBREVIATIONS.get(t, t) for t in _TOKEN.findall(fold_key(text))]


@dataclass
class GoalMatcher:
    """The catalog's goals as weighted terms, indexed by their first bigram (or token)."""

    goals: Mapping[str, GoalNode]
    meta: Mapping[str, GoalMeta]
    terms: list[Term] = field(default_factory=list)
    by_first: dict[str, list[int]] = field(default_factory=dict)
    goal_spread: dict[int, float] = field(default_factory=dict)
    subtree: dict[str, frozenset[str]] = field(default_factory=dict)
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    firsts: frozenset[str] = frozenset()  # the keys of by_first
    short_by_first: dict[str, tuple[int, ...]] = field(default_factory=dict)  # terms of one or two words
    long_by_first: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # (id, " w1 w2 w3 ")
    kind_of: dict[str, str] = field(default_factory=dict)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)  # "c?ong" → {"cuong"}

    def correct(self, token: str) -> str:
        """The one goal word a damaged token is a single substitution away from, else itself."""
        if token in self.words or len(token) < 3 or token.isdigit():
            return token
        found: set[str] = set()
        for i in range(len(token)):
            found |= self.neighbours.get(f"{token[:i]}?{token[i + 1:]}", frozenset())
            if len(found) > 1:
                return token
        return found.pop() if found else token

    @classmethod
    def from_catalog(cls, goals: Mapping[str, GoalNode], meta: Mapping[str, GoalMeta],
                     body_names: frozenset[str] = frozenset()) -> GoalMatcher:
        """`body_names`: folded names of organisations (the gazetteer's); keywords naming one weigh less."""
        matcher = cls(goals, meta)
        weights: dict[tuple[str, ...], dict[str, float]] = {}
        printed: dict[tuple[str, ...], str] = {}
        for goal in goals.values():
            for keyword in goal.keywords:
                tokens = tuple(" ".join(_goal_tokens(keyword)).split())
                if not tokens or _REF.search(fold_key(keyword)) or \
                        all(t in _TIME_WORDS or t.isdigit() for t in tokens):
                    continue
                weight = BODY_KEYWORD_WEIGHT if fold_key(keyword) in body_names else KEYWORD_WEIGHT
                weights.setdefault(tokens, {})[goal.key] = weight
                printed.setdefault(tokens, keyword)
            for segment in re.split(r"[,;:()–“”\"]| - ", goal.title):
                title = _goal_tokens(segment)
                for a, b in itertools.pairwise(title):
                    if a in _STOP or b in _STOP or "|" in (a, b) or a.isdigit() or b.isdigit() \
                            or f"{a} {b}" in _COMMON_BIGRAMS:
                        continue
                    slot = weights.setdefault((a, b), {})
                    if slot.get(goal.key, 0.0) < TITLE_WEIGHT:
                        slot[goal.key] = TITLE_WEIGHT
                    printed.setdefault((a, b), f"{a} {b}")
        for tokens in sorted(weights):
            term_id = len(matcher.terms)
            matcher.terms.append(Term(tokens, printed[tokens], tuple(sorted(weights[tokens].items()))))
            matcher.by_first.setdefault(" ".join(tokens[:2]), []).append(term_id)
            matcher.goal_spread[term_id] = 1 / math.sqrt(len(weights[tokens]))
        matcher._index_tree()
        matcher.words = frozenset(t for term in matcher.terms for t in term.tokens)
        matcher.firsts = frozenset(matcher.by_first)
        for first, ids in matcher.by_first.items():
            shorts = tuple(i for i in ids if len(matcher.terms[i].tokens) <= 2)
            longs = tuple((i, f" {' '.join(matcher.terms[i].tokens)} ") for i in ids if len(matcher.terms[i].tokens) > 2)
            if shorts:
                matcher.short_by_first[first] = shorts
            if longs:
                matcher.long_by_first[first] = longs
        matcher.kind_of = {key: goal.kind for key, goal in goals.items()}
        neighbours: dict[str, set[str]] = {}
        for word in matcher.words:
            if len(word) >= 3 and not word.isdigit():
                for i in range(len(word)):
                    neighbours.setdefault(f"{word[:i]}?{word[i + 1:]}", set()).add(word)
        matcher.neighbours = {k: frozenset(v) for k, v in neighbours.items()}
        return matcher

    @property
    def spelling(self) -> _Spelling:
        return _Spelling(self)

    def _index_tree(self) -> None:
        children: dict[str, list[str]] = {}
        for goal in self.goals.values():
            if goal.parent:
                children.setdefault(goal.parent, []).append(goal.key)
        for key in self.goals:
            seen, stack = {key}, [key]
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            self.subtree[key] = frozenset(seen)
            chain, current = [], self.goals[key].parent
            while current and current not in chain and current in self.goals:
                chain.append(current)
                current = self.goals[current].parent
            self.ancestors[key] = tuple(chain)

    def terms_in(self, tokens: list[str]) -> frozenset[int]:
        """Ids of the terms whose tokens occur, in order, in the task's tokens.

        A term is indexed by its first bigram (one-word terms by the word): the task's
        bigrams are made and intersected with the index in C; only terms longer than two
        words are then checked against the text."""
        firsts = self.firsts
        hits = set(firsts.intersection(tokens))
        if len(tokens) > 1:
            hits.update(firsts.intersection(map(" ".join, itertools.pairwise(tokens))))
        found: set[int] = set()
        short, long = self.short_by_first, self.long_by_first
        joined = None
        for first in hits:
            found.update(short.get(first, ()))
            for term_id, phrase in long.get(first, ()):
                if joined is None:
                    joined = f" {' '.join(tokens)} "
                if phrase in joined:
                    found.add(term_id)
        return frozenset(found)

    def score(self, term_ids: Iterable[int], idf: Mapping[int, float], candidates: frozenset[str],
              kinds: tuple[str, ...] | None = None, min_terms: int = 2) -> dict[str, tuple[float, list[str]]]:
        """Per goal: the summed weight of its matched terms and those terms. A goal matched by
        title bigrams alone needs `min_terms` of them."""
        totals: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        keyworded: set[str] = set()
        terms, spread, kind_of = self.terms, self.goal_spread, self.kind_of
        for term_id in term_ids:
            weight = idf[term_id] * spread[term_id]
            if weight <= 0.0:
                continue
            term = terms[term_id]
            for goal, w in term.goals:
                if goal not in candidates or (kinds and kind_of[goal] not in kinds):
                    continue
                totals[goal] = totals.get(goal, 0.0) + w * weight
                matched.setdefault(goal, []).append(term.printed)
                if w >= KEYWORD_WEIGHT:
                    keyworded.add(goal)
        return {g: (t, matched[g]) for g, t in totals.items() if g in keyworded or len(matched[g]) >= min_terms}

    def rolled_up(self, scored: dict[str, tuple[float, list[str]]], kinds: tuple[str, ...] = ("solution_group",)
                  ) -> dict[str, tuple[float, list[str]]]:
        """Each goal's score added to its outermost ancestor (or itself) of the given kinds:
        71.GRP.7 and 03.GRP.7 restate 57.SOL.7 and count for it."""
        out: dict[str, tuple[float, list[str]]] = {}
        for goal, (score, terms) in sorted(scored.items()):
            chain = (goal, *self.ancestors.get(goal, ()))
            group = next((g for g in reversed(chain) if self.goals[g].kind in kinds), None)
            if group:
                total, matched = out.get(group, (0.0, []))
                out[group] = (total + score, [*matched, *terms] if group == goal else [*matched, *terms, f"via {goal}"])
        return out


class _Spelling(Mapping[str, str]):
    """A read-only view of GoalMatcher.correct, memoised per call site."""

    def __init__(self, matcher: GoalMatcher):
        self._matcher = matcher
        self._memo: dict[str, str] = {}

    def __getitem__(self, token: str) -> str:
        found = self._memo.get(token)
        if found is None:
            found = self._memo[token] = self._matcher.correct(token)
        return found

    def get(self, token: str, default: str | None = None) -> str:  # type: ignore[override]
        return self[token]

    def __iter__(self):  # pragma: no cover - a view, not a collection
        return iter(self._memo)

    def __len__(self) -> int:
        return len(self._memo)


def task_idf(term_sets: Iterable[frozenset[int]], common_share: float | None = COMMON_SHARE) -> dict[int, float]:
    """BM25's inverse document frequency of each term over the tasks of one build; a term
    found in more than COMMON_SHARE of them (in a build big enough to tell) weighs nothing."""
    df: dict[int, int] = {}
    tasks = 0
    for terms, count in Counter(term_sets).items():  # tasks share few term sets: each counted once
        tasks += count
        for term_id in terms:
            df[term_id] = df.get(term_id, 0) + count
    n = tasks + PSEUDO_TASKS
    idf = _Idf({t: 0.0 if common_share and tasks >= 200 and d > common_share * tasks
                else math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()})
    idf.unseen = math.log(1 + (n + 0.5) / 0.5)
    return idf


class _Idf(dict[int, float]):
    """A term no task holds (one of a heading's) weighs as the rarest term."""

    unseen = 1.0

    def __missing__(self, term_id: int) -> float:
        return self.unseen
