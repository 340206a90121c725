"""graph/ingestion.py and `chidao ingest`: only new and changed files are parsed, a batch is
written in one transaction, and an interrupted batch (Ctrl-C, SIGKILL) changes nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ingest.pipeline
from cli import chidao
from graph.ingestion import commit_ingest, ingest_files, parse_planned, plan_ingest
from graph.library import FILENAME, Library
from ingest.batch import find_sources, parse_batch

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "corpus" / "seeds"
SAMPLE = REPO / "corpus" / "sample"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(chidao, [str(a) for a in args], catch_exceptions=False)


def dump(data: Path) -> list[str]:
    """The library's whole logical content, as SQL text: equal dumps, equal libraries."""
    db = sqlite3.connect(data / FILENAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return list(db.iterdump())
    finally:
        db.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the seeds and a few sample documents, to edit, move and break."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder / "seeds", ignore=shutil.ignore_patterns("*.yaml", "*.json", "*.md"))
    (folder / "sample").mkdir()
    for name in ("a05_snv_cv_boi_duong_ky_nang_so.txt", "b07_snnmt_du_lieu_dat_dai.txt",
                 "a03_ubnd_kh_57_2025.docx"):
        shutil.copy(SAMPLE / name, folder / "sample" / name)
    return folder


def sources_in(folder: Path) -> list[Path]:
    return find_sources([folder])[0]


def test_the_sample_corpus_is_added_then_unchanged(fresh_library: Library) -> None:
    sources, _ = find_sources([SEEDS, SAMPLE])
    first = ingest_files(fresh_library, sources)
    assert first.counts == {"added": len(sources), "updated": 0, "unchanged": 0, "duplicate": 0, "failed": 0}
    assert fresh_library.stats()["documents"] == len(sources)
    version = fresh_library.version()
    again = plan_ingest(fresh_library, sources)
    assert again.to_parse == []  # nothing is parsed a second time
    second = commit_ingest(fresh_library, again, {})
    assert second.counts["unchanged"] == len(sources)
    assert fresh_library.version() == version  # nothing committed, caches stay valid


def test_changed_content_is_updated(fresh_library: Library, corpus: Path) -> None:
    ingest_files(fresh_library, sources_in(corpus))
    target = corpus / "sample" / "b07_snnmt_du_lieu_dat_dai.txt"
    old = fresh_library.document_at(str(target.resolve()))
    target.write_text(target.read_text(encoding="utf-8") + "\nNơi nhận:\n- Lưu: VT.\n", encoding="utf-8")
    plan = plan_ingest(fresh_library, sources_in(corpus))
    assert [Path(f.path).name for f in plan.to_parse] == [target.name]
    report = commit_ingest(fresh_library, plan, parse_planned(plan))
    assert report.counts["updated"] == 1 and report.counts["unchanged"] == len(plan.files) - 1
    new = fresh_library.document_at(str(target.resolve()))
    assert old and new and new.sha256 != old.sha256 and new.ingested_at == old.ingested_at


def test_a_new_parser_version_parses_everything_again(fresh_library: Library, corpus: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_in(corpus)
    ingest_files(fresh_library, sources)
    monkeypatch.setattr(ingest.pipeline, "PARSER_VERSION", "99.0.0-test")
    report = ingest_files(fresh_library, sources)
    assert report.counts["updated"] == len(sources)
    assert {r["parser_version"] for r in fresh_library.records()} == {"99.0.0-test"}
    assert fresh_library.stats()["parser_versions"] == {"99.0.0-test": len(sources)}


def test_a_bad_file_is_reported_and_the_rest_ingested(tmp_path: Path, corpus: Path) -> None:
    (corpus / "sample" / "empty.txt").write_bytes(b"")
    (corpus / "sample" / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    result = run("ingest", corpus, "--data", tmp_path / "data")
    assert result.exit_code == 1
    assert "empty.txt: " in result.stderr and "broken.docx: " in result.stderr
    assert "2 failed" in result.stdout
    with Library.open(tmp_path / "data") as library:
        assert library.stats()["documents"] == len(sources_in(corpus)) - 2
        assert {Path(f["path"]).name for f in library.failures()} == {"empty.txt", "broken.docx"}


def test_a_document_that_now_fails_keeps_its_earlier_record(fresh_library: Library, corpus: Path) -> None:
    ingest_files(fresh_library, sources_in(corpus))
    target = corpus / "seeds" / "001_bd32b1ea4bdd5c5a.txt"
    before = fresh_library.record(str(target.resolve()))
    target.write_bytes(b"   \n")
    report = ingest_files(fresh_library, sources_in(corpus))
    (failure,) = report.failures
    assert failure.kept_earlier and failure.reason  # the reader says why (an empty file)
    assert fresh_library.record(str(target.resolve())) == before
    assert fresh_library.failures()[0]["has_record"]
    shutil.copy(SEEDS / target.name, target)  # fixed: the failure goes away
    assert ingest_files(fresh_library, sources_in(corpus)).counts["unchanged"] == len(sources_in(corpus))
    assert fresh_library.failures() == []


def test_a_moved_file_keeps_its_record_and_corrections(fresh_library: Library, corpus: Path) -> None:
    ingest_files(fresh_library, sources_in(corpus))
    old = corpus / "sample" / "b07_snnmt_du_lieu_dat_dai.txt"
    fresh_library.add_correction("task", f"{old.resolve()}#2", "lead", ["Sở Tư pháp"])
    new = corpus / "moved" / "cv_3145.txt"
    new.parent.mkdir()
    old.rename(new)
    plan = plan_ingest(fresh_library, sources_in(corpus))
    assert plan.to_parse == []  # same content, same parser: the record just changes path
    report = commit_ingest(fresh_library, plan, {})
    (moved,) = report.moved
    assert moved.moved_from == str(old.resolve()) and moved.status == "updated"
    assert fresh_library.document_at(str(old.resolve())) is None
    assert fresh_library.record(str(new.resolve()))["source"]["path"] == str(new.resolve())
    assert [c.key for c in fresh_library.corrections()] == [f"{new.resolve()}#2"]
    assert fresh_library.stats()["documents"] == len(sources_in(corpus))


def test_a_copy_is_not_stored_twice(fresh_library: Library, corpus: Path) -> None:
    ingest_files(fresh_library, sources_in(corpus))
    original = corpus / "seeds" / "004_9393e3e2ef94a598.txt"
    shutil.copy(original, corpus / "sample" / "copy_of_004.txt")
    shutil.copy(original, corpus / "sample" / "copy_of_copy.txt")
    report = ingest_files(fresh_library, sources_in(corpus))
    duplicates = {Path(o.path).name: o.reason for o in report.outcomes if o.status == "duplicate"}
    assert duplicates == {name: f"same content as {original.resolve()}"
                          for name in ("copy_of_004.txt", "copy_of_copy.txt")}
    assert report.failures == [] and report.counts["added"] == 0


def test_copies_in_one_batch_are_stored_once(fresh_library: Library, corpus: Path) -> None:
    first = corpus / "sample" / "a05_snv_cv_boi_duong_ky_nang_so.txt"
    shutil.copy(first, corpus / "sample" / "z_copy.txt")
    report = ingest_files(fresh_library, sources_in(corpus))
    (duplicate,) = [o for o in report.outcomes if o.status == "duplicate"]
    assert Path(duplicate.path).name == "z_copy.txt" and duplicate.reason == f"same content as {first.resolve()}"


def test_two_files_that_swap_contents_are_both_updated(fresh_library: Library, corpus: Path) -> None:
    a, b = corpus / "seeds" / "001_bd32b1ea4bdd5c5a.txt", corpus / "seeds" / "003_27fa050dce847be9.txt"
    ingest_files(fresh_library, sources_in(corpus))
    sha_a, sha_b = (fresh_library.document_at(str(p.resolve())).sha256 for p in (a, b))
    a_text, b_text = a.read_bytes(), b.read_bytes()
    a.write_bytes(b_text)
    b.write_bytes(a_text)
    report = ingest_files(fresh_library, sources_in(corpus))
    assert report.counts["updated"] == 2 and report.counts["duplicate"] == 0
    assert fresh_library.document_at(str(a.resolve())).sha256 == sha_b
    assert fresh_library.document_at(str(b.resolve())).sha256 == sha_a


def test_workers_store_the_same_records(tmp_path: Path, corpus: Path) -> None:
    with Library.open(tmp_path / "one") as one, Library.open(tmp_path / "two") as two:
        ingest_files(one, sources_in(corpus), jobs=1)
        ingest_files(two, sources_in(corpus), jobs=2)
        assert list(one.records()) == list(two.records())


def test_records_are_those_the_parser_gives(fresh_library: Library, corpus: Path) -> None:
    sources = [p.resolve() for p in sources_in(corpus)]
    ingest_files(fresh_library, sources)
    expected = {str(item.path): item.record for item in parse_batch(sources)}
    assert {r["source"]["path"]: r for r in fresh_library.records()} == expected


def test_ctrl_c_while_writing_leaves_the_library_as_it_was(tmp_path: Path, corpus: Path) -> None:
    data = tmp_path / "data"
    with Library.open(data) as library:
        ingest_files(library, sources_in(corpus / "seeds"))
        before = dump(data)
        plan = plan_ingest(library, sources_in(corpus))
        items = parse_planned(plan)
        written = []

        def interrupt_after_two() -> None:
            written.append(1)
            if len(written) == 2:
                raise KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            commit_ingest(library, plan, items, on_row=interrupt_after_two)
    assert dump(data) == before


def test_ingest_command_json_summary(tmp_path: Path, corpus: Path) -> None:
    data = tmp_path / "data"
    first = run("ingest", corpus, "--data", data, "--json")
    assert first.exit_code == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["added"] == len(sources_in(corpus)) and summary["failed"] == 0
    assert summary["library"] == str(data / FILENAME)
    second = json.loads(run("ingest", corpus, "--data", data, "--json").stdout)
    assert second["unchanged"] == summary["added"] and second["library_version"] == summary["library_version"]
    text = run("ingest", corpus / "seeds", "--data", data)
    assert text.stdout.startswith("0 added, 0 updated, 3 unchanged, 0 failed")


def test_ingest_takes_the_library_from_the_environment(tmp_path: Path, corpus: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIDAO_DATA", str(tmp_path / "from_env"))
    assert run("ingest", corpus / "seeds").exit_code == 0
    assert (tmp_path / "from_env" / FILENAME).exists()


def test_ingest_usage_errors_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(chidao, ["ingest"]).exit_code == 2
    assert CliRunner().invoke(chidao, ["ingest", str(tmp_path / "missing.txt")]).exit_code == 2


def console_script() -> str:
    beside_python = Path(sys.executable).with_name("chidao")
    found = str(beside_python) if beside_python.exists() else shutil.which("chidao")
    if not found:
        pytest.fail("the `chidao` console script is not installed: run `pip install -e .[dev]`")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["parsing", "writing"])
def test_sigkill_mid_batch_leaves_the_library_as_it_was(tmp_path: Path, phase: str) -> None:
    data = tmp_path / "data"
    assert run("ingest", SEEDS, "--data", data).exit_code == 0
    assert run("correct", "--data", data, "merge-org", "Sở KH&CN", "Sở Khoa học và Công nghệ").exit_code == 0
    before = dump(data)
    env = {**os.environ, "CHIDAO_DATA": str(data), "CHIDAO_INGEST_TEST_DELAY": "0.25"}
    # Its own process group, so that the kill takes any worker with it.
    process = subprocess.Popen([console_script(), "ingest", str(SAMPLE), str(SEEDS), "--quiet"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if line.strip() == f"test delay: {phase}":
                break
        else:
            pytest.fail(f"chidao ingest ended before {phase} (exit {process.wait()})")
        time.sleep(2.0)  # well inside the phase: 32 files at 0.25 s each
        assert process.poll() is None, "the batch finished before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert dump(data) == before
    # And the library still works: the same batch, run to the end, goes through.
    done = run("ingest", SAMPLE, SEEDS, "--data", data, "--json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["added"] == len(find_sources([SAMPLE])[0])
