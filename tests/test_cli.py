"""`chidao parse` end to end: the bundled corpus, worker parity, broken inputs, exit codes.

The corpus run goes through click's CliRunner (fast, in-process) and once through the
installed console script in a real subprocess, which is what a user runs.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from cli import chidao
from ingest.pipeline import PARSER_VERSION
from ingest.readers import SUPPORTED_SUFFIXES

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIRS = (REPO / "corpus" / "seeds", REPO / "corpus" / "sample")
SCHEMA_PATH = REPO / "docs" / "contract" / "parsed-document.schema.json"
DOCX_SAMPLE = REPO / "corpus" / "sample" / "a03_ubnd_kh_57_2025.docx"
SEED_TEXT = REPO / "corpus" / "seeds" / "001_bd32b1ea4bdd5c5a.txt"
OTHER_SEED_TEXT = REPO / "corpus" / "seeds" / "003_27fa050dce847be9.txt"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(chidao, [str(a) for a in args], catch_exceptions=False)


def corpus_sources() -> list[Path]:
    return sorted(p for d in CORPUS_DIRS for p in d.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)


def load_records(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def corpus_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("corpus_out")
    result = run("parse", *CORPUS_DIRS, "--out", out)
    assert result.exit_code == 0, result.stderr
    return load_records(out)


def test_parse_writes_one_record_per_source(corpus_records: dict[str, dict[str, Any]]) -> None:
    assert sorted(corpus_records) == sorted(f"{p.stem}.json" for p in corpus_sources())
    for name, record in corpus_records.items():
        assert Path(record["source"]["path"]).stem == name.removesuffix(".json")
        assert record["parser_version"] == PARSER_VERSION


def test_records_validate_against_schema(corpus_records: dict[str, dict[str, Any]]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    problems = [f"{name}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
                for name, record in corpus_records.items() for error in validator.iter_errors(record)]
    assert not problems, "\n".join(problems[:20])


def all_spans(record: dict[str, Any]) -> Iterator[tuple[str, list[int]]]:
    """Every span in the record, with where it sits, for the bounds check."""
    document = record["document"]
    for name, span in document["spans"].items():
        for one in (span if name == "recipients" else [span]):
            if one is not None:
                yield f"document.{name}", one
    for key in ("citations",):
        for i, citation in enumerate(record[key]):
            yield f"{key}[{i}]", citation["span"]
            for mention in citation["mentions"]:
                yield f"{key}[{i}].mentions", mention
    for task in record["tasks"]:
        yield f"task {task['id']}", task["span"]
        if task["deadline_span"] is not None:
            yield f"task {task['id']} deadline", task["deadline_span"]
        for role, mentions in task["mentions"].items():
            for mention in mentions:
                yield f"task {task['id']} {role}", mention["span"]
    for warning in record["warnings"]:
        if warning["span"] is not None:
            yield f"warning {warning['code']}", warning["span"]


def test_spans_lie_inside_the_text(corpus_records: dict[str, dict[str, Any]]) -> None:
    bad = [f"{name} {where}: {span} (text has {len(record['text'])} characters)"
           for name, record in corpus_records.items()
           for where, span in all_spans(record)
           if not 0 <= span[0] <= span[1] <= len(record["text"])]
    assert not bad, "\n".join(bad[:20])


def test_task_spans_slice_back_to_the_task_text(corpus_records: dict[str, dict[str, Any]]) -> None:
    bad = []
    for name, record in corpus_records.items():
        for task in record["tasks"]:
            start, end = task["span"]
            printed = record["text"][start:end]
            if " ".join(printed.split()) != task["text"]:
                bad.append(f"{name} task {task['id']}: {printed[:60]!r} != {task['text'][:60]!r}")
    assert not bad, "\n".join(bad[:20])


def test_citation_spans_contain_the_ref_number(corpus_records: dict[str, dict[str, Any]]) -> None:
    bad = []
    for name, record in corpus_records.items():
        for citation in record["citations"]:
            if citation["ref"] is None:
                continue  # a document named without a number: its span holds the title
            number = re.split(r"[-/]", citation["ref"], maxsplit=1)[0]
            for start, end in [citation["span"], *citation["mentions"]]:
                # White space dropped: OCR and hard wraps split "57-NQ/TW" as "5 7-NQ/TW".
                if number not in "".join(record["text"][start:end].split()):
                    bad.append(f"{name} {citation['ref']}: {record['text'][start:end]!r}")
    assert not bad, "\n".join(bad[:20])


def test_two_workers_give_the_same_records(tmp_path: Path,
                                           corpus_records: dict[str, dict[str, Any]]) -> None:
    result = run("parse", *CORPUS_DIRS, "--out", tmp_path, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert load_records(tmp_path) == corpus_records


def console_script() -> str:
    beside_python = Path(sys.executable).with_name("chidao")
    found = str(beside_python) if beside_python.exists() else shutil.which("chidao")
    if found is None:
        pytest.fail("the `chidao` console script is not installed: run `pip install -e .[dev]`")
    return found


@pytest.mark.slow
def test_installed_console_script_parses_the_seeds(tmp_path: Path) -> None:
    seeds = CORPUS_DIRS[0]
    done = subprocess.run([console_script(), "parse", str(seeds), "--out", str(tmp_path), "--json"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)  # --json: stdout holds the summary and nothing else
    count = len(list(seeds.glob("*.txt")))
    assert summary["parsed"] == count and summary["failed"] == 0
    assert len(load_records(tmp_path)) == count


@pytest.mark.slow
def test_installed_console_script_prints_both_versions() -> None:
    done = subprocess.run([console_script(), "--version"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0
    assert PARSER_VERSION in done.stdout and done.stdout.startswith("chidao ")


def minimal_pdf_without_text() -> bytes:
    """A valid one-page PDF with nothing on the page: what a scan without OCR looks like."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    noise = random.Random(20250625).randbytes(4096)
    (folder / "binary.txt").write_bytes(noise[:2048] + b"\x00" * 64 + noise[2048:])
    docx = DOCX_SAMPLE.read_bytes()
    (folder / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    (folder / "scanned.pdf").write_bytes(minimal_pdf_without_text())
    (folder / "utf16.txt").write_bytes(SEED_TEXT.read_text(encoding="utf-8").encode("utf-16"))
    (folder / "good.txt").write_bytes(OTHER_SEED_TEXT.read_bytes())
    (folder / "thumbnail.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a document")  # a scan's suffix: read, refused
    (folder / "notes.rtf").write_bytes(b"{\\rtf1 not read}")  # skipped: not a suffix chidao reads
    return folder


BAD_FILES = {
    "empty.txt": "empty file",
    "binary.txt": "binary file",
    "truncated.docx": "not a valid DOCX",
    "scanned.pdf": "no text layer",
    "thumbnail.jpg": "not a readable image",
}


def failure_lines(stderr: str) -> dict[str, str]:
    lines = [line for line in stderr.splitlines() if ": " in line and not line.startswith("note:")]
    return dict(line.split(": ", 1) for line in lines)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_broken_files_are_reported_and_the_rest_parsed(inbox: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run("parse", inbox, "--out", out, "--jobs", jobs, "--json")
    assert result.exit_code == 1
    failures = failure_lines(result.stderr)
    for name, reason in BAD_FILES.items():
        assert reason in failures.get(str(inbox / name), ""), result.stderr
    assert str(inbox / "notes.rtf") not in result.stderr
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json", "utf16.json"]
    summary = json.loads(result.stdout)
    assert summary["parsed"] == 2 and summary["failed"] == len(BAD_FILES)
    utf16 = json.loads((out / "utf16.json").read_text(encoding="utf-8"))
    assert utf16["source"]["encoding"] == "utf-16"
    # Same text, another encoding: the same facts as the UTF-8 seed.
    seed = run("parse", SEED_TEXT, "--out", tmp_path / "seed")
    assert seed.exit_code == 0
    reference = json.loads((tmp_path / "seed" / f"{SEED_TEXT.stem}.json").read_text(encoding="utf-8"))
    assert utf16["document"] == reference["document"] and utf16["tasks"] == reference["tasks"]


def test_an_unsupported_file_named_explicitly_is_reported(inbox: Path, tmp_path: Path) -> None:
    result = run("parse", inbox / "notes.rtf", inbox / "good.txt", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "unsupported file type '.rtf'" in failure_lines(result.stderr)[str(inbox / "notes.rtf")]
    assert [p.name for p in (tmp_path / "out").glob("*.json")] == ["good.json"]


def test_a_folder_without_documents_is_reported(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.rtf").write_bytes(b"{\\rtf1}")
    result = run("parse", tmp_path / "photos", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "no .txt" in failure_lines(result.stderr)[str(tmp_path / "photos")]


def test_sources_sharing_a_stem_get_distinct_records(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SEED_TEXT, tmp_path / folder / "letter.txt")
    shutil.copy(DOCX_SAMPLE, tmp_path / "b" / "letter.docx")
    result = run("parse", tmp_path / "a", tmp_path / "b", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    records = load_records(tmp_path / "out")
    sources = {name: record["source"]["path"] for name, record in records.items()}
    assert sources == {"letter.json": str(tmp_path / "a" / "letter.txt"),
                       "letter.docx.json": str(tmp_path / "b" / "letter.docx"),
                       "letter.txt.json": str(tmp_path / "b" / "letter.txt")}
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 2 and all("same stem" in note for note in notes), result.stderr


def test_max_size_skips_large_files(tmp_path: Path) -> None:
    result = run("parse", SEED_TEXT, "--out", tmp_path, "--max-size", "0.001")
    assert result.exit_code == 1
    assert "limit" in failure_lines(result.stderr)[str(SEED_TEXT)]
    assert not list(tmp_path.glob("*.json"))


def test_records_are_written_whole(tmp_path: Path) -> None:
    result = run("parse", SEED_TEXT, "--out", tmp_path)
    assert result.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == [f"{SEED_TEXT.stem}.json"]  # no temporary left
    text = (tmp_path / f"{SEED_TEXT.stem}.json").read_text(encoding="utf-8")
    # Vietnamese as printed, not \\u escapes (ensure_ascii=False), and indented.
    assert "\\u" not in text and any(ord(char) > 127 for char in text)
    assert text.startswith('{\n  "source": {') and text.endswith("}\n")


@pytest.mark.parametrize("args", [
    ["parse", "--jobs", "0", str(SEED_TEXT)],
    ["parse", "--no-such-option", str(SEED_TEXT)],
    ["parse"],
    ["parse", "/no/such/file.txt"],
    ["eval", str(SEED_TEXT)],
    ["eval", "--gold", str(REPO / "corpus" / "gold" / "seeds")],
], ids=["jobs-0", "unknown-option", "no-paths", "missing-path", "eval-no-gold", "eval-nothing-to-score"])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(chidao, args)
    assert result.exit_code == 2, result.output
    assert not list(tmp_path.iterdir())  # not even the default ./out


# Modules a parse or an ingest never needs, each slow to import (the Neo4j driver alone about a
# second, and it pulls in pandas when present): `chidao` imports them in the commands that use them.
_HEAVY_MODULES = ("neo4j", "networkx", "streamlit", "pandas")
_RUN_AND_LIST_MODULES = """
import atexit, sys
atexit.register(lambda: print("loaded:", ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr))
import cli
sys.argv = ["chidao", *sys.argv[1:]]
cli.main()
"""


def _heavy_modules_loaded(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    script = _RUN_AND_LIST_MODULES.format(heavy=_HEAVY_MODULES)
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                          timeout=300, check=False)
    loaded = next(line for line in done.stderr.splitlines() if line.startswith("loaded:"))
    return done, [m for m in loaded.removeprefix("loaded:").strip().split(",") if m]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["help", "parse", "ingest"])
def test_parse_and_ingest_do_not_import_the_stores_or_the_explorer(command: str, tmp_path: Path) -> None:
    args: list[str | Path] = {"help": ["--help"], "parse": ["parse", SEED_TEXT, "--out", tmp_path / "out", "-q"],
                              "ingest": ["ingest", SEED_TEXT, "--data", tmp_path / "data", "-q"]}[command]
    done, loaded = _heavy_modules_loaded(*args)
    assert done.returncode == 0, done.stderr
    assert loaded == [], f"`chidao {command}` imported {loaded}"


def test_sync_batch_default_is_the_stores() -> None:
    # cli_stores.py repeats the default so that `chidao` need not import the Neo4j driver at start-up.
    import cli_stores
    from graph.store_neo4j import DEFAULT_BATCH

    assert cli_stores.DEFAULT_BATCH == DEFAULT_BATCH
