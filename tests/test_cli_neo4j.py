"""The question commands on Neo4j: `--store neo4j`, or NEO4J_URI set, asks the synced graph.

The library of the sample corpus is synced with `chidao sync`, then each question is asked
through the CLI twice, of the embedded store and of Neo4j, and the JSON answers compared.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_store_neo4j import clear_chidao_labels

from cli import chidao
from cli_queries import default_store
from graph.store_neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def data(sample_library) -> Path:
    return Path(sample_library.path).parent


@pytest.fixture(scope="module")
def neo4j_env(neo4j_uri: str, neo4j_auth: tuple[str, str] | None, data: Path) -> dict[str, str]:
    env = {"NEO4J_URI": neo4j_uri, "NEO4J_USER": "", "NEO4J_PASSWORD": "", "NEO4J_DATABASE": ""}
    if neo4j_auth:
        env.update(NEO4J_USER=neo4j_auth[0], NEO4J_PASSWORD=neo4j_auth[1])
    with Neo4jStore(neo4j_uri, neo4j_auth) as store:
        clear_chidao_labels(store)
    synced = CliRunner().invoke(chidao, ["sync", "--data", str(data), "--json"], env=env, catch_exceptions=False)
    assert synced.exit_code == 0, synced.output
    assert json.loads(synced.stdout)["nodes"]["Task"] > 0
    return env


def run(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(chidao, args, env=env, catch_exceptions=False)


QUESTIONS = [
    ["who", "57.SOL.1"],
    ["cascade", "57-NQ/TW", "--depth", "2"],
    ["lineage", "corpus/seeds/001_bd32b1ea4bdd5c5a.txt"],
    ["org", "trung tam tin hoc"],
    ["due", "--as-of", "2025-06-01", "--within", "60"],
    ["findings"],
    ["search", "trung tam tin hoc"],
]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q[0])
def test_neo4j_answers_as_the_embedded_store(question: list[str], data: Path, neo4j_env: dict[str, str]) -> None:
    base = [*question, "--data", str(data), "--json"]
    embedded = run([*base, "--store", "embedded"], neo4j_env)
    on_neo4j = run(base, neo4j_env)  # NEO4J_URI is set: Neo4j is the default
    explicit = run([*base, "--store", "neo4j"], neo4j_env)
    assert embedded.exit_code == on_neo4j.exit_code == explicit.exit_code == 0, on_neo4j.output
    rows = json.loads(embedded.stdout)
    assert rows, f"{question}: the sample corpus should answer this"
    assert json.loads(on_neo4j.stdout) == rows
    assert json.loads(explicit.stdout) == rows


def test_an_unknown_goal_is_the_same_error_on_neo4j(data: Path, neo4j_env: dict[str, str]) -> None:
    result = run(["who", "no such goal", "--data", str(data), "--store", "neo4j"], neo4j_env)
    assert result.exit_code == 1
    assert "no such goal" in result.stderr


def test_an_unreachable_neo4j_is_one_clear_line() -> None:
    env = {"NEO4J_URI": "neo4j://127.0.0.1:9", "NEO4J_USER": "", "NEO4J_PASSWORD": ""}
    result = CliRunner().invoke(chidao, ["who", "57.SOL.1", "--json"], env=env)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "127.0.0.1:9" in result.stderr


def test_the_default_store_follows_neo4j_uri() -> None:
    assert default_store({}) == "embedded"
    assert default_store({"NEO4J_URI": ""}) == "embedded"
    assert default_store({"NEO4J_URI": "neo4j://db.example:7687"}) == "neo4j"
