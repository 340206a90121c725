"""Build time, peak memory and query times of the embedded store on a synthetic corpus.

    python benchmarks/graph_build.py --documents 100000
    python benchmarks/graph_build.py --records /tmp/recs --documents 2000 --json

The corpus is the parsed sample (corpus/seeds + corpus/sample, or the records in
--records) cloned: clone k moves every local document to another province and gives
its local refs another number, so clones cite their own copies and never each other's;
central refs stay as they are. Records are made one at a time while the build consumes
them (as the library streams them), and the time to make them is measured apart and
taken out. Questions: first the largest targets (who 57.SOL.1 and 57.SOL.5, cascade of
57-NQ/TW and of the most cited documents, lineage of the refs the most documents share),
then --repeats random provincial ones; median and p95 per question, wall and CPU, and the
largest target's own time and rows. Prints figures; asserts nothing (pytest never collects
this folder).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.goals import load_catalog
from graph.identity import is_national_ref
from graph.store_embedded import EmbeddedStore
from ingest.vocab import load_vocabulary
from queries import QUERIES

SAMPLE_PROVINCES = ("Lạng Sơn", "Thái Nguyên", "Lai Châu")


def sample_records(folder: Path | None) -> list[dict[str, Any]]:
    if folder:
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    from ingest.batch import find_sources, parse_batch
    sources, _ = find_sources([ROOT / "corpus" / "seeds", ROOT / "corpus" / "sample"])
    return [item.record for item in parse_batch(sources, jobs=1) if item.record is not None]


class Cloner:
    """Templates as JSON text with the sample's provinces and local refs as placeholders."""

    def __init__(self, records: list[dict[str, Any]]):
        vocab = load_vocabulary()
        self.provinces = sorted({p for p in vocab.province_kind})
        local_refs = set()
        for record in records:
            for ref in [record["document"].get("ref"), *(c.get("ref") for c in record.get("citations", []))]:
                if ref and not is_national_ref(ref, vocab):
                    local_refs.add(ref)
        self.local = sorted(local_refs, key=len, reverse=True)
        self.templates = []
        for record in records:
            text = json.dumps(record, ensure_ascii=False)
            for i, province in enumerate(SAMPLE_PROVINCES):
                text = text.replace(province, f"\0P{i}\0")
            for i, ref in enumerate(self.local):
                text = text.replace(json.dumps(ref, ensure_ascii=False)[1:-1], f"\0R{i}\0")
            self.templates.append(text)
        self.numbers = [re.match(r"\d+", r).group(0) for r in self.local]

    def records(self, count: int) -> Iterator[dict[str, Any]]:
        made = 0
        clone = 0
        while made < count:
            province = [self.provinces[(clone * 3 + i) % len(self.provinces)] for i in range(3)]
            for template in self.templates:
                if made >= count:
                    return
                text = re.sub(r"\0P(\d)\0", lambda m, p=province: p[int(m.group(1))], template)
                text = re.sub(r"\0R(\d+)\0", lambda m, c=clone: self._ref(int(m.group(1)), c), text)
                record = json.loads(text)
                if clone:  # every clone's tasks read differently, as real tasks do: no text is met twice
                    for item in record.get("tasks", ()):
                        item["text"] = f"{item['text']} (bản {clone})"
                record["source"]["path"] = f"clone{clone}/{record['source']['path']}"
                record["source"]["sha256"] = f"{clone:08d}{record['source'].get('sha256', '')[8:]}"
                made += 1
                yield record
            clone += 1

    def _ref(self, i: int, clone: int) -> str:
        ref, number = self.local[i], self.numbers[i]
        return f"{int(number) + 10_000 * clone}{ref[len(number):]}" if clone else ref


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _large_and_random(store: EmbeddedStore, rng: random.Random, count: int) -> dict[str, list[Any]]:
    """Targets per question: the largest first (what a user asks first, and what costs most),
    then `count` provincial ones drawn at random."""
    from graph.model import DOCUMENT
    docs = store.by_label[DOCUMENT]
    local = [k for k in docs if store.node(k).get("ref") and not store.node(k).get("is_central")]
    cited = sorted(store.cited_by, key=lambda k: (-len(store.cited_by[k]), k))
    sharing: dict[str, int] = {}
    for key in local:
        sharing[store.node(key)["ref"]] = sharing.get(store.node(key)["ref"], 0) + 1
    served = sorted(store.served_by)
    return {
        "who": ["57.SOL.1", "57.SOL.5", *rng.sample(served, min(count, len(served)))],
        "cascade": ["57-NQ/TW", *(store.node(k)["ref"] or k for k in cited[:3]),
                    *(store.node(k)["ref"] for k in rng.sample(local, min(count, len(local))))],
        "lineage": [*sorted(sharing, key=lambda r: (-sharing[r], r))[:3],
                    *(store.node(k)["ref"] for k in rng.sample(local, min(count, len(local))))],
    }


def time_queries(store: EmbeddedStore, repeats: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(7)
    targets = _large_and_random(store, rng, repeats)
    org = store.node(store.by_label["Organization"][len(store.by_label["Organization"]) // 2])["name"]
    cases: dict[str, list[Any]] = {
        "who": [lambda t=t: QUERIES["who"].run(store, t) for t in targets["who"]],
        "who_limit_200": [lambda t=t: QUERIES["who"].run(store, t, limit=200) for t in targets["who"]],
        "cascade": [lambda t=t: QUERIES["cascade"].run(store, t) for t in targets["cascade"]],
        "lineage": [lambda t=t: QUERIES["lineage"].run(store, t) for t in targets["lineage"]],
        "org": [lambda: QUERIES["org"].run(store, org)] * 5,
        "due": [lambda: QUERIES["due"].run(store, "2026-01-10", within=7, limit=200)] * 5,
        "findings": [lambda: QUERIES["findings"].run(store, code="deadline_before_issue", limit=200)] * 5,
        "search": [lambda: QUERIES["search"].run(store, "trung tam tin hoc")] * 5,
        "search_common": [lambda: QUERIES["search"].run(store, "Ủy ban nhân dân")] * 5,
    }
    out = {}
    for name, calls in cases.items():
        times, cpu, rows = [], [], []
        for call in calls:
            start, cpu_start = time.perf_counter(), time.process_time()
            answer = call()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - cpu_start) * 1000)
            rows.append(len(answer))
        out[name] = {"median_ms": round(statistics.median(times), 2), "p95_ms": round(_p95(times), 2),
                     "cpu_p95_ms": round(_p95(cpu), 2), "max_ms": round(max(times), 2),
                     "largest_ms": round(times[0], 2), "largest_rows": rows[0], "questions": len(calls)}
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--records", type=Path, help="folder of parsed records (default: parse the sample)")
    parser.add_argument("--repeats", type=int, default=40, help="random targets per question, besides the largest")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    catalog = load_catalog()
    cloner = Cloner(sample_records(args.records))
    start = time.perf_counter()
    for _ in cloner.records(args.documents):
        pass
    making = time.perf_counter() - start
    base_mb = peak_mb()
    cpu = time.process_time()
    workers_cpu = _children_cpu()
    start = time.perf_counter()
    from graph.build import build_graph
    model = build_graph(cloner.records(args.documents), catalog)
    built = time.perf_counter() - start
    counts = {"documents": len(model.documents), "tasks": len(model.tasks),
              "organizations": len(model.organizations), "edges": len(model.edges)}
    store = EmbeddedStore.from_model(model, consume=True)  # as EmbeddedStore.from_records does
    stored = time.perf_counter() - start - built
    cpu = time.process_time() - cpu
    del model
    figures = {
        "input_documents": args.documents, **counts,
        "make_records_s": round(making, 1), "build_s": round(built - making, 1), "store_s": round(stored, 1),
        "build_and_store_s": round(built - making + stored, 1),
        "build_and_store_cpu_s": round(cpu - making, 1),  # CPU seconds: what a busy machine does not inflate
        "build_workers_cpu_s": round(_children_cpu() - workers_cpu, 1),  # the build's forked workers (graph/build.py)
        "load_average": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(peak_mb()), "rss_before_build_mb": round(base_mb),
        "queries": time_queries(store, args.repeats),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        if key != "queries":
            print(f"{key:22} {value}")
    for name, times in figures["queries"].items():
        print(f"query {name:16} median {times['median_ms']:8.2f} ms   p95 {times['p95_ms']:8.2f} ms   "
              f"(CPU p95 {times['cpu_p95_ms']:8.2f} ms; largest target {times['largest_ms']:8.2f} ms, "
              f"{times['largest_rows']} rows; {times['questions']} questions)")


if __name__ == "__main__":
    main()
