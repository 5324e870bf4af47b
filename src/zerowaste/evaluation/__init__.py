"""Evaluation engines: panel models, mediation, event studies, forecasts and scenarios."""
