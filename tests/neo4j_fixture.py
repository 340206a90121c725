"""Pytest fixtures for tests against a real Neo4j (load with ``pytest_plugins = ["neo4j_fixture"]``).

``neo4j_uri`` is $NEO4J_URI when set (with $NEO4J_USER / $NEO4J_PASSWORD, see ``neo4j_auth``);
otherwise a Neo4j 5.26 Community server that tests/neo4j_server.py starts for the session, from
jars Maven fetches once into ~/.cache/chidao/neo4j-5.26 ($CHIDAO_NEO4J_HOME).

Without Java or Maven these fixtures skip, saying how to enable them; with CI=true they fail
instead, so that CI never passes by skipping every Neo4j test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from neo4j_server import Neo4jServer, Neo4jUnavailable, ensure_neo4j_jars

if TYPE_CHECKING:
    from neo4j import Driver


def neo4j_unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it when CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Neo4j is required when CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_home() -> Path:
    """The directory whose lib/ holds the Neo4j jars (fetched on first use)."""
    try:
        return ensure_neo4j_jars().parent
    except Neo4jUnavailable as exc:
        neo4j_unavailable(str(exc))


@pytest.fixture(scope="session")
def neo4j_auth() -> tuple[str, str] | None:
    """Credentials for neo4j_uri: None (auth disabled) unless NEO4J_URI and NEO4J_USER are set."""
    user = os.environ.get("NEO4J_USER")
    if os.environ.get("NEO4J_URI") and user:
        return (user, os.environ.get("NEO4J_PASSWORD", ""))
    return None


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest) -> Iterator[str]:
    """A bolt URI: $NEO4J_URI, or a throwaway local server started for this session."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    home = request.getfixturevalue("neo4j_home")
    server = Neo4jServer(home)
    server.start()
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str, neo4j_auth: tuple[str, str] | None) -> Iterator[Driver]:
    """A driver on neo4j_uri, shared by the session."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_uri, auth=neo4j_auth) as driver:
        yield driver
