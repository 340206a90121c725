"""Tasks: the document's own numbering gives the hierarchy, roles come from the phrasing.

The body is read line by line (the normaliser has rejoined hard wraps): a line opening
with a marker (I., 1., 1.1, a), (1), -, +, Điều 3.) starts an item; an unmarked line is
a paragraph under the item before it. Sections whose heading says they are purposes or
requirements (MỤC ĐÍCH, YÊU CẦU …) hold no tasks. Within an item, organisations in the
doer's seat (sentence start, after "giao", "đề nghị" …, before "chủ trì") lead, those
after "phối hợp với" support; an item naming nobody inherits its heading's doer, and in a
letter whose requests name no doer the Kính gửi recipients lead (implicit). An item with
several dated deliverables becomes one task per deliverable.

Work already done is reported, not assigned: an item whose subject is followed by "đã"
("Sở Nội vụ đã tham mưu …", "Đã triển khai …") is no task, and in a report (Báo cáo) the
sections before its forward part (phương hướng, nhiệm vụ thời gian tới, kiến nghị) are its
account of the period. A report's own next tasks that name no doer are the reporting body's;
only its requests (kiến nghị, đề xuất) go to the body it reports to.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..fold import fold_key
from ..readers.source import Table
from ..records import Deadline, Fact, OrgMention, Span, Task
from ..vocab import Vocabulary, phrase_regex
from .context import DocText
from .deadlines import DeadlineFinder
from .orgs import Locality, OrgFinder
from .reported import ReportedWork
from .task_tables import TableTaskReader

# Every capital letter of Vietnamese text, for "what follows starts a sentence".
_CAPITALS = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
# Scanned pages read the point after a list number as a comma ("1, Sở Nội vụ …") and double
# it ("II.. NHIỆM VỤ"): at the start of a line, before a capital, both are still the number.
_OCR_POINT = rf"(?:\.\.?|,(?=\s+[{_CAPITALS}]))"
MARKERS = [
    ("roman", re.compile(rf"(?P<label>[IVXL]{{1,5}})(?:{_OCR_POINT}|\))\s+")),
    ("dieu", re.compile(r"(?:Điều|Dieu|ĐIỀU)\s+(?P<label>\d{1,2})[.:]?\s+")),
    ("multi", re.compile(r"(?P<label>\d{1,2}(?:\.\d{1,2})+)\.?\s+")),
    ("number", re.compile(rf"(?P<label>\d{{1,2}})(?:{_OCR_POINT}|\))\s+")),
    ("letter", re.compile(r"(?P<label>[a-zđ])\)\s+")),
    ("paren", re.compile(r"\((?P<label>\d{1,2})\)\s+")),
    ("dash", re.compile(r"[-–—•·]\s*")),
    ("plus", re.compile(r"[+*]\s*")),
]
_RULE = re.compile(r"^\s*[-–—_*=.]{3,}\s*$|^\s*\*\s*$")
_BOUNDARY = re.compile(r"[;.!?](?=\s)|:(?=\s)")
_SEPARATORS = re.compile(r"^[\s,;]*(?:va|cung|hoac|,)?[\s,;]*$")
# The issuer speaking: asking others ("Sở Nội vụ đề nghị …"), or appraising in a conclusion
# ("Ban Thường vụ Tỉnh ủy ghi nhận, biểu dương …"): no work of its own.
_SPEAKER_VERB = re.compile(r"\s*(?:kinh\s+(?:de\s+nghi|bao\s+cao|trinh|gui)|de\s+nghi|kien\s+nghi|yeu\s+cau|giao|"
                           r"tran\s+trong|thong\s+bao|ghi\s+nhan|bieu\s+duong|hoan\s+nghenh|"
                           r"danh\s+gia\s+cao|ket\s+luan)\b")
_MEMBERS = re.compile(r"(?:thanh\s+phan|thanh\s+vien|co\s+cau)[^.;]{0,80}gom\s*(?:cac\s+\S+\s*)?:?\s*$|\bgom\s*:\s*$")
_DIRECTS = re.compile(r"(?:chi\s+dao|lanh\s+dao)\s*$")
# "Điều 2. Nhiệm vụ, quyền hạn của Tổ công tác", "III. Trách nhiệm của các sở, ngành": the
# body whose duties a heading lists does its items.
_DUTIES_OF = re.compile(r"^\s*(?:(?:nhiem\s+vu|quyen\s+han|trach\s+nhiem|chuc\s+nang)(?:\s*,\s*|\s+va\s+|\s+))+cua\s*$")
# "Chánh Văn phòng …; Giám đốc các sở …; Chủ tịch UBND các xã … chịu trách nhiệm thi hành
# Quyết định này": the closing clause of a decision names the bodies that carry it out.
_EXECUTES = re.compile(r"(?:chiu|co)\s+trach\s+nhiem\s+(?:thi\s+hanh|thuc\s+hien|to\s+chuc\s+thuc\s+hien)")
_CLAUSE_NOISE = re.compile(r"^[\s\-–+•*,\"“”'(]*(?:dong\s+thoi|ngoai\s+ra|trong\s+do|rieng)?[\s,:\"“”'(]*$")


@dataclass
class Block:
    start: int
    end: int
    content_start: int
    kind: str | None  # marker type, None for a paragraph
    label: str | None
    parent: Block | None = None
    children: list[Block] = field(default_factory=list)
    id: str = ""
    excluded: bool = False
    reported: bool = False  # tells of work done ("Sở Nội vụ đã tham mưu …"): no task

    def is_heading_like(self, text: str) -> bool:
        own = text[self.content_start:self.end].strip()
        return own.endswith(":") or (len(own) < 160 and not re.search(r"[.;!?]$|\./\.$", own))


class TaskParser:
    def __init__(self, vocab: Vocabulary, finder: OrgFinder):
        self.vocab = vocab
        self.finder = finder
        self.deadlines = DeadlineFinder(vocab)
        roles = vocab.roles
        self.lead_before = phrase_regex(list(roles["lead_before"]))
        self.lead_opening = phrase_regex(list(roles["lead_opening"]))
        self.lead_after = phrase_regex(list(roles["lead_after"]))
        self.support_before = phrase_regex(list(roles["support_before"]))
        self.not_doer_before = phrase_regex(list(roles["not_doer_before"]))
        self.reported = ReportedWork(vocab)
        self.tables = TableTaskReader(vocab, finder, self.deadlines)
        self.relation_start = re.compile(r"^(?:thuc\s+hien|can\s+cu|trien\s+khai|de\s|tren\s+co\s+so|theo\s|nham\s|"
                                         r"nhan\s+duoc|ngay\s+\d)")

    def parse(self, doc: DocText, start: int, end: int, year: int | None, locality: Locality | None,
              recipients: tuple[Fact[str], ...], tables: tuple[Table, ...] = (), *,
              kind: str | None = None, issuer: Fact[str | None] | None = None) -> list[Task]:
        """Tasks in the body [start, end), and in task tables anywhere after its start.

        `tables`: the reader's tables, offsets in `doc.text`; without them the table rows
        are the tab-separated lines. `kind` and `issuer`: the header's; a report ("bao_cao")
        is read in its parts, and its issuer does the next tasks that name nobody."""
        # appendix tables ("PHỤ LỤC: DANH MỤC NHIỆM VỤ") follow the signature: read to the end
        table_lines = [line for line in doc.lines if line.start >= start and line.text.count("\t") >= 2]
        tables = tuple(t for t in tables if t.start >= start)
        blocks, _ = self._blocks(doc, start, end, self.tables.row_spans(doc, table_lines, tables))
        roots = self._tree(doc, blocks)
        mentions = [m for m in self.finder.starting_at(doc, locality).values() if start <= m.span.start < end]
        self._mark_reported(doc, blocks, mentions)
        report = self.reported.parts(doc.folded, roots) if kind == "bao_cao" else None
        tasks: list[Task] = []
        has_items = any(b.kind for b in blocks)
        intro_leads: tuple[OrgMention, ...] = ()
        for root in roots:
            if report and root in report.account:
                continue  # "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" of a report: its account, no tasks
            if root.kind is None and has_items and root.start < _first_item(blocks):
                own = doc.text[root.content_start:root.end].strip()
                if own.endswith(":") or re.search(r"nhu\s+sau\s*:?\s*$", doc.folded[root.start:root.end]):
                    intro_leads = self._asked(doc, root.content_start, root.end, mentions)
                if not self.deadlines.find(doc, root.content_start, root.end, year) or \
                        self.relation_start.match(doc.folded[root.content_start:root.end]):
                    continue
            self._collect(doc, root, (), tasks, mentions, year)
        # the units addressed in "Kính gửi" do what the letter asks; else those the intro names
        implicit = tuple(self._implicit_mention(r, locality) for r in recipients) or intro_leads
        if report and issuer is not None and issuer.value:
            # a report's next tasks are the reporting body's; its requests go to those it reports to
            own = (self._implicit_mention(issuer, locality),)
            tasks = [self._implicit(t, implicit if any(a <= t.span.start < b for a, b in report.requests) else own,
                                    tasks) for t in tasks]
        else:
            tasks = [self._implicit(t, implicit, tasks) for t in tasks]
        tasks.extend(self.tables.read(doc, table_lines, year, locality, tables))
        tasks = _unique_ids(tasks)
        return tasks

    def _implicit_mention(self, named: Fact[str], locality: Locality | None) -> OrgMention:
        return OrgMention(*self.finder.names(named.value, locality)[:1], named.value, named.span or Span(0, 0), False,
                          0.7, self.finder.canonical_name(named.value, locality))

    def _mark_reported(self, doc: DocText, blocks: list[Block], mentions: list[OrgMention]) -> None:
        """Items telling of work done, and the paragraphs that go on with them."""
        by_start = {m.span.start: m for m in mentions}
        for block in blocks:
            if block.kind is None and block.parent is not None and block.parent.reported:
                block.reported = not self.reported.asks_more(doc.folded, block.content_start, block.end)
            else:
                block.reported = self.reported.tells_done(doc.folded, block.content_start, block.end, by_start)

    # -- structure ---------------------------------------------------------------------
    def _blocks(self, doc: DocText, start: int, end: int, rows: tuple[tuple[int, int], ...] = ()
                ) -> tuple[list[Block], list]:
        blocks: list[Block] = []
        table_lines = []
        for line in doc.lines:
            if line.end <= start or line.start >= end or not line.text.strip():
                continue
            if _RULE.match(line.text):
                continue  # "-----" under the title, "*" under the issuer
            if line.text.count("\t") >= 2 or any(a <= line.start < b for a, b in rows):  # a table row
                table_lines.append(line)
                continue
            kind = label = None
            content = line.start
            for name, pattern in MARKERS:
                found = pattern.match(line.text)
                if found:
                    kind = name
                    label = found.groupdict().get("label")
                    content = line.start + found.end()
                    break
            blocks.append(Block(line.start, min(line.end, end), content, kind, label))
        return blocks, table_lines

    def _tree(self, doc: DocText, blocks: list[Block]) -> list[Block]:
        roots: list[Block] = []
        stack: list[Block] = []
        for block in blocks:
            if block.kind is None:
                parent = stack[-1] if stack else None
            else:
                kinds = [b.kind for b in stack]
                level = _level(block)
                while stack and (stack[-1].kind == block.kind and _level(stack[-1]) >= level
                                 or block.kind in kinds and stack[-1].kind != block.kind
                                 or (block.kind == "multi" and stack[-1].kind == "multi" and _level(stack[-1]) >= level)):
                    popped = stack.pop()
                    kinds = [b.kind for b in stack]
                    if popped.kind == block.kind and _level(popped) == level:
                        break
                parent = stack[-1] if stack else None
                stack.append(block)
            block.parent = parent
            if parent is None:
                roots.append(block)
            else:
                parent.children.append(block)
        for i, root in enumerate(roots):
            self._number(root, str(root.label or i + 1), doc)
        return roots

    def _number(self, block: Block, ident: str, doc: DocText) -> None:
        block.id = ident
        own = doc.folded[block.content_start:block.end]
        if len(own) < 120 and self.vocab.non_task_headings.match(own.strip()) and block.kind is not None \
                and block.is_heading_like(doc.text):
            block.excluded = True  # "I. MỤC ĐÍCH, YÊU CẦU", not "7. Yêu cầu UBND các xã báo cáo …."
        paragraphs = 0
        items = 0
        for child in block.children:
            if child.kind is None:
                paragraphs += 1
                child_id = f"{ident}.p{paragraphs}"
            else:
                items += 1
                label = child.label
                if child.kind == "multi" and label:
                    child_id = label if not ident.startswith(("I", "V", "X")) else f"{ident.split('.')[0]}.{label}"
                elif child.kind in ("number", "dieu") and label or child.kind == "letter" and label:
                    child_id = f"{ident}.{label}"
                else:
                    child_id = f"{ident}.{items}"
            self._number(child, child_id, doc)
            if block.excluded:
                child.excluded = True
                _exclude(child)

    # -- tasks -----------------------------------------------------------------------
    def _collect(self, doc: DocText, block: Block, inherited: tuple[OrgMention, ...], tasks: list[Task],
                 mentions: list[OrgMention], year: int | None) -> None:
        if block.excluded:
            return
        if block.parent is not None and _MEMBERS.search(doc.folded[block.parent.content_start:block.parent.end]):
            return  # "Tổ công tác gồm: 1. Phó Chủ tịch UBND tỉnh - Tổ trưởng": members, not tasks
        own_start, own_end = block.content_start, block.end
        leads, supports = self._roles(doc, own_start, own_end, mentions)
        heading_org = self._heading_org(doc, block, mentions)
        own_deadlines = [d for d in self.deadlines.find(doc, own_start, own_end, year)]
        exact = [d for d in own_deadlines if d.date]
        segments = self._segments(doc, own_start, own_end, exact) if len(exact) > 1 else [(own_start, own_end)]
        named = tuple(m for m in leads if not m.is_generic)
        # A heading over its items ("II. NHIỆM VỤ", "1. Sở Nội vụ") is no task of its own: its
        # items are, and they inherit its doer.
        is_heading = bool(block.children) and block.is_heading_like(doc.text) and not exact and (
            heading_org or not named) or block.reported
        for n, (seg_start, seg_end) in enumerate(segments if not is_heading else []):
            if n == 0:
                seg_leads, seg_support = leads, supports
            else:
                seg_leads, seg_support = self._roles(doc, seg_start, seg_end, mentions)
            has_named = any(not m.is_generic for m in seg_leads)
            implicit_parent = False
            if not has_named and not any(m.is_generic for m in seg_leads):
                seg_leads = named if n > 0 and named else inherited
                implicit_parent = True
            deadline = _pick_deadline([d for d in own_deadlines if seg_start <= d.span.start < seg_end])
            span = doc.span(seg_start, seg_end)
            closing = re.search(r"\s*\./\.?$", doc.slice(span))
            if closing:  # the closing mark "./." of the last item is not part of it
                span = doc.span(span.start, span.start + closing.start())
            ident = block.id if n == 0 else f"{block.id}{chr(ord('a') + n)}"
            text = " ".join(doc.slice(span).split())
            tasks.append(Task(ident, text, span, tuple(seg_leads), tuple(seg_support), deadline,
                              False, block.parent.id if block.parent else None,
                              None, 0.8 if implicit_parent else 0.9))
        # what the children inherit: the heading's organisation, else this item's doer
        passed = heading_org or (named if named else inherited)
        if not block.is_heading_like(doc.text) and not heading_org and not named:
            passed = inherited
        for child in block.children:
            if child.kind is None and not block.is_heading_like(doc.text):
                # a paragraph after a complete item: a closing word unless it sets a date or a doer
                dated = any(d.date for d in self.deadlines.find(doc, child.content_start, child.end, year))
                assigned = re.match(r"\s*(?:giao|[^,;.]{0,80}?\s(?:chu\s+tri|co\s+trach\s+nhiem))",
                                    doc.folded[child.content_start:child.end]) or (
                    any(m.span.start == child.content_start for m in mentions)
                    and _EXECUTES.search(doc.folded[child.content_start:child.end]))
                if not dated and not assigned:
                    continue  # "Ban Thường vụ … đề nghị các cấp Hội quan tâm thực hiện./."
                self._collect(doc, child, inherited, tasks, mentions, year)
            else:
                self._collect(doc, child, passed, tasks, mentions, year)

    def _heading_org(self, doc: DocText, block: Block, mentions: list[OrgMention]) -> tuple[OrgMention, ...]:
        """"1. Sở Khoa học và Công nghệ" over its duties: the heading is their doer."""
        own = doc.text[block.content_start:block.end].strip().rstrip(":.;")
        if not own or len(own) > 160 or not block.children:
            return ()
        # "1. Sở Nông nghiệp và Môi trường (cơ quan thường trực Ban Chỉ huy …)": the gloss in
        # brackets describes the unit; the body it names is no doer
        glosses = [g.span() for g in re.finditer(r"\([^()]*\)", doc.text[block.content_start:block.end])]
        own = re.sub(r"\s*\([^()]*\)", "", own)
        inside = [m for m in mentions if block.content_start <= m.span.start < block.end
                  and not any(a <= m.span.start - block.content_start < b for a, b in glosses)]
        covered = sum(m.span.end - m.span.start for m in inside)
        # "2. UBND huyện lãnh đạo, chỉ đạo các cơ quan chuyên môn và UBND các xã:": bodies joined
        # by a verb are a sentence whose subject leads, not a heading of units
        gaps = [doc.folded[a.span.end:b.span.start] for a, b in itertools.pairwise(inside)]
        if inside and covered >= 0.75 * len(own.replace(",", "").replace(" và ", "")) \
                and not any(self.lead_after.search(gap) for gap in gaps):
            return tuple(inside)
        named = [m for m in inside if not m.is_generic]
        if named and _DUTIES_OF.match(doc.folded[block.content_start:named[0].span.start]) \
                and not doc.text[named[-1].span.end:block.end].strip(" :.;"):
            return tuple(named)
        return ()

    def _segments(self, doc: DocText, start: int, end: int, exact: list[Deadline]) -> list[tuple[int, int]]:
        cuts = []
        for first, second in itertools.pairwise(exact):
            boundary = None
            for found in re.finditer(r"[.;](?=\s)", doc.text[first.span.end:second.span.start]):
                boundary = first.span.end + found.end()
                break
            if boundary is None:
                found = re.search(r"\s(?:và|va)\s", doc.text[first.span.end:second.span.start])
                boundary = first.span.end + found.end() if found else first.span.end
            cuts.append(boundary)
        bounds = [start, *cuts, end]
        return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]

    def _roles(self, doc: DocText, start: int, end: int, mentions: list[OrgMention]
               ) -> tuple[tuple[OrgMention, ...], tuple[OrgMention, ...]]:
        inside = [m for m in mentions if start <= m.span.start and m.span.end <= end]
        groups: list[list[OrgMention]] = []
        for m in inside:
            # "… của cơ quan, đơn vị, Trung tâm Tin học và Công báo tham mưu …": a named body
            # after a generic phrase starts its own group (the subject), it does not join it
            if groups and _SEPARATORS.match(doc.folded[groups[-1][-1].span.end:m.span.start]) \
                    and not (groups[-1][-1].is_generic and not m.is_generic):
                groups[-1].append(m)
            else:
                groups.append([m])
        leads: list[OrgMention] = []
        supports: list[OrgMention] = []
        folded = doc.folded
        clause_leads: dict[int, bool] = {}
        for group in groups:
            first, last = group[0], group[-1]
            clause_start = start
            for found in _BOUNDARY.finditer(doc.text, start, first.span.start):
                clause_start = found.end()
            before = folded[clause_start:first.span.start]
            after = folded[last.span.end:min(end, last.span.end + 40)]
            role = self._role(before, after)
            if before.count("(") > before.count(")"):
                role = None  # "(qua Phòng Quản lý doanh nghiệp)", "(các sở, ban, ngành; …)": a gloss, not a doer
            if role == "lead" and clause_leads.get(clause_start) and _DIRECTS.search(before) \
                    and not re.match(r"\s*,?\s*chu\s+tri", after):
                # "UBND huyện chỉ đạo các cơ quan chuyên môn …": the subject leads; but in "Đảng ủy
                # Quân sự tỉnh lãnh đạo Bộ Chỉ huy Quân sự tỉnh chủ trì …" the one directed presides too
                role = None
            if role == "lead":
                clause_leads[clause_start] = True
            if role == "lead":
                leads.extend(group)
            elif role == "support":
                supports.extend(group)
        return tuple(leads), tuple(supports)

    def _asked(self, doc: DocText, start: int, end: int, mentions: list[OrgMention]) -> tuple[OrgMention, ...]:
        """The bodies an intro asks to act: those after "đề nghị", "yêu cầu", "giao"."""
        asked = []
        for m in mentions:
            if start <= m.span.start < end and not m.is_generic:
                before = doc.folded[max(start, m.span.start - 40):m.span.start]
                if re.search(r"(?:de\s+nghi|yeu\s+cau|giao(?:\s+cho)?)\s*$", before) or (
                        asked and _SEPARATORS.match(doc.folded[asked[-1].span.end:m.span.start])):
                    asked.append(m)
        return tuple(asked)

    def _role(self, before: str, after: str) -> str | None:
        tail = before.rstrip(" ,")
        opening = self.lead_opening.match(before.lstrip(" -–+•*,\"“”'("))
        if opening and _CLAUSE_NOISE.match(before.lstrip(" -–+•*,\"“”'(")[opening.end():]):
            return "lead"  # "Kiến nghị Bộ Tài chính sớm ban hành …": the body asked is the doer
        if _CLAUSE_NOISE.match(before):
            if _SPEAKER_VERB.match(after):
                return None  # "Sở Nội vụ đề nghị các đơn vị …": the issuer speaking, the doers follow
            return "lead"
        last = None
        for pattern, role in ((self.support_before, "support"), (self.lead_before, "lead"),
                              (self.not_doer_before, None)):
            for found in pattern.finditer(tail):
                if found.end() >= len(tail) - 1 and (last is None or found.start() < last[0]
                                                      or (found.start() == last[0] and found.end() > last[1])):
                    last = (found.start(), found.end(), role)
        if last is not None:
            if last[2] is None and re.match(r"\s*chu\s+tri", after):
                return "lead"
            return last[2]
        if re.match(r"\s*(?:chu\s+tri|co\s+trach\s+nhiem|chiu\s+trach\s+nhiem)", after):
            return "lead"
        if before.rstrip().endswith(",") and self.lead_after.match(after.lstrip()):
            return "lead"  # "…, Trung tâm Tin học và Công báo tham mưu xây dựng …": the subject of its clause
        return None

    def _implicit(self, task: Task, recipients: tuple[OrgMention, ...], tasks: list[Task]) -> Task:
        if not recipients:
            return task
        if task.lead and all(m.is_generic for m in task.lead) and not task.support:
            # "Các đơn vị báo cáo …" in a letter: the units addressed in Kính gửi
            return Task(task.id, task.text, task.span, (*recipients, *task.lead), task.support, task.deadline,
                        True, task.parent_id, task.heading, 0.7)
        if task.lead:
            return task
        has_children = any(t.parent_id == task.id for t in tasks)
        if has_children:
            return task
        return Task(task.id, task.text, task.span, recipients, task.support, task.deadline, True,
                    task.parent_id, task.heading, 0.7)


def _unique_ids(tasks: list[Task]) -> list[Task]:
    """Ids address tasks (corrections, graph keys): a repeated one gets a suffix, in order."""
    seen: dict[str, int] = {}
    out = []
    for task in tasks:
        count = seen.get(task.id, 0)
        seen[task.id] = count + 1
        if count:
            task = Task(f"{task.id}~{count + 1}", task.text, task.span, task.lead, task.support, task.deadline,
                        task.implicit_lead, task.parent_id, task.heading, task.confidence)
        out.append(task)
    return out


def _exclude(block: Block) -> None:
    for child in block.children:
        child.excluded = True
        _exclude(child)


def _first_item(blocks: list[Block]) -> int:
    return next((b.start for b in blocks if b.kind), 1 << 30)


def _level(block: Block) -> int:
    return block.label.count(".") if block.kind == "multi" and block.label else 0


def _pick_deadline(deadlines: list[Deadline]) -> Deadline | None:
    exact = [d for d in deadlines if d.date]
    if exact:
        return exact[0]
    partial = [d for d in deadlines if d.period]
    if partial:
        return partial[0]
    return deadlines[0] if deadlines else None


__all__ = ["TaskParser", "fold_key"]
