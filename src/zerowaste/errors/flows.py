"""Errors of material-flow analysis: ill-formed systems and reconciliations that cannot close."""

from __future__ import annotations

from zerowaste.errors.base import InvalidInput


class FlowSystemInvalid(InvalidInput):
    """A material-flow system is ill-formed (unknown process, duplicate flow, bad uncertainty)."""

    title = "Flow system invalid"


class ReconciliationNotPossible(InvalidInput):
    """The balances cannot be closed: unknown flows are not determinable, or constraints clash."""

    title = "Reconciliation not possible"
