"""The database adapter: SQLAlchemy Core tables, repositories, unit of work, migrations."""
