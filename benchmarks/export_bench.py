"""How long a cascade diagram takes: build (exports/cascade_graph.py) and SVG render (Graphviz's dot).

    python benchmarks/export_bench.py                         # the sample corpus, then 10k synthetic documents
    python benchmarks/export_bench.py --sizes                 # the sample corpus only
    python benchmarks/export_bench.py --targets 57.SOL.5 57-NQ/TW --repeat 5 --json

For each store (the bundled corpus parsed as `tests/sample_graph.py` parses it; a synthetic
corpus of N documents from benchmarks/synthetic.py, built without parsing), each target
and each view (the default cap of 12; --collapse level; --collapse unit; and, on the
sample only, every list whole), prints the diagram's size and the median over --repeat
runs of: the build's wall and CPU time, the SVG render's wall time and dot's CPU time
(a child process: its CPU is read from RUSAGE_CHILDREN), and the SVG's size. Store
building is timed apart and is not part of the figures. The load average is printed,
since the machine may be shared.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

VIEWS: dict[str, dict[str, Any]] = {
    "capped": {},
    "collapse=level": {"collapse": "level"},
    "collapse=unit": {"collapse": "unit"},
    "whole": {"max_children": 100_000, "max_tasks": None},
}


def sample_store() -> Any:
    from graph.goals import load_catalog
    from graph.store_embedded import EmbeddedStore
    from ingest.batch import find_sources, parse_batch

    sources, _ = find_sources([REPO / "corpus" / "seeds", REPO / "corpus" / "sample"])
    records = [item.record for item in parse_batch(sources, jobs=1) if item.record is not None]
    return EmbeddedStore.from_records(records, load_catalog())


def synthetic_store(size: int, seed: int) -> Any:
    from synthetic import generate_records

    from graph.goals import load_catalog
    from graph.store_embedded import EmbeddedStore

    return EmbeddedStore.from_records(generate_records(size, seed), load_catalog())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(store: Any, target: str, view: dict[str, Any], repeat: int) -> dict[str, Any]:
    from exports.cascade_graph import build_cascade_graph
    from exports.formats import render_cascade

    build_wall, build_cpu, svg_wall, dot_cpu = [], [], [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        graph = build_cascade_graph(store, target, **view)
        build_wall.append(time.perf_counter() - wall)
        build_cpu.append(time.process_time() - cpu)
        wall, child = time.perf_counter(), _children_cpu()
        svg = render_cascade(graph, "svg")
        svg_wall.append(time.perf_counter() - wall)
        dot_cpu.append(_children_cpu() - child)
    median = statistics.median
    return {"target": target, "nodes": len(graph.nodes), "edges": len(graph.edges),
            "more": sum(n.more for n in graph.nodes if n.kind == "more" and n.key.startswith("more:")),
            "build_ms": median(build_wall) * 1000, "build_cpu_ms": median(build_cpu) * 1000,
            "svg_ms": median(svg_wall) * 1000, "dot_cpu_ms": median(dot_cpu) * 1000, "svg_kb": len(svg) / 1024}


def run(stores: list[tuple[str, Any]], targets: list[str], repeat: int) -> list[dict[str, Any]]:
    from queries import QueryError

    results = []
    for name, store in stores:
        for target in targets:
            for view_name, view in VIEWS.items():
                if view_name == "whole" and name != "sample":
                    continue  # every list whole at 10k is the hairball the caps are there to avoid
                try:
                    figures = measure(store, target, view, repeat)
                except QueryError as exc:
                    print(f"{name}: {exc}", file=sys.stderr)
                    break
                results.append({"store": name, "view": view_name, **figures})
    return results


def table(results: list[dict[str, Any]]) -> list[str]:
    head = (f"{'store':>10} {'target':>10} {'view':>15} {'nodes':>6} {'edges':>6} {'more':>6} {'build ms':>9} "
            f"{'cpu ms':>7} {'svg ms':>8} {'dot cpu':>8} {'svg KB':>7}")
    lines = [head]
    for r in results:
        lines.append(f"{r['store']:>10} {r['target']:>10} {r['view']:>15} {r['nodes']:>6} {r['edges']:>6} "
                     f"{r['more']:>6} {r['build_ms']:>9.1f} {r['build_cpu_ms']:>7.1f} {r['svg_ms']:>8.1f} "
                     f"{r['dot_cpu_ms']:>8.1f} {r['svg_kb']:>7.1f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000], help="synthetic corpus sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--targets", nargs="+", default=["57.SOL.1", "57.SOL.5", "57-NQ/TW"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    stores = []
    started = time.perf_counter()
    stores.append(("sample", sample_store()))
    print(f"sample store: {time.perf_counter() - started:.1f} s (parse and build, not in the figures)",
          file=sys.stderr)
    for size in args.sizes:
        started = time.perf_counter()
        stores.append((f"{size // 1000}k", synthetic_store(size, args.seed)))
        print(f"{size} synthetic documents: store built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    results = run(stores, args.targets, args.repeat)
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"load_average": load, "cpus": os.cpu_count(), "results": results}, indent=2))
    else:
        print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs; "
              f"median of {args.repeat} runs")
        print("\n".join(table(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
