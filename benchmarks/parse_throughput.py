"""Parse throughput: documents/s, MB/s and peak memory on a replicated corpus, plus F1.

    python benchmarks/parse_throughput.py [--documents 1000] [--jobs 1 2] [--json]

(after `pip install -e .[dev]`, which puts `ingest` on the path).

Copies the bundled corpus (corpus/seeds and corpus/sample: .txt and .docx) into a
temporary folder until it holds at least --documents files, then parses it with
ingest.batch once per --jobs value. Each run happens in a fresh child process, so its
peak memory is its own and not the high-water mark of an earlier run. Writing the
records to disk is left out: this measures the parser, not the file system.

Memory comes from resource.getrusage (stdlib): the run's own peak RSS and the largest
worker's. A pool's workers peak at different moments, so the whole tree's peak is at
most parent + jobs × largest worker; that bound is what is reported against the target.

Targets: at least 200 documents/s per core, under 300 MB for the process tree. The F1
line is a sanity check that the copies parse as the originals do (see `chidao eval`).
A script, not a test: timings depend on the machine and prove nothing in CI.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ingest.batch import parse_batch
from ingest.evaluate import load_gold, score_corpus
from ingest.pipeline import Parser

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIRS = (REPO / "corpus" / "seeds", REPO / "corpus" / "sample")
GOLD_DIRS = (REPO / "corpus" / "gold" / "seeds", REPO / "corpus" / "gold" / "sample")
SUFFIXES = (".txt", ".docx")
TARGET_DOCS_PER_CORE = 200.0
TARGET_PEAK_MB = 300.0
FIRST_COPY = "c0000_"  # the copy whose records are scored against the gold


def replicate(folder: Path, minimum: int) -> list[Path]:
    originals = sorted(p for d in CORPUS_DIRS for p in d.iterdir() if p.suffix.lower() in SUFFIXES)
    if not originals:
        raise SystemExit(f"no {'/'.join(SUFFIXES)} files in {', '.join(map(str, CORPUS_DIRS))}")
    copies: list[Path] = []
    round_number = 0
    while len(copies) < minimum:
        for original in originals:
            # The copy number leads the name, so its stem is unique and its order is the
            # corpus order; a benchmark of one original 1000 times would measure a cache.
            target = folder / f"c{round_number:04d}_{original.name}"
            shutil.copyfile(original, target)
            copies.append(target)
        round_number += 1
    return copies


def measure(folder: Path, jobs: int) -> dict[str, Any]:
    """One run, in this process: the figures of parsing every file in `folder`."""
    paths = sorted(folder.iterdir())
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    parser = Parser.build() if jobs == 1 else None
    built = time.perf_counter()
    first_copy: dict[str, dict[str, Any]] = {}
    failures = []
    for item in parse_batch(paths, jobs=jobs, parser=parser):
        if item.record is None:
            failures.append(f"{item.path.name}: {item.error}")
        elif item.path.name.startswith(FIRST_COPY):
            first_copy[item.path.stem.removeprefix(FIRST_COPY)] = item.record
    finished = time.perf_counter()
    cpu_seconds = _cpu_seconds() - cpu_before
    gold: dict[str, dict[str, Any]] = {}
    for gold_dir in GOLD_DIRS:
        gold.update(load_gold(gold_dir))
    report = score_corpus(gold, first_copy)
    total_bytes = sum(p.stat().st_size for p in paths)
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN reports the largest waited-for child.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if jobs > 1 else 0.0
    return {"jobs": jobs, "documents": len(paths), "bytes": total_bytes, "failures": failures,
            "build_seconds": built - started, "parse_seconds": finished - built, "cpu_seconds": cpu_seconds,
            "peak_rss_mb": own, "worker_peak_rss_mb": worker,
            "macro_f1": report.macro_f1, "scored_documents": len(report.documents)}


def _cpu_seconds() -> float:
    # User + system time of this process and its finished workers: unlike the wall clock,
    # it does not count the time other processes on a busy machine took from us.
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_child(folder: Path, jobs: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", str(folder), "--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run with --jobs {jobs} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def summarize(run: dict[str, Any]) -> dict[str, Any]:
    seconds = run["parse_seconds"]  # for a pool this includes starting the workers
    docs_per_s = run["documents"] / seconds
    tree_mb = run["peak_rss_mb"] + run["jobs"] * run["worker_peak_rss_mb"]
    return {**run, "docs_per_s": docs_per_s, "docs_per_s_per_core": docs_per_s / run["jobs"],
            "mb_per_s": run["bytes"] / 1024 / 1024 / seconds,
            "docs_per_cpu_second": run["documents"] / run["cpu_seconds"],
            "mean_document_kb": run["bytes"] / run["documents"] / 1024,
            "tree_peak_mb_at_most": tree_mb,
            "meets_speed": docs_per_s / run["jobs"] >= TARGET_DOCS_PER_CORE,
            "load_average": os.getloadavg()[0],
            "meets_memory": tree_mb < TARGET_PEAK_MB}


def print_table(runs: list[dict[str, Any]]) -> None:
    first = runs[0]
    print(f"load average {first['load_average']:.2f} on {os.cpu_count()} cores after the first run")
    print(f"{first['documents']} documents, {first['bytes'] / 1024 / 1024:.1f} MB, "
          f"mean {first['mean_document_kb']:.1f} KB per document")
    for run in runs:
        print(f"\n--jobs {run['jobs']}")
        print(f"  parser build        {run['build_seconds']:8.2f} s"
              + ("  (in each worker, inside the parse time)" if run["jobs"] > 1 else ""))
        print(f"  parse               {run['parse_seconds']:8.2f} s")
        print(f"  documents/s         {run['docs_per_s']:8.1f}   per core {run['docs_per_s_per_core']:.1f}"
              f"   target ≥{TARGET_DOCS_PER_CORE:.0f}/core: {'met' if run['meets_speed'] else 'MISSED'}")
        print(f"  documents/CPU-s     {run['docs_per_cpu_second']:8.1f}   (per core, whatever else runs)")
        print(f"  MB/s                {run['mb_per_s']:8.2f}")
        memory = f"  peak RSS            {run['peak_rss_mb']:8.1f} MB"
        if run["jobs"] > 1:
            memory += f" + {run['jobs']} × {run['worker_peak_rss_mb']:.1f} MB (largest worker)"
        print(memory + f"   tree ≤ {run['tree_peak_mb_at_most']:.0f} MB, target <{TARGET_PEAK_MB:.0f} MB: "
              f"{'met' if run['meets_memory'] else 'MISSED'}")
        print(f"  failures            {len(run['failures']):8d}")
        print(f"  macro F1 (gold)     {run['macro_f1']:8.3f}   on {run['scored_documents']} documents")
        for failure in run["failures"][:5]:
            print(f"    {failure}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000, help="at least this many files (default 1000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to run (default 1 2)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's entry point
    args = ap.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.jobs[0])))
        return 0
    with tempfile.TemporaryDirectory(prefix="chidao-bench-") as tmp:
        folder = Path(tmp)
        replicate(folder, args.documents)
        runs = [summarize(run_child(folder, jobs)) for jobs in args.jobs]
    if args.json:
        print(json.dumps(runs, ensure_ascii=False, indent=2))
    else:
        print_table(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
