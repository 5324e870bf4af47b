"""Alembic migrations of the ZeroWaste Chain schema."""
