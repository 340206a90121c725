"""Task → Goal links, each with a method, a score and the evidence for it.

1. explicit: the task names a part of a central document that the catalog numbers
   ("nhiệm vụ số 69 Phụ lục II" of 03/NQ-CP → the group whose task_range holds 69, or the
   catalogued task with that STT; "Nhóm nhiệm vụ số 3" → 57.SOL.3).
2. inherited: only goals of central documents the task's document descends from (through
   implements / based_on citations) are candidates. A heading over the task that names a
   solution group ("Nâng cao nhận thức…") narrows the candidates to that group; when
   nothing inside matches, the link goes to the group itself, method "inherited".
3. topical: the task's text, diacritic-folded with OCR damage repaired, is scored against
   the candidates' keywords and title bigrams, BM25-style: each matched term weighs its
   inverse frequency among the *tasks* of this build (so "khoa học, công nghệ", written in
   every task, weighs nothing) and among the goals (a term of one goal tells more than a
   term of twenty). Goals above a threshold are kept with the matched terms as evidence;
   a goal whose descendant is kept is dropped (the descendant implies it via PART_OF). A
   task that lists numbered items "(1) … (7) …" is matched item by item against the groups.
4. curated: an analyst's confirmation adds a link; a rejection removes one for good.

Everything here is a function of its arguments: the catalog's goals, the task texts.
The words and their weights are graph/matching.py's.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.vocab import Vocabulary

from .goals import GoalMeta
from .matching import GoalMatcher, looks_damaged, match_tokens, quick_fold, task_idf
from .model import GoalNode

__all__ = ["GoalLink", "GoalMatcher", "TraceItem", "explicit_links", "match_tokens", "numbered_items", "quick_fold",
           "text_terms", "trace_tasks"]

THRESHOLD = 2.2  # about one rare keyword, or two less rare ones
ITEM_MARGIN = 1.3  # a numbered item goes to its best group when that beats the next by this much
RELATIVE = 0.6  # keep goals scoring at least this share of the best
MAX_LINKS = 4

_ITEM = re.compile(r"(?:^|[\s;:.,])\((\d{1,2})\)\s")
_APPENDIX_TASK = re.compile(r"nhiem vu (?:so |thu )?(\d{1,3})(?:\s*(?:cua|tai|thuoc|trong))?\s*phu luc\s*(ii|2|i|1)?")
_GROUP = re.compile(r"nhom (?:nhiem vu|giai phap)(?:,? (?:nhiem vu|giai phap))?(?: so| thu)? (\d|[ivx]{1,4})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}



@dataclass(frozen=True, slots=True)
class GoalLink:
    task_key: str
    goal: str
    method: str  # explicit, inherited, topical, curated
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TraceItem:
    """One task and what its document knows."""

    task_key: str
    text: str
    heading: str | None = None  # the section heading or parent item above the task
    candidates: frozenset[str] = frozenset()  # goal ids of the ancestor central documents
    named_docs: tuple[tuple[str, str], ...] = ()  # (folded ref, central document key) the task can name
    parts: tuple[str, ...] = ()  # named parts of cited documents, kept as evidence


def numbered_items(text: str) -> list[tuple[int, str]]:
    """'(1) … (2) … (3) …' in one task: the items, when they run 1, 2, 3… (three or more)."""
    marks = list(_ITEM.finditer(text))
    numbers = [int(m.group(1)) for m in marks]
    if len(marks) < 3 or numbers != list(range(1, len(marks) + 1)):
        return []
    out = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append((numbers[i], text[mark.end():end].strip(" ;.,")))
    return out


def explicit_links(item: TraceItem, folded: str, goals: Mapping[str, GoalNode],
                   meta: Mapping[str, GoalMeta], default_doc: str | None) -> list[GoalLink]:
    """Parts of central documents the task names by number."""
    links: list[GoalLink] = []
    for found in _APPENDIX_TASK.finditer(folded):
        stt = int(found.group(1))
        # only when the central document is named right after: "(nhiệm vụ số 3 của Phụ lục)" in a
        # provincial letter is task 3 of the provincial plan's appendix (graph/parts.py), not of 03/NQ-CP
        doc = _named_after(folded, found.end(), item.named_docs)
        if doc is None or not _has_task_ranges(doc, goals, meta):
            continue
        target = _goal_for_stt(doc, stt, goals, meta)
        if target:
            links.append(GoalLink(item.task_key, target, "explicit", 1.0, (f"names {found.group(0)}",)))
    for found in _GROUP.finditer(folded):
        raw = found.group(1)
        number = int(raw) if raw.isdigit() else _ROMAN.get(raw, 0)
        doc = _named_after(folded, found.end(), item.named_docs) or default_doc
        groups = [g.key for g in goals.values() if g.doc_key == doc and g.kind == "solution_group"]
        if doc and 0 < number <= len(groups):
            links.append(GoalLink(item.task_key, groups[number - 1], "explicit", 1.0,
                                  (f"names {found.group(0)}",)))
    return links


def _named_after(folded: str, pos: int, named: tuple[tuple[str, str], ...]) -> str | None:
    window = folded[pos:pos + 120].replace(" ", "")
    best = None
    for ref, doc in named:
        at = window.find(ref)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, doc)
    return best[1] if best else None


def _has_task_ranges(doc: str, goals: Mapping[str, GoalNode], meta: Mapping[str, GoalMeta]) -> bool:
    return any(g.doc_key == doc and meta[g.key].task_range for g in goals.values())


def _goal_for_stt(doc: str, stt: int, goals: Mapping[str, GoalNode], meta: Mapping[str, GoalMeta]) -> str | None:
    exact = [g.key for g in goals.values() if g.doc_key == doc and meta[g.key].stt == stt]
    if exact:
        return exact[0]
    for goal in goals.values():
        span = meta[goal.key].task_range
        if goal.doc_key == doc and span and span[0] <= stt <= span[1]:
            return goal.key
    return None


def _prune(matcher: GoalMatcher, scored: dict[str, tuple[float, list[str]]], threshold: float,
           limit: int = MAX_LINKS) -> list[tuple[str, float, list[str]]]:
    if not scored:
        return []
    best = max(s for s, _ in scored.values())
    kept = [(g, s, t) for g, (s, t) in scored.items() if s >= threshold and s >= RELATIVE * best]
    kept.sort(key=lambda x: (-x[1], x[0]))
    kept = kept[:limit]
    names = {g for g, _, _ in kept}
    out = []
    for goal, score, terms in kept:
        descendants = [d for d in names if d != goal and goal in matcher.ancestors.get(d, ())]
        if not descendants:
            out.append((goal, score, terms))
    return out


def _best_group(matcher: GoalMatcher, terms: frozenset[int], idf: Mapping[int, float],
                candidates: frozenset[str], threshold: float, margin: float,
                min_terms: int = 2) -> tuple[str, float, list[str]] | None:
    """The solution group a short text (a heading, a numbered item) is about, if one stands out."""
    groups = matcher.rolled_up(matcher.score(terms, idf, candidates, min_terms=min_terms))
    if not groups:
        return None
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0]))
    goal, (score, matched) = ranked[0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if score >= threshold and score >= margin * second:
        return goal, score, matched
    return None


def text_terms(text: str, matcher: GoalMatcher, vocab: Vocabulary, spelling: Mapping[str, str]) -> frozenset[int]:
    """The goal terms a task's text (or a heading) holds: a function of the text alone."""
    return matcher.terms_in(match_tokens(text, vocab, spelling))


def trace_tasks(items: list[TraceItem], matcher: GoalMatcher, vocab: Vocabulary,
                curated: Mapping[tuple[str, str], str] | None = None,
                default_doc: str | None = None,
                known_terms: Mapping[str, frozenset[int]] | None = None) -> list[GoalLink]:
    """Every task's goal links. `curated` maps (task key, goal id) to "confirm" or "reject";
    `default_doc` is the document whose solution groups "Nhóm nhiệm vụ số N" counts (57-NQ/TW);
    `known_terms`: text_terms() of texts and headings, worked out beforehand (graph/build.py
    does it in forked workers for a large build)."""
    curated = curated or {}
    # a task whose document descends from no central document has no candidate goal: only
    # an analyst's confirmation links it, and its words do not count in the IDF either
    items = [item for item in items if item.candidates]
    spelling = matcher.spelling
    # terms depend on the text alone: a text met twice ("TỔ CHỨC THỰC HIỆN") is read once,
    # and a heading is read as a task's text is; the tokens themselves are not kept (a
    # million tasks' tokens would fill gigabytes)
    terms_of: dict[str, frozenset[int]] = dict(known_terms or {})
    term_sets = []
    for item in items:
        found = terms_of.get(item.text)
        if found is None:
            found = terms_of[item.text] = text_terms(item.text, matcher, vocab, spelling)
        term_sets.append(found)
    idf = task_idf(term_sets)
    # a numbered item paraphrases a group's title: its common words still count
    item_idf = task_idf(term_sets, common_share=None)
    heading_cache = terms_of
    # a task's topical goals depend on its terms and its candidates alone, and a build holds
    # far fewer of those pairs than tasks (8k of 40k at 10k documents): each is scored once
    topical_cache: dict[tuple[frozenset[int], frozenset[str]], list[tuple[str, float, list[str]]]] = {}
    links: list[GoalLink] = []
    rejected: dict[str, set[str]] = {}
    for (task_key, goal), action in curated.items():
        if action == "reject":
            rejected.setdefault(task_key, set()).add(goal)
    for item, terms in zip(items, term_sets, strict=True):
        found_links = _trace_one(item, terms, (idf, item_idf), matcher, vocab, (heading_cache, topical_cache),
                                 default_doc, spelling)
        never = rejected.get(item.task_key, ())
        links += [link for link in found_links if link.goal not in never]
    for (task_key, goal), action in sorted(curated.items()):
        if action == "confirm" and goal in matcher.goals:
            links = [link for link in links if not (link.task_key == task_key and link.goal == goal)]
            links.append(GoalLink(task_key, goal, "curated", 1.0, ("confirmed by an analyst",)))
    return links


_MAY_BE_EXPLICIT = re.compile(r"ph[uụ] l[uụ]c|nh[oó]m")


def _trace_one(item: TraceItem, terms: frozenset[int],
               idfs: tuple[Mapping[int, float], Mapping[int, float]], matcher: GoalMatcher, vocab: Vocabulary,
               caches: tuple[dict[str, frozenset[int]], dict[tuple[frozenset[int], frozenset[str]],
                                                          list[tuple[str, float, list[str]]]]],
               default_doc: str | None, spelling: Mapping[str, str]) -> list[GoalLink]:
    idf, item_idf = idfs
    heading_cache, topical_cache = caches
    explicit = []
    if _MAY_BE_EXPLICIT.search(item.text.lower()):
        explicit = explicit_links(item, " ".join(quick_fold(item.text).split()), matcher.goals, matcher.meta,
                                  default_doc)
    candidates = item.candidates
    if not candidates:
        return explicit
    parts = tuple(f"names {p}" for p in item.parts)
    narrowed: tuple[str, float, list[str]] | None = None
    if item.heading:
        heading_terms = heading_cache.get(item.heading)
        if heading_terms is None:
            heading_terms = heading_cache[item.heading] = text_terms(item.heading, matcher, vocab, spelling)
        narrowed = _best_group(matcher, heading_terms, idf, candidates, THRESHOLD, 1.5)
        if narrowed:
            candidates = candidates & matcher.subtree[narrowed[0]]
    links = list(explicit)
    items = numbered_items(item.text) if "(3)" in item.text else []
    if items:
        for number, text in items:
            item_terms = matcher.terms_in(match_tokens(text, vocab, spelling, looks_damaged(item.text, vocab)))
            best = _best_group(matcher, item_terms, item_idf, candidates, 0.0, ITEM_MARGIN, min_terms=1)
            if best:
                goal, score, matched = best
                links.append(GoalLink(item.task_key, goal, "topical", round(score, 3),
                                      (f"item ({number})", *sorted(set(matched)), *parts)))
    else:
        topical = topical_cache.get((terms, candidates))
        if topical is None:
            scored = matcher.score(terms, idf, candidates)
            topical = topical_cache[(terms, candidates)] = [
                (goal, round(score, 3), sorted(set(matched))) for goal, score, matched in _prune(matcher, scored, THRESHOLD)]
        for goal, score, evidence in topical:
            heading = (f"under heading '{item.heading[:80]}'",) if narrowed else ()
            links.append(GoalLink(item.task_key, goal, "topical", score, (*evidence, *heading, *parts)))
    if narrowed and not any(link.goal in matcher.subtree[narrowed[0]] for link in links):
        links.append(GoalLink(item.task_key, narrowed[0], "inherited", round(narrowed[1], 3),
                              (f"under heading '{item.heading[:80]}'", *sorted(set(narrowed[2])), *parts)))
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.goal not in seen:
            seen.add(link.goal)
            unique.append(link)
    return unique
