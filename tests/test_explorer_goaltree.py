"""explorer/goaltree.py: the goal tree, and a goal's cascade in tiers."""

from __future__ import annotations

from explorer.goaltree import cascade_tiers, goal_tree, tier_of
from queries import cascade


def test_tree_lists_every_goal_under_its_parent(sample_store) -> None:
    tree = goal_tree(sample_store)
    keys = [g.key for g in tree]
    assert len(keys) == len(set(keys)) == len(sample_store.by_label["Goal"])
    assert tree[0].key.startswith("57.") and tree[0].depth == 0  # 57-NQ/TW's own goals first
    position = {g.key: i for i, g in enumerate(tree)}
    for i, goal in enumerate(tree):
        parents = [p for p, _ in sample_store.out(goal.key, "PART_OF")]
        if parents:
            assert position[parents[0]] < i and goal.depth == tree[position[parents[0]]].depth + 1
    sol1 = next(g for g in tree if g.key == "57.SOL.1")
    assert sol1.kind == "solution_group" and sol1.tasks > 0
    assert tree[position["57.SOL.1.2"]].depth == 1


def test_tiers_follow_the_levels_top_down(sample_store) -> None:
    assert [
        tier_of(x) for x in ("central", "ministry", "province", "department", "district", "commune", None)
    ] == ["central", "upper", "upper", "middle", "middle", "commune", "unknown"]
    rows = cascade.run(sample_store, "57.SOL.1", max_tasks=100)
    tiers = cascade_tiers(rows)
    order = ["central", "upper", "middle", "commune", "unknown"]
    assert [b.tier for b in tiers] == sorted((b.tier for b in tiers), key=order.index)
    assert {"upper", "middle", "commune"} <= {b.tier for b in tiers}
    docs = [r for r in rows if r["row"] == "document"]
    assert sum(len(b.documents) for b in tiers) == len(docs)
    for block in tiers:
        for doc_key, tasks in block.tasks.items():
            assert len({t["key"] for t in tasks}) == len(tasks)  # a task serving two goals is listed once
            assert all(t["parent"] == doc_key for t in tasks)


def test_cut_lists_are_counted(sample_store) -> None:
    rows = cascade.run(sample_store, "57.SOL.1", max_children=1, max_tasks=1)
    tiers = cascade_tiers(rows)
    cut = [r["more"] for r in rows if r["row"] == "more"]
    assert sum(sum(b.more.values()) for b in tiers) == sum(cut) > 0
