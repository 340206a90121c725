"""The library: one SQLite file of parsed documents, failed files and curated corrections.

All of chidao's SQL lives here, parameterised. A document is one row keyed by its
resolved absolute path, with the sha256 of its bytes (unique: one current document per
content) and the parser version that produced its record (the contract's JSON, as
text). Corrections sit in their own table and never touch a record; the graph build
applies them (graph/corrections.py).

Writes go through `Library.transaction()`: one `BEGIN IMMEDIATE … COMMIT`, so a crash,
SIGKILL or Ctrl-C part-way leaves the previous state; WAL mode lets readers (the
explorer) go on reading meanwhile. Every committed change bumps `version()`, which the
explorer's caches key on.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ingest.errors import ChidaoError
from ingest.fold import fold_key

from .corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    effective_corrections,
    organization_merges,
    split_task_key,
    validate_correction,
    would_cycle,
)

FILENAME = "library.sqlite"
SCHEMA_VERSION = 1

# One list of statements per schema version; each runs once, in one transaction, and is
# written so that running it again changes nothing (IF NOT EXISTS).
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,          -- resolved absolute path of the source file
            sha256 TEXT NOT NULL UNIQUE,        -- of the bytes parsed; one current document per content
            parser_version TEXT NOT NULL,
            record TEXT NOT NULL,               -- ParsedDocument.to_json(), source.path = path
            ingested_at TEXT NOT NULL,          -- first ingest, ISO 8601 UTC
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS failures (
            path TEXT PRIMARY KEY,
            sha256 TEXT,                        -- null when the file could not be read at all
            parser_version TEXT NOT NULL,
            reason TEXT NOT NULL,
            failed_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused, so an undone id stays dead
            target TEXT NOT NULL CHECK (target IN ('document', 'task', 'organization', 'link')),
            key TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,                -- JSON
            note TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS corrections_by_key ON corrections (target, key)",
    ),
)


class LibraryError(ChidaoError):
    """The library file cannot be opened or used; the message names the file."""


def data_dir(explicit: Path | None, *, environ: Mapping[str, str] | None = None) -> Path:
    """Where the library lives: `--data DIR`, else $CHIDAO_DATA, else the XDG data home.

    The XDG default is `$XDG_DATA_HOME/chidao`, or `~/.local/share/chidao` when that is
    unset, empty or relative (the XDG spec says to ignore a relative one).
    """
    env = os.environ if environ is None else environ
    if explicit is not None:
        return Path(explicit).expanduser()
    if env.get("CHIDAO_DATA"):
        return Path(env["CHIDAO_DATA"]).expanduser()
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "chidao"
    return Path(env.get("HOME") or Path.home()) / ".local" / "share" / "chidao"


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document row without its record: what ingest compares a file against."""

    path: str
    sha256: str
    parser_version: str
    ingested_at: str
    updated_at: str


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Library:
    """An open library file. Use `Library.open(data_dir)`, preferably in a `with` block."""

    def __init__(self, connection: sqlite3.Connection, path: Path, clock: Callable[[], str]):
        self._db = connection
        self.path = path
        self._clock = clock

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = True, clock: Callable[[], str] = _utc_now) -> Library:
        """Open DATA_DIR/library.sqlite, creating the folder, file and schema as needed.

        With `create=False` a missing library is an error instead: the commands that
        only read say so rather than leave an empty library behind a mistyped --data.
        """
        path = Path(data_dir) / FILENAME
        if not create and not path.exists():
            raise LibraryError(f"{path}: no library here; `chidao ingest` some documents first, "
                               "or pass --data DIR (or set CHIDAO_DATA)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{path.parent}: cannot create the data folder: {exc.strerror or exc}") from exc
        try:
            # Autocommit: transactions are opened explicitly, so none is ever left half-open.
            connection = sqlite3.connect(path, isolation_level=None, timeout=30.0)
        except sqlite3.Error as exc:
            raise LibraryError(f"{path}: cannot open the library: {exc}") from exc
        library = cls(connection, path, clock)
        try:
            library._prepare()
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise LibraryError(f"{path}: not a usable chidao library ({exc}); "
                               "move it aside or pass another --data folder") from exc
        except BaseException:
            connection.close()
            raise
        return library

    def _prepare(self) -> None:
        db = self._db
        db.execute("PRAGMA journal_mode = WAL")
        # NORMAL is safe in WAL mode: a crash cannot corrupt the file or half-apply a
        # transaction; only a power cut may drop the last commit.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            current = int(self._meta("schema_version") or 0)
            if current > SCHEMA_VERSION:
                raise LibraryError(f"{self.path}: schema version {current} is newer than this chidao's "
                                   f"({SCHEMA_VERSION}); upgrade chidao")
            for statements in _MIGRATIONS[current:]:
                for statement in statements:
                    db.execute(statement)
            db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))
            db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('version', '0')")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def version(self) -> int:
        """A counter bumped by every committed change: a cache key for the explorer."""
        return int(self._meta("version") or 0)

    def schema_version(self) -> int:
        return int(self._meta("schema_version") or 0)

    def records(self) -> Iterator[dict[str, Any]]:
        """The current record of every document, as parsed (no corrections), by path."""
        # One statement, hence one read snapshot: a concurrent ingest cannot mix batches.
        for path, text in self._db.execute("SELECT path, record FROM documents ORDER BY path"):
            yield _load_record(path, text)

    def corrected_records(self) -> Iterator[dict[str, Any]]:
        """`records()` with every document and task correction applied."""
        by_path: dict[str, list[Correction]] = {}
        for correction in self.corrections():
            if correction.document_path is not None:
                by_path.setdefault(correction.document_path, []).append(correction)
        for record in self.records():
            yield apply_corrections(record, by_path.get(record["source"]["path"], []))

    def record(self, path: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT path, record FROM documents WHERE path = ?", (path,)).fetchone()
        return _load_record(*row) if row else None

    def documents(self) -> list[StoredDocument]:
        rows = self._db.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY path").fetchall()
        return [StoredDocument(*row) for row in rows]

    def document_at(self, path: str) -> StoredDocument | None:
        return _document_where(self._db, "path", path)

    def document_with_sha(self, sha256: str) -> StoredDocument | None:
        return _document_where(self._db, "sha256", sha256)

    def failures(self) -> list[dict[str, Any]]:
        """Files whose last attempt failed, with the reason and whether an earlier record is kept."""
        rows = self._db.execute(
            "SELECT f.path, f.sha256, f.parser_version, f.reason, f.failed_at, d.path IS NOT NULL "
            "FROM failures f LEFT JOIN documents d ON d.path = f.path ORDER BY f.path").fetchall()
        return [{"path": path, "sha256": sha, "parser_version": version, "reason": reason,
                 "failed_at": failed_at, "has_record": bool(kept)}
                for path, sha, version, reason, failed_at, kept in rows]

    def corrections(self, target: str | None = None) -> list[Correction]:
        """Every correction (of one target, if given), oldest first: later ones win."""
        sql = "SELECT id, target, key, field, value, note, created_at FROM corrections"
        rows = self._db.execute(sql + (" WHERE target = ? ORDER BY id" if target else " ORDER BY id"),
                                (target,) if target else ()).fetchall()
        return [_correction(row) for row in rows]

    def stats(self) -> dict[str, Any]:
        """Counts for `chidao stats`, as a flat dict the graph can add its own counts to.

        Organisations are the distinct lead and support names, folded, after task
        corrections and organisation merges: what the library now says, not the parser.
        """
        db = self._db
        documents, tasks = db.execute(
            "SELECT count(*), coalesce(sum(json_array_length(record, '$.tasks')), 0) FROM documents").fetchone()
        citations, named = db.execute(
            "SELECT coalesce(sum(json_type(c.value, '$.ref') = 'text'), 0), "
            "       coalesce(sum(json_type(c.value, '$.ref') IS NOT 'text'), 0) "
            "FROM documents d, json_each(d.record, '$.citations') c").fetchone()
        failed, failed_kept = db.execute(
            "SELECT count(*), coalesce(sum(d.path IS NOT NULL), 0) "
            "FROM failures f LEFT JOIN documents d ON d.path = f.path").fetchone()
        versions = dict(db.execute("SELECT parser_version, count(*) FROM documents "
                                   "GROUP BY parser_version ORDER BY parser_version"))
        corrections = self.corrections()
        return {"documents": documents, "failed": failed, "failed_with_earlier_record": failed_kept,
                "tasks": tasks, "citations": citations, "named_references": named,
                "organizations": len(self._organization_keys(corrections)),
                "corrections": len(corrections), "parser_versions": versions}

    def _organization_keys(self, corrections: Sequence[Correction]) -> set[str]:
        names: dict[tuple[str, str], list[str]] = {}
        for path, task_id, role, name in self._db.execute(
                "SELECT d.path, json_extract(t.value, '$.id'), r.key, n.value FROM documents d, "
                "json_each(d.record, '$.tasks') t, json_each(t.value) r, json_each(r.value) n "
                "WHERE r.key IN ('lead', 'support')"):
            names.setdefault((f"{path}#{task_id}", role), []).append(name)
        tasks = self._task_keys()
        for correction in effective_corrections(corrections):
            if correction.target == "task" and correction.field != "deadline" and correction.key in tasks:
                names[(correction.key, correction.field)] = list(correction.value)
        merges = organization_merges(corrections)
        return {fold_key(merges.get(fold_key(name), name)) for group in names.values() for name in group}

    @contextmanager
    def transaction(self) -> Iterator[LibraryWriter]:
        """One `BEGIN IMMEDIATE … COMMIT`; any exception (Ctrl-C included) rolls it all back."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # another writer held the lock past the timeout
            raise LibraryError(f"{self.path}: the library is busy ({exc}); another chidao is writing to it, "
                               "try again when it is done") from exc
        writer = LibraryWriter(self._db, self._clock())
        try:
            yield writer
            if writer.changed:
                self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:  # SQLite ends some failed transactions itself
                self._db.execute("ROLLBACK")
            raise

    def _task_keys(self) -> set[str]:
        return {f"{path}#{task_id}" for path, task_id in self._db.execute(
            "SELECT d.path, json_extract(t.value, '$.id') FROM documents d, json_each(d.record, '$.tasks') t")}

    def stale_corrections(self) -> set[int]:
        """Ids of document and task corrections whose document or task is not in the library."""
        tasks = self._task_keys()
        paths = {d.path for d in self.documents()}
        return {c.id for c in self.corrections()
                if (c.target == "document" and c.key not in paths) or (c.target == "task" and c.key not in tasks)}

    def add_correction(self, target: str, key: str, field: str, value: Any,
                       note: str | None = None) -> Correction:
        """Validate and store one correction; CorrectionError names what is wrong."""
        return self.add_corrections(target, key, {field: value}, note)[0]

    def add_corrections(self, target: str, key: str, changes: Mapping[str, Any],
                        note: str | None = None) -> list[Correction]:
        """Several fields of one document, task, organisation or link, in one transaction.

        Document paths may be given as typed (relative, with ~): they are matched to the
        stored path, which is what the correction keeps.
        """
        if not changes:
            raise CorrectionError(f"{key}: nothing to correct (give at least one field)")
        key = self._stored_key(target, key)
        cleaned = [validate_correction(target, key, field, value) for field, value in changes.items()]
        if target == "organization":
            existing = self.corrections("organization")
            for name, _, canonical in cleaned:
                if would_cycle(existing, name, canonical):
                    raise CorrectionError(f"'{name}' → '{canonical}': '{canonical}' already merges into "
                                          f"'{name}'; undo that merge first")
        note = " ".join((note or "").split()) or None
        with self.transaction() as writer:
            return [writer.insert_correction(target, k, field, value, note) for k, field, value in cleaned]

    def remove_correction(self, correction_id: int) -> Correction:
        with self.transaction() as writer:
            return writer.delete_correction(correction_id)

    def _stored_key(self, target: str, key: str) -> str:
        if target == "document":
            return self.resolve_document(key)
        if target != "task":
            return key
        path, task_id = split_task_key(key)
        stored = self.resolve_document(path, for_key=key)
        record = self.record(stored)
        assert record is not None
        ids = list(dict.fromkeys(str(task.get("id")) for task in record.get("tasks") or []))
        if task_id not in ids:
            listed = ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "") if ids else "none"
            raise CorrectionError(f"{key}: no task '{task_id}' in {stored} (its tasks: {listed})")
        return f"{stored}#{task_id}"

    def resolve_document(self, typed: str, *, for_key: str | None = None) -> str:
        """The stored path a user means: as typed, or resolved from the current folder."""
        if self.document_at(typed):
            return typed
        resolved = str(Path(typed).expanduser().resolve())
        if self.document_at(resolved):
            return resolved
        shown = for_key or typed
        failed = self._db.execute("SELECT reason FROM failures WHERE path IN (?, ?)", (typed, resolved)).fetchone()
        if failed:
            raise CorrectionError(f"{shown}: {resolved} is not in the library: it failed to parse ({failed[0]})")
        name = Path(typed).name
        near = [d.path for d in self.documents() if Path(d.path).name == name]
        hint = f"; did you mean {' or '.join(near[:3])}?" if near else "; `chidao ingest` it first"
        raise CorrectionError(f"{shown}: no document {resolved} in the library{hint}")


class LibraryWriter:
    """The writes of one open transaction (see `Library.transaction`)."""

    def __init__(self, db: sqlite3.Connection, now: str):
        self._db = db
        self.now = now
        self.changed = False

    def document_at(self, path: str) -> StoredDocument | None:
        return _document_where(self._db, "path", path)

    def document_with_sha(self, sha256: str) -> StoredDocument | None:
        return _document_where(self._db, "sha256", sha256)

    def put_document(self, path: str, record: dict[str, Any]) -> None:
        """Insert or replace the document at `path`; its sha256 must not be another path's."""
        record = {**record, "source": {**record["source"], "path": path}}
        self._db.execute(
            "INSERT INTO documents (path, sha256, parser_version, record, ingested_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, "
            "parser_version = excluded.parser_version, record = excluded.record, updated_at = excluded.updated_at",
            (path, record["source"]["sha256"], record["parser_version"],
             json.dumps(record, ensure_ascii=False, sort_keys=True), self.now, self.now))
        self.changed = True

    def move_document(self, old: str, new: str) -> None:
        """The document at `old` is now at `new`: path, record and corrections follow it.

        A document already at `new` (the file moved onto another) is replaced.
        """
        self._db.execute("DELETE FROM documents WHERE path = ?", (new,))
        self._db.execute("UPDATE documents SET path = ?, record = json_set(record, '$.source.path', ?), "
                         "updated_at = ? WHERE path = ?", (new, new, self.now, old))
        self._db.execute("UPDATE corrections SET key = ? WHERE target = 'document' AND key = ?", (new, old))
        # substr, not LIKE: a path may hold % or _.
        self._db.execute("UPDATE corrections SET key = ? || substr(key, ?) "
                         "WHERE target = 'task' AND substr(key, 1, ?) = ?",
                         (new, len(old) + 1, len(old) + 1, old + "#"))
        self._db.execute("DELETE FROM failures WHERE path = ?", (old,))
        self.changed = True

    def park_sha256(self, path: str) -> None:
        """Set a row's sha256 aside for the rest of the transaction (see `unpark_sha256`)."""
        self._db.execute(f"UPDATE documents SET sha256 = '{_PARKED}' || sha256 WHERE path = ?", (path,))

    def unpark_sha256(self) -> None:
        """Give parked rows their sha256 back, where no other row has taken it since.

        A row still parked afterwards holds an earlier record whose content another file
        now holds; its sha256 keeps the prefix, so it is no one's current content.
        """
        self._db.execute(
            f"UPDATE documents SET sha256 = substr(sha256, {len(_PARKED) + 1}) WHERE sha256 LIKE '{_PARKED}%' "
            f"AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = substr(documents.sha256, "
            f"{len(_PARKED) + 1}))")

    def record_failure(self, path: str, sha256: str | None, parser_version: str, reason: str) -> None:
        self._db.execute(
            "INSERT INTO failures (path, sha256, parser_version, reason, failed_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, parser_version = excluded.parser_version, "
            "reason = excluded.reason, failed_at = excluded.failed_at",
            (path, sha256, parser_version, reason, self.now))
        self.changed = True

    def clear_failure(self, path: str) -> None:
        if self._db.execute("DELETE FROM failures WHERE path = ?", (path,)).rowcount:
            self.changed = True

    def insert_correction(self, target: str, key: str, field: str, value: Any, note: str | None) -> Correction:
        stored = list(value) if isinstance(value, tuple) else value
        cursor = self._db.execute(
            "INSERT INTO corrections (target, key, field, value, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (target, key, field, json.dumps(stored, ensure_ascii=False), note, self.now))
        self.changed = True
        assert cursor.lastrowid is not None
        return Correction(cursor.lastrowid, target, key, field, value, note, self.now)

    def delete_correction(self, correction_id: int) -> Correction:
        row = self._db.execute("SELECT id, target, key, field, value, note, created_at FROM corrections "
                               "WHERE id = ?", (correction_id,)).fetchone()
        if row is None:
            raise CorrectionError(f"no correction #{correction_id} (`chidao corrections` lists them)")
        self._db.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))
        self.changed = True
        return _correction(row)


_PARKED = "parked:"  # a literal of this module, never user text
_DOCUMENT_COLUMNS = "path, sha256, parser_version, ingested_at, updated_at"


def _document_where(db: sqlite3.Connection, column: str, value: str) -> StoredDocument | None:
    # `column` is one of two literals from this module, never user text.
    assert column in ("path", "sha256")
    row = db.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE {column} = ?", (value,)).fetchone()
    return StoredDocument(*row) if row else None


def _load_record(path: str, text: str) -> dict[str, Any]:
    record = json.loads(text)
    record["source"]["path"] = path
    return record


def _correction(row: tuple[Any, ...]) -> Correction:
    correction_id, target, key, field, value, note, created_at = row
    decoded = json.loads(value)
    return Correction(correction_id, target, key, field,
                      tuple(decoded) if isinstance(decoded, list) else decoded, note, created_at)
