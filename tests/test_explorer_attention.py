"""explorer/attention.py: what needs attention per goal and per unit, as of a given day."""

from __future__ import annotations

from datetime import date

from explorer.attention import (
    busiest_units,
    goal_attention,
    goals_of,
    natural_key,
    task_status,
    tasks_serving,
    timeline,
    unit_attention,
    unit_load,
)
from queries import due, org, who

AS_OF = date(2026, 1, 10)


def test_task_status_counts_both_ends_of_the_window() -> None:
    assert task_status({"deadline": "2026-01-09"}, AS_OF, 30) == "overdue"
    assert task_status({"deadline": "2026-01-10"}, AS_OF, 30) == "due"
    assert task_status({"deadline": "2026-02-09"}, AS_OF, 30) == "due"
    assert task_status({"deadline": "2026-02-10"}, AS_OF, 30) == "later"
    assert task_status({"period_end": "2026-03-31"}, AS_OF, 90) == "due"
    assert task_status({"period_end": "2026-03-31", "is_recurring": True}, AS_OF, 90) == "none"
    assert task_status({}, AS_OF, 30) == "none"


def test_natural_order_of_goal_ids() -> None:
    assert sorted(["57.SOL.10", "57.SOL.2", "57.SOL.1.2", "57.SOL.1"], key=natural_key) == [
        "57.SOL.1",
        "57.SOL.1.2",
        "57.SOL.2",
        "57.SOL.10",
    ]


def test_goal_rows_agree_with_who_and_rank_attention_first(sample_store) -> None:
    rows = goal_attention(sample_store, AS_OF, 30)
    assert [r["goal"] for r in rows if r["goal_kind"] == "solution_group"] and {
        r["goal_kind"] for r in rows
    } == {"solution_group", "target"}
    assert {r["goal"] for r in rows} == set(goals_of(sample_store))
    ranks = [(-r["overdue"], -r["due_soon"], -r["tasks"]) for r in rows]
    assert ranks == sorted(ranks)
    sol1 = next(r for r in rows if r["goal"] == "57.SOL.1")
    answers = who.run(sample_store, "57.SOL.1")
    assert (
        sol1["tasks"] == len({a["task_key"] for a in answers}) == len(tasks_serving(sample_store, "57.SOL.1"))
    )
    assert sol1["documents"] == len({a["doc_key"] for a in answers})
    overdue = {a["task_key"] for a in answers if a["due"] and a["due"] < AS_OF.isoformat()}
    assert sol1["overdue"] == len(overdue) > 0
    assert sol1["overdue"] + sol1["due_soon"] + sol1["no_deadline"] <= sol1["tasks"]
    assert sol1["next_due"] is None or sol1["next_due"] >= AS_OF.isoformat()


def test_unit_rows_agree_with_org(sample_store) -> None:
    rows = unit_attention(sample_store, AS_OF, 30)
    ranks = [(-r["overdue"], -r["due_soon"], -r["tasks"]) for r in rows]
    assert ranks == sorted(ranks)
    home = next(r for r in rows if r["unit"] == "Sở Nội vụ tỉnh Lạng Sơn")
    answers = [
        a
        for a in org.run(sample_store, "Sở Nội vụ tỉnh Lạng Sơn")
        if a["organization_key"] == home["unit_key"]
    ]
    assert home["tasks"] == len({a["task_key"] for a in answers})
    assert home["lead"] == sum(a["role"] == "lead" for a in answers)
    assert not any(sample_store.node(r["unit_key"]).get("is_generic") for r in rows)
    generic = unit_attention(sample_store, AS_OF, 30, include_generic=True)
    assert len(generic) > len(rows)


def test_unit_load_splits_each_units_tasks_by_status(sample_store) -> None:
    rows = unit_attention(sample_store, AS_OF, 30)
    load = unit_load(rows, top=5)
    assert {p["unit"] for p in load} == {r["unit"] for r in rows[:5]}
    for row in rows[:5]:
        assert sum(p["tasks"] for p in load if p["unit"] == row["unit"]) == row["tasks"]
    assert {p["status"] for p in load} <= {"overdue", "due", "later", "none"}


def test_timeline_has_a_point_per_lead_unit(sample_store) -> None:
    rows = due.run(sample_store, AS_OF, overdue=True)
    points = timeline(rows)
    assert len(points) == sum(max(1, len(r["leads"])) for r in rows)
    assert all(p["status"] == "overdue" and p["days"] < 0 and p["unit"] for p in points)
    assert {p["task_key"] for p in points} == {r["task_key"] for r in rows}


def test_the_timeline_keeps_the_busiest_units() -> None:
    points = [{"unit": u, "status": s} for u, s in (
        ("Sở A", "due"), ("Sở A", "due"), ("Sở A", "due"), ("Sở B", "overdue"), ("Sở C", "due"),
        ("Sở C", "overdue"), ("Sở D", "due"))]
    assert busiest_units(points, 3) == (["Sở C", "Sở B", "Sở A"], 1)
    assert busiest_units(points, 10) == (["Sở C", "Sở B", "Sở A", "Sở D"], 0)
