"""Many source files → records: in this process, or in a pool of worker processes.

`find_sources` turns the paths a user typed into the list of files to attempt;
`parse_batch` parses them and yields one `BatchItem` per file, in input order whatever
the number of workers, so output names and reports do not depend on `jobs`. A file that
cannot be read becomes an item with an error; the batch goes on.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UnreadableSource
from .pipeline import Parser, parse_file
from .readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES

# Chunks amortise the pickling round trip; small ones keep the bar moving and bound what
# one dead worker takes down with it (see _parse_in_pool).
_MAX_CHUNK = 16
# Chunks in flight per worker: enough that no worker waits on the parent, few enough that
# finished records do not pile up in memory while the parent writes them out.
_CHUNKS_IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One source file's outcome: its record (ParsedDocument.to_json()) or why it failed."""

    path: Path
    record: dict[str, Any] | None
    error: str | None  # the reason alone; the caller prints "path: reason"

    @property
    def is_parsed(self) -> bool:
        return self.record is not None


@dataclass(slots=True)
class BatchTally:
    """What a batch produced, for the closing summary; filled as items stream past.

    Mutable, unlike the records: it is a running count owned by one loop, never shared.
    """

    parsed: int = 0
    failures: list[tuple[Path, str]] = field(default_factory=list)
    tasks: int = 0
    citations: int = 0
    named_references: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def add_record(self, record: dict[str, Any]) -> None:
        self.parsed += 1
        self.tasks += len(record.get("tasks") or [])
        citations = record.get("citations") or []
        self.citations += sum(1 for c in citations if c.get("ref"))
        self.named_references += sum(1 for c in citations if not c.get("ref"))
        self.kinds[(record.get("document") or {}).get("kind") or "unknown"] += 1

    def add_failure(self, path: Path, reason: str) -> None:
        self.failures.append((path, reason))

    def to_json(self) -> dict[str, Any]:
        return {"parsed": self.parsed, "failed": len(self.failures),
                "failures": [{"path": str(path), "reason": reason} for path, reason in self.failures],
                "tasks": self.tasks, "citations": self.citations,
                "named_references": self.named_references,
                "kinds": dict(self.kinds.most_common())}


@dataclass(frozen=True, slots=True)
class EmptyFolder:
    """A folder given on the command line that holds no file the readers take."""

    path: Path

    @property
    def reason(self) -> str:
        return f"no {', '.join(SUPPORTED_SUFFIXES)} files in this folder"


def find_sources(paths: Iterable[Path]) -> tuple[list[Path], list[EmptyFolder]]:
    """The files to attempt, in the order given, each once.

    A file named explicitly is always attempted, whatever its suffix, so that a typo'd
    or unsupported file is reported rather than silently passed over. Inside folders only
    supported suffixes are taken: a folder of documents also holds scans' thumbnails,
    spreadsheets and the like, and reporting each of those would bury the real failures.
    """
    found: list[Path] = []
    empty: list[EmptyFolder] = []
    seen: set[Path] = set()
    for path in paths:
        candidates = _walk(path) if path.is_dir() else [path]
        if path.is_dir() and not candidates:
            empty.append(EmptyFolder(path))
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:  # a folder and a file inside it, or overlapping folders
                seen.add(key)
                found.append(candidate)
    return found, empty


def _walk(folder: Path) -> list[Path]:
    files: list[Path] = []
    # Sorted and without following links to folders, so a link loop cannot recurse and
    # the order (hence the output names) is the same on every machine.
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in sorted(names):
            path = Path(root, name)
            if not _is_hidden(name) and path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
                files.append(path)
    return files


def _is_hidden(name: str) -> bool:
    # "~$" starts the owner file Word keeps beside an open document: 162 bytes, no text.
    return name.startswith((".", "~$"))


def parse_batch(
    paths: Sequence[Path],
    *,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[BatchItem], None] | None = None,
    parser: Parser | None = None,
) -> Iterator[BatchItem]:
    """Parse each path; yield its BatchItem in input order, calling `progress` on each.

    `jobs` > 1 parses in that many worker processes, each with its own Parser (built
    here and inherited where workers are forked, else built once by each worker); records
    come back to this process, which does all the writing. `parser` lets a caller that
    already built one reuse it.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1 or len(paths) <= 1:
        items: Iterator[BatchItem] = _parse_in_process(paths, max_bytes, parser or Parser.build())
    else:
        items = _parse_in_pool(paths, jobs, max_bytes, parser)
    for item in items:
        if progress is not None:
            progress(item)
        yield item


def parse_one(path: Path, parser: Parser, max_bytes: int) -> BatchItem:
    try:
        record = parse_file(path, parser, max_bytes=max_bytes).to_json()
    except UnreadableSource as exc:
        return BatchItem(path, None, exc.reason)
    except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not end a batch of thousands
        return BatchItem(path, None, f"the parser failed ({type(exc).__name__}: {exc}); please report it")
    return BatchItem(path, record, None)


def _parse_in_process(paths: Sequence[Path], max_bytes: int, parser: Parser) -> Iterator[BatchItem]:
    for path in paths:
        yield parse_one(path, parser, max_bytes)


# The worker's own Parser, set once by the pool's initializer: the only way to hand each
# worker process a built object without pickling it into every task.
_worker_parser: Parser | None = None


def _init_worker() -> None:
    global _worker_parser
    _worker_parser = Parser.build()


def _parse_chunk(paths: list[Path], max_bytes: int) -> list[BatchItem]:
    if _worker_parser is None:  # a pool made without _init_worker
        _init_worker()
    assert _worker_parser is not None
    return [parse_one(path, _worker_parser, max_bytes) for path in paths]


def _chunks(paths: Sequence[Path], jobs: int) -> list[list[Path]]:
    # About eight chunks per worker, so the last ones finish close together.
    size = max(1, min(_MAX_CHUNK, len(paths) // (jobs * 8)))
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def _parse_in_pool(paths: Sequence[Path], jobs: int, max_bytes: int,
                   parser: Parser | None = None) -> Iterator[BatchItem]:
    """Submit chunks a few at a time and yield their items in order.

    A worker that dies (out of memory, a crash in a C extension) breaks the whole pool:
    every chunk in flight fails with BrokenProcessPool. The chunk at the head is then
    reported as failed, the others go to a fresh pool, and the batch goes on. Each crash
    costs one chunk, so a file that always kills its worker cannot loop forever.
    """
    chunks = deque(_chunks(paths, jobs))
    window = jobs * _CHUNKS_IN_FLIGHT_PER_WORKER
    pool = _new_pool(jobs, parser)
    in_flight: deque[tuple[list[Path], Future[list[BatchItem]]]] = deque()
    try:
        while chunks or in_flight:
            while chunks and len(in_flight) < window:
                chunk = chunks.popleft()
                in_flight.append((chunk, _submit(pool, chunk, max_bytes)))
            chunk, future = in_flight.popleft()
            try:
                items = future.result()
            except BrokenProcessPool as exc:
                reason = f"a worker process died while this file was being parsed ({exc})"
                items = [BatchItem(path, None, reason) for path in chunk]
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _new_pool(jobs, parser)
                in_flight = deque((c, f if _has_result(f) else _submit(pool, c, max_bytes))
                                  for c, f in in_flight)
            yield from items
    finally:
        # Also reached when the caller stops iterating early (Ctrl-C, an error while writing).
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, chunk: list[Path], max_bytes: int) -> Future[list[BatchItem]]:
    # A pool can break between two submissions; the failure then waits in the future, to
    # be met in order at the head like any other, instead of escaping from here.
    try:
        return pool.submit(_parse_chunk, chunk, max_bytes)
    except BrokenProcessPool as exc:
        failed: Future[list[BatchItem]] = Future()
        failed.set_exception(exc)
        return failed


def _has_result(future: Future[list[BatchItem]]) -> bool:
    # Chunks that finished before the crash keep their results; only the others rerun.
    return future.done() and not future.cancelled() and future.exception() is None


def _new_pool(jobs: int, parser: Parser | None = None) -> ProcessPoolExecutor:
    context = multiprocessing.get_context()
    if context.get_start_method() != "fork":
        return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker)
    # A forked worker starts with a copy of this process: a parser built here once serves
    # every worker, instead of each loading and validating the vocabularies itself (a third
    # of a second apiece, on cores that should be parsing).
    global _worker_parser
    _worker_parser = parser or _worker_parser or Parser.build()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)
