"""A large build hands the organisation names and task texts to forked workers
(graph/build.py _Workers): the model must be the one a single process makes."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from graph import build
from graph.build import build_graph

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic.py"


def _synthetic_records(count: int) -> list[dict]:
    spec = importlib.util.spec_from_file_location("chidao_synthetic_workers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return list(module.generate_records(count, seed=3, provinces=3))


@pytest.fixture(scope="module")
def records() -> list[dict]:
    from sample_graph import sample_records
    return [*sample_records(), *_synthetic_records(300)]


def _everything(model) -> dict:
    return {"documents": model.documents, "tasks": model.tasks, "organizations": model.organizations,
            "goals": model.goals, "edges": model.edges, "merges": model.merges, "findings": model.findings}


def test_the_workers_build_the_same_model(records, goal_catalog, monkeypatch) -> None:
    single = build_graph(records, goal_catalog)  # a few hundred records: no worker is forked

    handed: list[str] = []
    submit = build._Workers.submit

    def counting_submit(self, function, items, minimum=None):
        ahead = submit(self, function, items, minimum)
        if ahead is not None:
            handed.append(function.__name__)
        return ahead

    monkeypatch.setattr(build._Workers, "submit", counting_submit)
    monkeypatch.setattr(build, "FORK_AT", 10)
    monkeypatch.setattr(build, "PARALLEL_FROM", 50)
    monkeypatch.setattr(build, "CHUNK", 37)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    forked = build_graph(records, goal_catalog)

    assert sorted(handed) == ["_resolve_names", "_text_terms"]
    assert len(single.tasks) > 1000
    assert _everything(forked) == _everything(single)


def test_no_worker_is_left_behind(records, goal_catalog, monkeypatch) -> None:
    import multiprocessing

    monkeypatch.setattr(build, "FORK_AT", 10)
    monkeypatch.setattr(build, "PARALLEL_FROM", 50)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    build_graph(records, goal_catalog)
    assert multiprocessing.active_children() == []
    assert build._FORKED is None
