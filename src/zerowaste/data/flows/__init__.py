"""Material-flow data: typical heavy-metal concentrations of residues, by waste code or class."""
