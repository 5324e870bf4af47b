"""Pure carbon accounting: avoided and inventory emissions of waste flows (no I/O, no DB)."""
