"""Ingest benchmark: `chidao ingest` documents/s end to end, where its time goes, start-up.

    python benchmarks/ingest_bench.py [--documents 1000] [--jobs 1 2] [--json]

(after `pip install -e .[dev]`, which puts `chidao`, `ingest` and `graph` on the path).

Writes the synthetic corpus (benchmarks/synthetic.py, seed 7) as text files into a
temporary folder, then measures, each in a fresh process:

* start-up: `import cli` (what every `chidao` command pays before it does anything) and
  `chidao --help`; and whether the Neo4j driver, networkx or Streamlit were imported;
* phases: `plan_ingest`, `parse_planned` and `commit_ingest` (graph/ingestion.py) in one
  process, into a fresh library, with --jobs 1: wall and CPU seconds of each;
* end to end: `chidao ingest DIR --data TMP --jobs N` for each N, start-up included:
  documents/s over the wall clock, and per CPU-second (its workers included).

The machine is shared: CPU seconds are the steadier figure; the load average is printed.
Target: ingest ≥ 200 documents/s. A script, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # synthetic.py, beside this file
from chidao_command import chidao_command
from synthetic import write_text

TARGET_DOCS_PER_S = 200.0
HEAVY_MODULES = ("neo4j", "networkx", "streamlit", "pandas")


def timed(command: list[str], cwd: Path | None = None) -> dict[str, Any]:
    """Run a command; its wall seconds, its own CPU seconds (children included), its output."""
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)  # this command's rusage, not every child's so far
        seconds = time.perf_counter() - began
        out.seek(0)
        err.seek(0)
        return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "exit": os.waitstatus_to_exitcode(status), "stdout": out.read(), "stderr": err.read()[-2000:]}


def start_up(empty: Path) -> dict[str, Any]:
    # Run from an empty folder: `python -c` puts the current folder first on the path.
    probe = f"import sys, cli; print([m for m in {HEAVY_MODULES!r} if m in sys.modules])"
    imported = timed([sys.executable, "-c", probe], cwd=empty)
    help_run = timed([chidao_command(), "--help"])
    return {"import_cli_seconds": imported["seconds"], "import_cli_cpu_seconds": imported["cpu_seconds"],
            "heavy_modules_imported": json.loads(imported["stdout"].replace("'", '"') or "[]"),
            "help_seconds": help_run["seconds"], "help_cpu_seconds": help_run["cpu_seconds"]}


def phases(folder: Path) -> dict[str, Any]:
    """In this process: plan, parse (--jobs 1), commit, into a fresh library."""
    from graph.ingestion import commit_ingest, parse_planned, plan_ingest
    from graph.library import Library
    from ingest.batch import find_sources

    sources, _ = find_sources([folder])
    out: dict[str, Any] = {"documents": len(sources)}
    with tempfile.TemporaryDirectory(prefix="chidao-ingest-bench-") as data, \
            Library.open(Path(data), create=True) as library:
        clock = (time.perf_counter(), time.process_time())

        def lap(name: str) -> None:
            nonlocal clock
            now = (time.perf_counter(), time.process_time())
            out[name] = {"seconds": now[0] - clock[0], "cpu_seconds": now[1] - clock[1]}
            clock = now

        plan = plan_ingest(library, sources)
        lap("plan")
        items = parse_planned(plan, jobs=1)
        lap("parse")
        report = commit_ingest(library, plan, items)
        lap("commit")
    out["added"] = report.counts["added"]
    return out


def end_to_end(folder: Path, documents: int, jobs: int, work: Path) -> dict[str, Any]:
    data = work / f"data-jobs{jobs}"
    command = [chidao_command(), "ingest", str(folder), "--data", str(data),
               "--jobs", str(jobs), "--quiet", "--json"]
    run = timed(command)
    result = {"jobs": jobs, "documents": documents, "seconds": run["seconds"], "cpu_seconds": run["cpu_seconds"],
              "docs_per_s": documents / run["seconds"], "docs_per_cpu_second": documents / run["cpu_seconds"],
              "exit": run["exit"], "command": " ".join(command)}
    if run["exit"] == 0:
        result["added"] = json.loads(run["stdout"]).get("added")
    else:
        result["stderr"] = run["stderr"]
    result["meets_target"] = run["exit"] == 0 and result["docs_per_s"] >= TARGET_DOCS_PER_S
    return result


def print_table(result: dict[str, Any]) -> None:
    s = result["start_up"]
    print(f"load average {result['load_average']:.2f} at the start, {os.cpu_count()} CPUs; "
          f"{result['documents']} synthetic documents (seed 7), mean {result['mean_kb']:.1f} KB")
    print(f"start-up: import cli {s['import_cli_seconds']:.2f} s ({s['import_cli_cpu_seconds']:.2f} CPU s), "
          f"chidao --help {s['help_seconds']:.2f} s; heavy modules imported: "
          f"{', '.join(s['heavy_modules_imported']) or 'none'}")
    p = result["phases"]
    print("in process, --jobs 1: " + ", ".join(
        f"{name} {p[name]['seconds']:.2f} s ({p[name]['cpu_seconds']:.2f} CPU s)" for name in ("plan", "parse", "commit"))
        + f"; parse {p['documents'] / p['parse']['cpu_seconds']:.0f} documents per CPU-second")
    for run in result["ingest"]:
        status = "met" if run["meets_target"] else "MISSED"
        print(f"chidao ingest --jobs {run['jobs']}: {run['seconds']:.2f} s, {run['docs_per_s']:.0f} documents/s "
              f"(target ≥ {TARGET_DOCS_PER_S:.0f}: {status}); {run['cpu_seconds']:.2f} CPU s, "
              f"{run['docs_per_cpu_second']:.0f} documents per CPU-second"
              + (f"; exit {run['exit']}: {run.get('stderr', '')[-300:]}" if run["exit"] else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000, help="synthetic documents (default 1000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values for chidao ingest")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--phases", type=Path, help=argparse.SUPPRESS)  # the child's entry point
    args = ap.parse_args()
    if args.phases is not None:
        print(json.dumps(phases(args.phases)))
        return 0
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="chidao-ingest-bench-") as tmp:
        folder, work, empty = Path(tmp) / "corpus", Path(tmp) / "work", Path(tmp) / "empty"
        empty.mkdir()
        count = write_text(args.documents, folder)
        mean_kb = sum(p.stat().st_size for p in folder.iterdir()) / count / 1024
        result: dict[str, Any] = {"load_average": load, "documents": count, "mean_kb": mean_kb,
                                  "start_up": start_up(empty)}
        child = timed([sys.executable, __file__, "--phases", str(folder)])
        if child["exit"] != 0:
            raise SystemExit(f"phases failed:\n{child['stderr']}")
        result["phases"] = json.loads(child["stdout"].strip().splitlines()[-1])
        result["ingest"] = [end_to_end(folder, count, jobs, work) for jobs in args.jobs]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
