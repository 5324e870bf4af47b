"""ZeroWaste Chain (无废链): zero-waste supply chains and cities, from waste batch to indicator."""

__version__ = "0.1.0"
