"""Optimization engines: resource matching (and later routing and siting); no I/O, no frameworks."""
