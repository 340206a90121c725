"""Source files → the library: parse what is new or changed, then write the batch at once.

Three steps, each callable alone so the CLI can size its progress bar between them:

1. `plan_ingest` hashes every file and compares it with the library: a file whose path,
   sha256 and parser version all match is unchanged and is not parsed again; a file whose
   content is in the library under a path that no longer exists was moved.
2. `parse_planned` parses the rest with `ingest.batch.parse_batch`, in worker processes
   when asked. Nothing is written yet.
3. `commit_ingest` writes every row in ONE transaction, so a crash, SIGKILL or Ctrl-C
   before the COMMIT leaves the library exactly as it was. Decisions are checked again
   inside the transaction, against the library as it is then.

A document ingested before that now fails keeps its earlier record; the failure is
recorded beside it and reported.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ingest.pipeline
from ingest.batch import BatchItem, parse_batch
from ingest.pipeline import Parser, sha256_of
from ingest.readers import DEFAULT_MAX_BYTES

from .library import Library, LibraryWriter

# What happened to each file; "duplicate" is a second copy of content already stored
# under another existing path (sha256 is unique per current document).
STATUSES = ("added", "updated", "unchanged", "duplicate", "failed")


@dataclass(frozen=True, slots=True)
class PlannedFile:
    given: Path  # as the user named it, for messages
    path: str  # resolved absolute path: the document's identity in the library
    sha256: str | None  # None when the file could not be read to hash it (parsing will say why)
    action: str  # "parse", "unchanged", "move" (path only) or "duplicate"
    moved_from: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class IngestPlan:
    files: tuple[PlannedFile, ...]
    parser_version: str

    @property
    def to_parse(self) -> list[PlannedFile]:
        return [f for f in self.files if f.action == "parse"]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    given: Path
    path: str
    status: str  # one of STATUSES
    reason: str | None = None  # why it failed, or which stored file it duplicates
    moved_from: str | None = None
    kept_earlier: bool = False  # failed, but the record of an earlier version stays

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "given": str(self.given), "status": self.status, "reason": self.reason,
                "moved_from": self.moved_from, "kept_earlier": self.kept_earlier}


@dataclass(frozen=True, slots=True)
class IngestReport:
    outcomes: tuple[FileOutcome, ...]
    library_version: int

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(outcome.status for outcome in self.outcomes)
        return {status: counted[status] for status in STATUSES}

    @property
    def failures(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def moved(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.moved_from]

    def to_json(self) -> dict[str, Any]:
        return {**self.counts, "moved": len(self.moved), "library_version": self.library_version,
                "failures": [{"path": o.path, "reason": o.reason, "kept_earlier": o.kept_earlier}
                             for o in self.failures],
                "files": [outcome.to_json() for outcome in self.outcomes]}


def plan_ingest(library: Library, sources: Sequence[Path], parser_version: str | None = None) -> IngestPlan:
    """Hash each source and decide what to do with it; reads the library, writes nothing."""
    version = parser_version or ingest.pipeline.PARSER_VERSION
    planned: list[PlannedFile] = []
    claimed: dict[str, str] = {}  # sha256 → the path in this batch that takes it
    changing = set()  # stored paths in this batch whose content changed: their old sha256 frees up
    hashed = [(given, str(given.resolve()), _hash(given)) for given in sources]
    for _, path, sha in hashed:
        stored = library.document_at(path)
        if stored and sha and stored.sha256 != sha:
            changing.add(stored.sha256)
        elif stored and sha:
            claimed[sha] = path  # a file that kept its content keeps it, whatever comes first
    for given, path, sha in hashed:
        planned.append(_plan_one(library, given, path, sha, version, claimed, changing))
    return IngestPlan(tuple(planned), version)


def _plan_one(library: Library, given: Path, path: str, sha: str | None, version: str,
              claimed: dict[str, str], changing: set[str]) -> PlannedFile:
    if sha is None:
        return PlannedFile(given, path, None, "parse")
    owner = claimed.get(sha)
    if owner is not None and owner != path:
        return PlannedFile(given, path, sha, "duplicate", duplicate_of=owner)
    stored = library.document_at(path)
    if stored and stored.sha256 == sha:
        return PlannedFile(given, path, sha, "unchanged" if stored.parser_version == version else "parse")
    other = library.document_with_sha(sha)
    if other is not None and sha not in changing and Path(other.path).exists():
        return PlannedFile(given, path, sha, "duplicate", duplicate_of=other.path)
    claimed[sha] = path
    if other is None or sha in changing:
        return PlannedFile(given, path, sha, "parse")
    action = "move" if other.parser_version == version else "parse"
    return PlannedFile(given, path, sha, action, moved_from=other.path)


def _hash(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None  # the reader meets the same error and reports it with its reason


def parse_planned(plan: IngestPlan, *, jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES,
                  progress: Callable[[BatchItem], None] | None = None,
                  parser: Parser | None = None) -> dict[str, BatchItem]:
    """Parse the files the plan marks for parsing; stored path → item. Writes nothing."""
    paths = [Path(f.path) for f in plan.to_parse]
    if not paths:
        return {}  # a re-ingest of unchanged files builds no parser (~0.3 s) and starts no workers
    return {str(item.path): item for item in parse_batch(paths, jobs=jobs, max_bytes=max_bytes,
                                                         progress=progress, parser=parser)}


def commit_ingest(library: Library, plan: IngestPlan, items: dict[str, BatchItem], *,
                  on_row: Callable[[], None] | None = None) -> IngestReport:
    """Write the batch in one transaction and say what happened to each file.

    Files whose stored content changes are written before new files, so a new file may
    take the content another one just gave up. `on_row` is called after each file is
    written (the tests slow a batch down with it to kill it part-way).
    """
    stored = {f.path: library.document_at(f.path) for f in plan.files}
    rewriting = {f.path for f in plan.files
                 if f.action == "parse" and stored[f.path] and stored[f.path].sha256 != f.sha256}
    order = sorted(range(len(plan.files)),
                   key=lambda i: 0 if plan.files[i].action != "parse" else 1 if stored[plan.files[i].path] else 2)
    outcomes: dict[int, FileOutcome] = {}
    with library.transaction() as writer:
        for index in order:
            planned = plan.files[index]
            item = items.get(planned.path)
            outcomes[index] = _commit_one(writer, planned, item, plan.parser_version, rewriting)
            if on_row is not None:
                on_row()
        writer.unpark_sha256()
    return IngestReport(tuple(outcomes[i] for i in range(len(plan.files))), library.version())


def _commit_one(writer: LibraryWriter, planned: PlannedFile, item: BatchItem | None,
                parser_version: str, rewriting: set[str]) -> FileOutcome:
    given, path = planned.given, planned.path
    if planned.action == "unchanged":
        writer.clear_failure(path)  # it failed once, then got its old content back
        return FileOutcome(given, path, "unchanged")
    if planned.action == "duplicate":
        return FileOutcome(given, path, "duplicate", f"same content as {planned.duplicate_of}")
    if planned.action == "move":
        assert planned.moved_from is not None
        if writer.document_at(planned.moved_from) is None:  # another ingest took it meanwhile
            return FileOutcome(given, path, "failed", "its record moved while this batch ran; ingest it again")
        writer.move_document(planned.moved_from, path)
        writer.clear_failure(path)
        return FileOutcome(given, path, "updated", moved_from=planned.moved_from)
    assert item is not None, f"{path} was planned for parsing but not parsed"
    if item.record is None:
        reason = item.error or "unknown error"
        kept = writer.document_at(path) is not None or (
            planned.moved_from is not None and writer.document_at(planned.moved_from) is not None)
        writer.record_failure(path, planned.sha256, parser_version, reason)
        return FileOutcome(given, path, "failed", reason, kept_earlier=kept)
    return _store_record(writer, planned, item.record, rewriting)


def _store_record(writer: LibraryWriter, planned: PlannedFile, record: dict[str, Any],
                  rewriting: set[str]) -> FileOutcome:
    given, path = planned.given, planned.path
    sha = record["source"]["sha256"]  # of the bytes parsed, which may differ from what was hashed
    moved_from = None
    other = writer.document_with_sha(sha)
    if other is not None and other.path != path:
        if other.path in rewriting:
            # Two files swapped contents: the other row gets its new content later in this
            # batch; until then its old sha256 is set aside so this row can take it.
            writer.park_sha256(other.path)
        elif Path(other.path).exists():
            return FileOutcome(given, path, "duplicate", f"same content as {other.path}")
        else:
            writer.move_document(other.path, path)
            moved_from = other.path
    stored = writer.document_at(path)
    if moved_from is None and stored and stored.sha256 == sha and stored.parser_version == record["parser_version"]:
        writer.clear_failure(path)
        return FileOutcome(given, path, "unchanged")
    writer.put_document(path, record)
    writer.clear_failure(path)
    return FileOutcome(given, path, "updated" if stored else "added", moved_from=moved_from)


def ingest_files(library: Library, sources: Sequence[Path], *, jobs: int = 1,
                 max_bytes: int = DEFAULT_MAX_BYTES, parser: Parser | None = None,
                 parser_version: str | None = None) -> IngestReport:
    """Plan, parse and commit in one call (what the tests and the explorer use)."""
    plan = plan_ingest(library, sources, parser_version)
    items = parse_planned(plan, jobs=jobs, max_bytes=max_bytes, parser=parser)
    return commit_ingest(library, plan, items)
