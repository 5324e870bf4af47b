"""Market data: default disposal routes and costs, freight rates, carbon price (see SOURCES.md)."""
