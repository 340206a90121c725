"""A large build hands the task texts and organisation names to forked workers
(graph/build.py _Workers), and the tasks' goal links to a forked child (_Child): the model
must be the one a single process makes."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic.py"


def _synthetic_records(count: int) -> list[dict]:
    spec = importlib.util.spec_from_file_location("chidao_synthetic_workers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return list(module.generate_records(count, seed=3, provinces=3))


def _records() -> list[dict]:
    from sample_graph import sample_records
    return [*sample_records(), *_synthetic_records(300)]



def _everything(model) -> dict:
    return {"documents": model.documents, "tasks": model.tasks, "organizations": model.organizations,
            "goals": model.goals, "edges": model.edges, "merges": model.merges, "findings": model.findings}


CHECK = """
import sys
from graph import build
from graph.build import build_graph
from graph.goals import load_catalog
import test_build_workers as t

records, catalog = t._records(), load_catalog()
single = build_graph(records, catalog)  # a few hundred records: no worker is forked
handed = []
apply = build._Workers.apply
def counting_apply(self, function, items):
    handed.append(function.__name__)
    return apply(self, function, items)
build._Workers.apply = counting_apply
start = build._Child.start.__func__
def counting_start(cls, function, *args):
    child = start(cls, function, *args)
    if child is not None:
        handed.append(function.__name__)
    return child
build._Child.start = classmethod(counting_start)
result = build._Child.result
def counting_result(self):
    answer = result(self)
    if answer is not None:  # None: the child failed, and the build traced in this process
        handed.append("child answered")
    return answer
build._Child.result = counting_result
build.FORK_AT, build.PARALLEL_FROM, build.CHUNK = 10, 50, 37
build.os.cpu_count = lambda: 2
forked = build_graph(records, catalog)
assert {"_resolve_names", "_text_terms", "_links_in_child", "child answered"} <= set(handed), handed
assert len(single.tasks) > 1000
assert t._everything(forked) == t._everything(single), "the forked build differs"
import multiprocessing
assert multiprocessing.active_children() == [] and build._FORKED is None, "a worker was left behind"
print("same model")
"""


def test_the_workers_build_the_same_model_and_stop() -> None:
    # In a fresh interpreter: the build forks only where no other thread runs (a fork copies
    # the locks other threads hold), and earlier tests leave driver and Streamlit threads here.
    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here.parent), str(here)])}
    done = subprocess.run([sys.executable, "-c", CHECK], check=False, cwd=here, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "same model", done.stderr[-3000:]
