"""The packaged default emission-factor dataset (CSV files; sources in SOURCES.md)."""
