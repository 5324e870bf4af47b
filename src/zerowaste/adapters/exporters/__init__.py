"""Exporters: the ledger's events written in other standards' formats (EPCIS 2.0)."""
