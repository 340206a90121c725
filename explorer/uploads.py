"""Uploaded files → the library, with every bad file turned away before anything is written.

An upload is checked whole first (suffix, size, and the reader itself: a binary .txt, a
broken .docx, a PDF without a text layer are refused with the reader's reason), so a bad
file leaves no failure row, no file on disk and no new library version. Accepted files
are kept in DATA_DIR/uploads/ under their own name: the library knows a document by its
path, so uploading a file of the same name again updates that document, and its curated
corrections, keyed by that path, are applied again.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.ingestion import IngestReport, commit_ingest, parse_planned, plan_ingest
from graph.library import Library
from ingest.batch import BatchItem
from ingest.errors import UnreadableSource
from ingest.readers import read_source

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
SUFFIXES = (".txt", ".docx", ".pdf")
UPLOADS_DIR = "uploads"


@dataclass(frozen=True, slots=True)
class Rejection:
    name: str
    reason: str  # an `ingest.` label key: too_big, bad_suffix, empty, binary, not_docx, not_pdf
    detail: str  # the reader's own words, or the size in MB


def uploads_dir(data_dir: Path) -> Path:
    return Path(data_dir) / UPLOADS_DIR


def safe_name(name: str) -> str:
    """The file name alone, NFC, without path parts or characters a file system refuses."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name).strip()
    base = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", base).lstrip(".")
    return base or "upload.txt"


def check_upload(name: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> Rejection | None:
    """None when the file can be ingested, else why not. Runs the real reader on a copy."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return Rejection(name, "bad_suffix", suffix or "")
    if len(data) > max_bytes:
        return Rejection(name, "too_big", f"{len(data) / 1024 / 1024:.1f}")
    if not data.strip():
        return Rejection(name, "empty", "")
    with tempfile.TemporaryDirectory(prefix="chidao-upload-") as folder:
        probe = Path(folder) / f"probe{suffix}"
        probe.write_bytes(data)
        try:
            read_source(probe, max_bytes=max_bytes)
        except UnreadableSource as exc:
            return Rejection(name, _reason(suffix, str(exc)), _detail(str(exc), probe))
    return None


def _reason(suffix: str, message: str) -> str:
    if suffix == ".docx":
        return "not_docx"
    if suffix == ".pdf":
        return "not_pdf"
    return "binary" if "binary" in message else "empty" if "empty" in message else "binary"


def _detail(message: str, probe: Path) -> str:
    return message.replace(f"{probe}: ", "").replace(str(probe), "")


def save_uploads(data_dir: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write accepted files to DATA_DIR/uploads/ atomically (a reader never sees half a file)."""
    folder = uploads_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files:
        target = folder / safe_name(name)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
        paths.append(target)
    return paths


def uploaded_files(data_dir: Path) -> list[Path]:
    folder = uploads_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


def ingest_uploads(
    library: Library, paths: Sequence[Path], progress: Callable[[int, int, Path], None] | None = None
) -> IngestReport:
    """Ingest the saved files in one batch and one transaction, as `chidao ingest` does.

    `progress(done, total, path)` is called as each file is parsed (unchanged files are
    not parsed and count as done at once).
    """
    plan = plan_ingest(library, [Path(p) for p in paths])
    total = len(plan.to_parse)
    done = 0

    def step(item: BatchItem) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, Path(item.path))

    items = parse_planned(plan, progress=step)
    return commit_ingest(library, plan, items)
