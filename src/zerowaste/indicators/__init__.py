"""Indicator engines: the registry's formulas, supplier scoring (entropy-weight TOPSIS)."""
