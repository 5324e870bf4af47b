"""Pure life-cycle engine: sparse matrix LCA, contributions and Monte Carlo (no I/O, no DB)."""
