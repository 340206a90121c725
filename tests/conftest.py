"""Shared pytest setup for tests/ (markers are registered in pyproject.toml)."""

# neo4j_uri, neo4j_auth, neo4j_driver and neo4j_home: a real Neo4j, see tests/neo4j_fixture.py.
pytest_plugins = ["neo4j_fixture"]
