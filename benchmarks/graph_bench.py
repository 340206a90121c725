"""Graph benchmark: ingest throughput, graph build time and memory, query latency.

    python benchmarks/graph_bench.py [--sizes 1000 10000 100000] [--seed 7] [--queries 100]
                                     [--neo4j | --neo4j-uri bolt://…] [--json] [--record BENCHMARKS.md]

(after `pip install -e .[dev]`, which puts `ingest`, `graph` and `queries` on the path).

For each size the synthetic corpus of benchmarks/synthetic.py is used:

* ingest (only at the first size of 1000 documents, or --ingest-size): the TEXT documents are
  written to a temporary folder and `chidao ingest DIR --data TMP` runs on them, once with
  --jobs 1 and once with --jobs 2, each into a fresh data folder; documents/s is documents
  over the command's wall time (start-up included, as a user sees it).
* build: the RECORDS are written to a JSONL file, then a fresh child process per size loads
  them (json.loads per line, timed apart) and calls graph.build.build_graph(records, catalog).
  Peak memory is the child's ru_maxrss (resource.getrusage; tracemalloc stays off, it would
  slow the build several-fold), so one size's peak is not the high-water mark of another.
  The records themselves, text included, are part of that peak, as they are when the
  library feeds a build; the RSS after loading them is printed beside it.
* queries: --queries random who, cascade and lineage questions (goals and documents drawn
  from the built graph with the seed) on the embedded store, p50 and p95 of the wall time
  of each call, each asked as `chidao` asks it by default (`who` its first 200 rows);
  `who --all`, the whole answer of `who` for the same draws, is timed beside them.
* Neo4j (with --neo4j-uri, or --neo4j to start the project's throwaway test server of
  tests/neo4j_server.py): the same model is synced (Neo4jStore.sync, what `chidao sync`
  runs; rows/s is its own figure) and the same questions asked through Neo4jStore.run.
  Skipped with a message when graph/store_neo4j.py or Java is missing.

Targets printed next to the figures: ingest ≥ 200 documents/s; build of 100k documents
≤ 60 s and ≤ 4 GB peak; who/cascade/lineage p95 ≤ 50 ms at 100k on the embedded store.

Nothing is written into the repository unless --record FILE is given: then a dated section
with the command and the figures is appended to FILE (BENCHMARKS.md at the repo root).
A script, not a test: timings depend on the machine and prove nothing in CI.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import json
import math
import os
import platform
import random
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # benchmarks/synthetic.py, beside this file
from chidao_command import chidao_command

from cli_queries import WHO_ROWS

TARGET_INGEST_DOCS_PER_S = 200.0
TARGET_BUILD_SECONDS_100K = 60.0
TARGET_BUILD_MB_100K = 4096.0
TARGET_P95_MS_100K = 50.0
# Each question as `chidao` asks it (its options' defaults: `who` prints the first WHO_ROWS rows
# and asks for one more to tell whether there are more; cascade and lineage cap what they
# list by default), and beside them `who --all`, the whole answer of `who` (every task row
# under a goal: tens of thousands for a broad goal at 100k), timed but given no target.
QUESTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "who": ("who", {"limit": WHO_ROWS + 1}), "cascade": ("cascade", {}), "lineage": ("lineage", {}),
    "who --all": ("who", {})}
TARGETED = ("who", "cascade", "lineage")


# ---------------------------------------------------------------------------------------
# Child: one build and its queries, in a process of its own
# ---------------------------------------------------------------------------------------


def _rss_mb() -> float:
    """Current resident set size (VmRSS), MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0, "p50_ms": float("nan"), "p95_ms": float("nan"), "max_ms": float("nan")}

    def at(q: float) -> float:
        # nearest-rank percentile: the value below which q of the samples lie
        index = max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))
        return ordered[index] * 1000

    return {"n": len(ordered), "p50_ms": at(0.50), "p95_ms": at(0.95), "max_ms": ordered[-1] * 1000,
            "mean_ms": statistics.fmean(ordered) * 1000}


def _question(name: str):
    """queries/<name>.py's run(store, **params), or None when it is not there (yet)."""
    try:
        module = importlib.import_module(f"queries.{name}")
    except ModuleNotFoundError:
        return None
    return getattr(module, "run", None)


# What each question is asked about, as a user would type it: `who` a goal id that tasks
# serve; `cascade` the ref of a document that others cite (a plan, a central resolution);
# `lineage` the ref of a document that cites (a letter, a district plan). A ref is typed
# as printed, so a ref that several provinces share asks about all of them, as it does
# for a user. One question in LARGE_EVERY asks about one of the largest targets instead
# (LARGE_TARGETS of them, taken in turn): for `who` the goals with the most tasks below
# them (57.SOL.1 and its siblings), for `cascade` the most cited documents (57-NQ/TW,
# 71/NQ-CP, the provincial plans), for `lineage` the refs the most documents share
# (`44/UBND-VP`, issued in every province) — a uniform draw seldom meets those, and
# they are what a user asks first.
TARGETS = {"who": "goal", "cascade": "cited", "lineage": "citing"}
LARGE_EVERY = 4
LARGE_TARGETS = 8


def _draw_params(name: str, run, model, rng: random.Random, count: int) -> list[tuple[str, dict[str, Any]]]:
    """`count` (group, parameters) for a question, drawn from the built graph with `rng`;
    group "large" or "random"."""
    from graph.model import CITES, SERVES

    params = [p for p in inspect.signature(run).parameters.values()
              if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)][1:]  # the first is the store
    required = [p for p in params if p.default is p.empty]
    if len(required) != 1:
        raise SystemExit(f"queries/{name}.py: run() takes {[p.name for p in required]}; the benchmark passes one "
                         "target")
    weight: dict[str, int] = {}
    if TARGETS[name] == "goal":
        pool = sorted({e.target for e in model.edges if e.type == SERVES}) or sorted(model.goals)
        for edge in model.edges:
            if edge.type == SERVES:  # a task counts for its goal and every goal above it
                goal, seen = edge.target, set()
                while goal and goal not in seen:
                    seen.add(goal)
                    weight[goal] = weight.get(goal, 0) + 1
                    goal = model.goals[goal].parent if goal in model.goals else None
    else:
        end = "target" if TARGETS[name] == "cited" else "source"
        counted: dict[str, int] = {}
        for edge in model.edges:
            if edge.type == CITES:
                key = getattr(edge, end)
                counted[key] = counted.get(key, 0) + 1
        pool = sorted({model.documents[k].ref for k in counted if k in model.documents and model.documents[k].ref})
        for key, n in counted.items():
            doc = model.documents.get(key)
            if doc is not None and doc.ref:  # cited: by its citations; citing: by the documents sharing its ref
                weight[doc.ref] = weight.get(doc.ref, 0) + (n if end == "target" else 1)
    large = sorted(weight, key=lambda t: (-weight[t], t))[:LARGE_TARGETS] if weight else []
    draws = []
    for i in range(count):
        if large and i % LARGE_EVERY == 0:
            draws.append(("large", {required[0].name: large[(i // LARGE_EVERY) % len(large)]}))
        else:
            draws.append(("random", {required[0].name: rng.choice(pool)}))
    return draws


def _time_questions(ask, model, seed: int, count: int) -> dict[str, Any]:
    """p50/p95 per question, over all draws and per group (large, random), wall and CPU
    seconds; `ask(name, run, params)` asks one question of one store."""
    results: dict[str, Any] = {}
    for label, (name, fixed) in QUESTIONS.items():
        run = _question(name)
        if run is None:
            results[label] = {"skipped": f"queries/{name}.py not present"}
            continue
        rng = random.Random(f"graph-bench/{seed}/{name}")  # `who` and `who --all` get the same draws
        draws = [(group, {**params, **fixed}) for group, params in _draw_params(name, run, model, rng, count)]
        try:
            ask(name, run, draws[0][1])  # warm-up: first-call imports and caches are not latency
        except Exception as exc:  # noqa: BLE001 — this store cannot answer it: say why, go on
            results[label] = {"skipped": f"{type(exc).__name__}: {exc}"}
            continue
        samples, cpu, rows, errors = [], [], 0, []
        by_group: dict[str, list[float]] = {}
        rows_by_group: dict[str, list[int]] = {}
        for group, params in draws:
            began, cpu_began = time.perf_counter(), time.process_time()
            try:
                answer = ask(name, run, params)
            except Exception as exc:  # noqa: BLE001 — a question that fails is counted, not fatal to the run
                errors.append(f"{params}: {type(exc).__name__}: {exc}")
                continue
            samples.append(time.perf_counter() - began)
            cpu.append(time.process_time() - cpu_began)
            by_group.setdefault(group, []).append(samples[-1])
            rows_by_group.setdefault(group, []).append(_size(answer))
            rows += _size(answer)
        cpu_figures = _percentiles(cpu)
        results[label] = {**_percentiles(samples), "cpu_p50_ms": cpu_figures["p50_ms"],
                         "cpu_p95_ms": cpu_figures["p95_ms"], "mean_rows": rows / max(1, len(samples)),
                         "groups": {g: {**_percentiles(v), "mean_rows": statistics.fmean(rows_by_group[g]),
                                        "max_rows": max(rows_by_group[g])} for g, v in by_group.items()},
                         "large_targets": sorted({p["target"] for g, p in draws if g == "large"}),
                         "errors": len(errors), "first_errors": errors[:3], "example_params": draws[0][1]}
    return results


def _size(answer: Any) -> int:
    try:
        return len(answer)
    except TypeError:
        return 1


def _embedded_store(model):
    store_embedded = importlib.import_module("graph.store_embedded")

    cls = store_embedded.EmbeddedStore
    for factory in ("from_model", "load"):
        if hasattr(cls, factory):
            return getattr(cls, factory)(model)
    return cls(model)


def child_build(records_path: Path, size: int, seed: int, queries: int, neo4j_uri: str | None,
                profile: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {"documents": size}
    out["rss_before_load_mb"] = _rss_mb()
    # Decoding alone, timed apart: the build below streams the records from the file as
    # Library.records() streams them from SQLite, decoding each on the way in.
    began = time.perf_counter()
    with records_path.open(encoding="utf-8") as handle:
        decoded = sum(1 for line in handle if json.loads(line))
    out["decode_seconds"] = time.perf_counter() - began
    out["records"] = decoded
    out["records_mb"] = records_path.stat().st_size / 2**20

    def records():
        with records_path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)

    try:
        from graph.build import build_graph
    except ModuleNotFoundError as exc:
        out["skipped"] = f"graph/build.py not present ({exc})"
        return out
    from graph.goals import load_catalog

    catalog = load_catalog()
    cpu_began, children_began = _cpu_seconds(), _cpu_seconds(resource.RUSAGE_CHILDREN)
    out["load_average_before_build"] = os.getloadavg()[0]
    began = time.perf_counter()
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        model = profiler.runcall(build_graph, records(), catalog)
        profiler.dump_stats(str(profile))
    else:
        model = build_graph(records(), catalog)
    out["build_seconds"] = time.perf_counter() - began
    # CPU time too: on a shared machine the wall clock counts what other processes took
    out["build_cpu_seconds"] = _cpu_seconds() - cpu_began
    # the build's forked workers (graph/build.py), reaped when it returns; their peak RSS
    # counts the pages they share with this process
    out["build_workers_cpu_seconds"] = _cpu_seconds(resource.RUSAGE_CHILDREN) - children_began
    out["workers_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["load_average_after_build"] = os.getloadavg()[0]
    out["peak_rss_mb"] = _peak_mb()
    out["rss_after_build_mb"] = _rss_mb()
    out["nodes"] = {"Document": len(model.documents), "Task": len(model.tasks),
                    "Organization": len(model.organizations), "Goal": len(model.goals)}
    out["edges"] = len(model.edges)
    edge_types: dict[str, int] = {}
    for edge in model.edges:
        edge_types[edge.type] = edge_types.get(edge.type, 0) + 1
    out["edge_types"] = edge_types
    out["stub_documents"] = sum(1 for d in model.documents.values() if d.is_stub)
    print(f"  built in {out['build_seconds']:.1f} s ({out['build_cpu_seconds']:.1f} s CPU, workers "
          f"{out['build_workers_cpu_seconds']:.1f} s), peak {out['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    # From here on a failure is reported beside the build's figures, which are not lost.
    try:
        began = time.perf_counter()
        store = _embedded_store(model)
        out["embedded_load_seconds"] = time.perf_counter() - began
    except ModuleNotFoundError as exc:
        out["embedded"] = {"skipped": f"graph/store_embedded.py not present ({exc})"}
    except BaseException as exc:  # noqa: BLE001 — reported, with the build's figures
        out["embedded"] = {"skipped": f"the embedded store failed to load: {type(exc).__name__}: {exc}"}
    else:
        try:
            out["embedded"] = _time_questions(lambda name, run, params: run(store, **params), model, seed,
                                              queries)
        except BaseException as exc:  # noqa: BLE001
            out["embedded"] = {"skipped": f"questions failed: {type(exc).__name__}: {exc}"}
        out["peak_rss_after_queries_mb"] = _peak_mb()
    if neo4j_uri:
        try:
            out["neo4j"] = _neo4j(model, neo4j_uri, seed, queries)
        except BaseException as exc:  # noqa: BLE001
            out["neo4j"] = {"skipped": f"failed: {type(exc).__name__}: {exc}"}
    return out


def _neo4j(model, uri: str, seed: int, queries: int) -> dict[str, Any]:
    try:
        from graph.store_neo4j import Neo4jStore
    except ModuleNotFoundError as exc:
        return {"skipped": f"graph/store_neo4j.py not present ({exc})"}
    user = os.environ.get("NEO4J_USER")
    auth = (user, os.environ.get("NEO4J_PASSWORD", "")) if user else None
    out: dict[str, Any] = {"uri": uri}
    with Neo4jStore(uri, auth, os.environ.get("NEO4J_DATABASE")) as store:
        store.verify()
        report = store.sync(model)
        out["sync"] = {"rows": report.rows, "seconds": report.seconds, "rows_per_second": report.rows_per_second,
                       "skipped_edges": report.skipped_edges, "batch_size": report.batch_size}
        out["questions"] = _time_questions(lambda name, run, params: store.run(name, **params), model, seed,
                                           queries)
    return out


# ---------------------------------------------------------------------------------------
# Parent: corpora, child processes, ingest, the table
# ---------------------------------------------------------------------------------------


def run_child(args: list[str], timeout: float | None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    if done.returncode != 0:
        return {"failed": f"exit {done.returncode}", "stderr": done.stderr[-4000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_ingest(folder: Path, documents: int, jobs: int, work: Path) -> dict[str, Any]:
    data = work / f"data-jobs{jobs}"
    shutil.rmtree(data, ignore_errors=True)
    command = [chidao_command(), "ingest", str(folder), "--data", str(data), "--jobs", str(jobs), "--quiet", "--json"]
    with tempfile.TemporaryFile(mode="w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
        stdout = proc.stdout.read()
        # wait4: this command's own rusage (its pool workers included), not the sum of every run
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    peak = usage.ru_maxrss / 1024
    result: dict[str, Any] = {"jobs": jobs, "documents": documents, "seconds": seconds,
                              "docs_per_s": documents / seconds, "exit": proc.returncode,
                              "peak_rss_mb": peak, "cpu_seconds": usage.ru_utime + usage.ru_stime, "command": " ".join(command)}
    if proc.returncode == 0:
        summary = json.loads(stdout)
        result["added"] = summary.get("added")
        result["failed"] = summary.get("failed")
    else:
        result["stderr"] = stderr[-2000:]
    result["meets_target"] = result["docs_per_s"] >= TARGET_INGEST_DOCS_PER_S and proc.returncode == 0
    return result


def start_neo4j(heap: str, pagecache: str):
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from neo4j_server import Neo4jServer, Neo4jUnavailable
    except ImportError as exc:
        print(f"Neo4j: skipped, tests/neo4j_server.py cannot be imported ({exc})", file=sys.stderr)
        return None
    try:
        server = Neo4jServer(heap=heap, pagecache=pagecache)
        server.start()
    except Neo4jUnavailable as exc:
        print(f"Neo4j: skipped, {exc}", file=sys.stderr)
        return None
    print(f"Neo4j test server at {server.uri} (up in {server.start_seconds:.1f} s)", file=sys.stderr)
    return server


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True, text=True,
                               check=True).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_average": os.getloadavg()[0]}


def _fmt(value: Any, spec: str = ".1f") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    return format(value, spec)


def verdicts(result: dict[str, Any]) -> dict[str, Any]:
    """Which targets the figures meet; a target only binds at the size it names."""
    out: dict[str, Any] = {}
    for ingest in result.get("ingest", []):
        out[f"ingest_jobs{ingest['jobs']}"] = ingest["meets_target"]
    for size in result.get("sizes", []):
        if size.get("documents") != 100_000 or "build_seconds" not in size:
            continue
        out["build_100k_seconds"] = size["build_seconds"] <= TARGET_BUILD_SECONDS_100K
        out["build_100k_memory"] = size["peak_rss_mb"] <= TARGET_BUILD_MB_100K
        for name in TARGETED:
            figures = size.get("embedded", {}).get(name, {})
            if "p95_ms" in figures:
                out[f"{name}_p95_100k"] = figures["p95_ms"] <= TARGET_P95_MS_100K
    return out


def table(result: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for ingest in result.get("ingest", []):
        status = "met" if ingest["meets_target"] else "MISSED"
        lines.append(f"ingest {ingest['documents']} documents, --jobs {ingest['jobs']}: {ingest['seconds']:.2f} s, "
                     f"{ingest['docs_per_s']:.0f} documents/s (target ≥ {TARGET_INGEST_DOCS_PER_S:.0f}: {status})"
                     + (f", exit {ingest['exit']}" if ingest["exit"] else ""))
    if result.get("ingest_skipped"):
        lines.append(f"ingest: {result['ingest_skipped']}")
    lines.append("")
    header = (f"{'documents':>9} {'decode s':>8} {'build s':>8} {'CPU s':>7} {'peak MB':>8} {'JSONL MB':>8} {'nodes':>8} "
              f"{'edges':>8}  " + "  ".join(f"{q + ' p50/p95 ms':>22}" for q in QUESTIONS))
    lines.append(header)
    lines.append("-" * len(header))
    for size in result.get("sizes", []):
        n = size.get("documents")
        if "failed" in size or "skipped" in size:
            lines.append(f"{n:>9} {size.get('failed') or size.get('skipped')}")
            if size.get("stderr"):
                lines.extend("          " + line for line in size["stderr"].strip().splitlines()[-6:])
            continue
        nodes = sum(size["nodes"].values())
        cells = []
        for q in QUESTIONS:
            f = size.get("embedded", {}).get(q, {})
            if "p95_ms" in f:
                cells.append(f"{_fmt(f['p50_ms'], '.2f')} / {_fmt(f['p95_ms'], '.2f')}"
                             + (f" ({f['errors']} err)" if f.get("errors") else ""))
            else:
                cells.append(f.get("skipped", "—") if isinstance(f, dict) else "—")
        lines.append(f"{n:>9} {size['decode_seconds']:>8.1f} {size['build_seconds']:>8.1f} "
                     f"{size.get('build_cpu_seconds', float('nan')):>7.1f} {size['peak_rss_mb']:>8.0f} "
                     f"{size['records_mb']:>8.0f} {nodes:>8} {size['edges']:>8}  " + "  ".join(f"{c:>22}" for c in cells))
        if size.get("build_workers_cpu_seconds"):
            lines.append(f"{'':>9} build: workers' CPU {size['build_workers_cpu_seconds']:.1f} s (peak RSS "
                         f"{size['workers_peak_rss_mb']:.0f} MB, shared pages included); load average "
                         f"{size['load_average_before_build']:.1f} → {size['load_average_after_build']:.1f}")
        for q in QUESTIONS:
            f = size.get("embedded", {}).get(q, {})
            if "groups" in f:
                parts = [f"{g} {_fmt(v['p50_ms'], '.1f')} / {_fmt(v['p95_ms'], '.1f')} ms ({v['mean_rows']:.0f} rows, "
                         f"max {v['max_rows']})" for g, v in sorted(f["groups"].items())]
                lines.append(f"{'':>9} {q}: CPU {_fmt(f['cpu_p50_ms'], '.1f')} / {_fmt(f['cpu_p95_ms'], '.1f')} ms; "
                             + "; ".join(parts))
        if "embedded_load_seconds" in size:
            lines.append(f"{'':>9} embedded store loaded in {size['embedded_load_seconds']:.1f} s; peak after the "
                         f"questions {size.get('peak_rss_after_queries_mb', float('nan')):.0f} MB")
        if isinstance(size.get("embedded"), dict) and "skipped" in size["embedded"]:
            lines.append(f"{'':>9} embedded store: {size['embedded']['skipped']}")
        neo = size.get("neo4j")
        if neo:
            if "skipped" in neo:
                lines.append(f"{'':>9} Neo4j: {neo['skipped']}")
            else:
                sync = neo["sync"]
                q = neo["questions"]
                lines.append(f"{'':>9} Neo4j: sync {sync['rows']} rows in {sync['seconds']:.1f} s "
                             f"({sync['rows_per_second']:.0f} rows/s); "
                             + "; ".join(f"{k} {_fmt(v.get('p50_ms'), '.1f')} / {_fmt(v.get('p95_ms'), '.1f')} ms"
                                         if "p95_ms" in v else f"{k}: {v.get('skipped')}" for k, v in q.items()))
    if result.get("neo4j_skipped"):
        lines.append(f"Neo4j: {result['neo4j_skipped']}")
    lines.append("")
    lines.append(f"targets: ingest ≥ {TARGET_INGEST_DOCS_PER_S:.0f} documents/s; build of 100k ≤ "
                 f"{TARGET_BUILD_SECONDS_100K:.0f} s and ≤ {TARGET_BUILD_MB_100K / 1024:.0f} GB; who/cascade/lineage "
                 f"p95 ≤ {TARGET_P95_MS_100K:.0f} ms at 100k (embedded store)")
    v = result.get("verdicts", {})
    if v:
        lines.append("verdicts: " + ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in v.items()))
    return lines


def record_markdown(path: Path, result: dict[str, Any]) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M %Z")
    lines = ["", f"## Graph benchmark, {stamp}", "",
             f"Command: `{result['command']}`  ",
             (f"Commit: {result['commit']}; Python {result['machine']['python']}, {result['machine']['cpus']} CPUs, "
              f"load average {result['machine']['load_average']:.2f} at the start; synthetic corpus seed "
              f"{result['seed']}."),
             "", "```", *table(result), "```", ""]
    if not path.exists():
        lines[:1] = [BENCHMARKS_HEAD]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


BENCHMARKS_HEAD = """# Benchmarks

Figures measured on this project's machines, newest last, each with the command that produced
it; how each script measures is in benchmarks/README.md. Timings depend on the machine and on
what else it runs (the load average is given): compare runs on one machine, not across machines.
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--queries", type=int, default=100, help="questions of each kind (default 100)")
    ap.add_argument("--ingest-size", type=int, default=1000, help="documents for the ingest run (0: none)")
    ap.add_argument("--ingest-jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--neo4j", action="store_true", help="start the test server of tests/neo4j_server.py")
    ap.add_argument("--neo4j-uri", help="a running Neo4j (NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE from the environment)")
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-pagecache", default="1g")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds for one size's child (default 3600)")
    ap.add_argument("--profile", type=Path, help="write a cProfile of each build to DIR/build-<size>.prof")
    ap.add_argument("--work", type=Path, help="keep corpora and data here instead of a temporary folder")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    ap.add_argument("--record", type=Path, metavar="FILE", help="append a dated section to FILE (BENCHMARKS.md)")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child is not None:
        child = argparse.ArgumentParser()
        child.add_argument("--records", type=Path, required=True)
        child.add_argument("--size", type=int, required=True)
        child.add_argument("--seed", type=int, required=True)
        child.add_argument("--queries", type=int, required=True)
        child.add_argument("--neo4j-uri")
        child.add_argument("--profile", type=Path)
        c = child.parse_args(args.child)
        print(json.dumps(child_build(c.records, c.size, c.seed, c.queries, c.neo4j_uri, c.profile)))
        return 0

    command = "python benchmarks/graph_bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    result: dict[str, Any] = {"command": command.strip(), "commit": _git_commit(), "machine": machine(),
                              "seed": args.seed, "queries": args.queries, "ingest": [], "sizes": []}
    work_ctx = tempfile.TemporaryDirectory(prefix="chidao-graph-bench-") if args.work is None else None
    work = Path(work_ctx.name) if work_ctx else args.work
    work.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        if args.ingest_size:
            folder = work / f"text-{args.ingest_size}"
            if not folder.exists():
                synthetic.write_text(args.ingest_size, folder, args.seed)
            for jobs in args.ingest_jobs:
                print(f"ingest {args.ingest_size} documents, --jobs {jobs} …", file=sys.stderr, flush=True)
                result["ingest"].append(measure_ingest(folder, args.ingest_size, jobs, work))
        neo4j_uri = args.neo4j_uri
        if args.neo4j and not neo4j_uri:
            if importlib.util.find_spec("graph.store_neo4j") is None:
                result["neo4j_skipped"] = "graph/store_neo4j.py not present"
            else:
                server = start_neo4j(args.neo4j_heap, args.neo4j_pagecache)
                neo4j_uri = server.uri if server else None
                if server is None:
                    result["neo4j_skipped"] = "no local Neo4j could be started (see stderr)"
        for size in args.sizes:
            records = work / f"records-{size}-seed{args.seed}.jsonl"
            if not records.exists():
                print(f"generating {size} records …", file=sys.stderr, flush=True)
                began = time.perf_counter()
                synthetic.write_records(size, records, args.seed)
                print(f"  {time.perf_counter() - began:.1f} s, {records.stat().st_size / 2**20:.0f} MB",
                      file=sys.stderr, flush=True)
            print(f"build and query at {size} documents …", file=sys.stderr, flush=True)
            child_args = ["--records", str(records), "--size", str(size), "--seed", str(args.seed),
                          "--queries", str(args.queries)]
            if neo4j_uri:
                child_args += ["--neo4j-uri", neo4j_uri]
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                child_args += ["--profile", str(args.profile / f"build-{size}.prof")]
            try:
                figures = run_child(child_args, args.timeout)
            except subprocess.TimeoutExpired:
                figures = {"documents": size, "failed": f"timed out after {args.timeout:.0f} s"}
            figures.setdefault("documents", size)
            result["sizes"].append(figures)
    finally:
        if server is not None:
            server.stop()
        if work_ctx is not None:
            work_ctx.cleanup()
    result["verdicts"] = verdicts(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(table(result)))
    if args.record:
        record_markdown(args.record, result)
        print(f"appended to {args.record}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
