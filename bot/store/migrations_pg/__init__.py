"""PostgreSQL migrations: one file per SQLite migration, same version and name.

The schemas must match (tests/test_pg_schema.py compares them); only the dialect differs:
identity ids, to_char(now()) defaults, regex CHECKs, DOUBLE PRECISION coordinates.
"""
