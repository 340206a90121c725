"""ingest.batch and ingest.outputs: which files a batch takes, in what order, under what names.

The CLI tests run whole batches; these pin down the rules behind them, and the one path
a corpus never takes: a worker process that dies in the middle of a batch.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

import ingest.batch
from ingest.batch import find_sources, parse_batch
from ingest.outputs import plan_outputs

REPO = Path(__file__).resolve().parent.parent
SEED_TEXT = REPO / "corpus" / "seeds" / "001_bd32b1ea4bdd5c5a.txt"


def test_folders_give_supported_files_sorted_and_once(tmp_path: Path) -> None:
    for name in ("b.txt", "a.docx", "sub/c.PDF", "notes.rtf", ".hidden.txt", "~$a.docx", ".git/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    explicit = tmp_path / "notes.rtf"
    sources, empty = find_sources([tmp_path, tmp_path / "b.txt", explicit])
    assert sources == [tmp_path / "a.docx", tmp_path / "b.txt", tmp_path / "sub" / "c.PDF", explicit]
    assert empty == []


def test_output_names_disambiguate_later_sources(tmp_path: Path) -> None:
    sources = [Path("a/kh.docx"), Path("b/kh.docx"), Path("b/KH.pdf"), Path("c/kh.docx"), Path("kh")]
    plan = plan_outputs(sources, tmp_path)
    assert [plan.targets[s].name for s in sources] == ["kh.json", "kh.docx.json", "KH.pdf.json",
                                                      "kh.docx.2.json", "kh.2.json"]
    assert [(r.source, r.first) for r in plan.renamed] == [(s, sources[0]) for s in sources[1:]]


def test_pool_yields_in_input_order(tmp_path: Path) -> None:
    sources = []
    for index in range(12):
        sources.append(tmp_path / f"{index:02d}.txt")
        shutil.copy(SEED_TEXT, sources[-1])
    seen = []
    items = list(parse_batch(sources, jobs=2, progress=seen.append))
    assert [item.path for item in items] == sources == [item.path for item in seen]
    assert all(item.is_parsed for item in items)


def _crash_on(name: str):
    real = ingest.batch.parse_file

    def parse_or_die(path, *args, **kwargs):
        if path.name == name:
            os._exit(3)  # what the OOM killer or a crash in a C extension looks like
        return real(path, *args, **kwargs)
    return parse_or_die


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the crashing stand-in reaches the workers only through fork")
def test_a_dying_worker_fails_its_chunk_and_the_batch_goes_on(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sources = []
    for index in range(24):
        sources.append(tmp_path / ("crash.txt" if index == 8 else f"{index:02d}.txt"))
        shutil.copy(SEED_TEXT, sources[-1])
    monkeypatch.setattr(ingest.batch, "parse_file", _crash_on("crash.txt"))
    items = list(parse_batch(sources, jobs=2))
    assert [item.path for item in items] == sources
    crashed = items[8]
    assert not crashed.is_parsed and "worker process died" in (crashed.error or "")
    failed = [item for item in items if not item.is_parsed]
    # Innocent files in flight beside it may fail with it, but never more than one window.
    assert len(failed) <= 4 and items[-1].is_parsed
