"""The indicator registry and the city targets (`registry.csv`, `targets.csv`; SOURCES.md)."""
