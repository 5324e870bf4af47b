"""Package data: reference tables and catalogs, each with its source."""
