"""Frozen dataclasses and invariants; no frameworks, no I/O."""
