"""Errors of the oversight desk: alerts, the whitelist and inspection plans."""

from __future__ import annotations

from zerowaste.errors.base import Conflict


class AlertStateConflict(Conflict):
    """The alert's state does not allow the step (acknowledge a resolved alert, close twice)."""

    title = "Alert state conflict"


class WhitelistStateConflict(Conflict):
    """Admitting a firm already on the whitelist, or removing one that is not on it."""

    title = "Whitelist state conflict"


class NotWhitelistCandidate(Conflict):
    """Admitting a firm that fails a whitelist criterion (they are named)."""

    title = "Not a whitelist candidate"


class NoInspectors(Conflict):
    """An inspection plan's jurisdiction has no active regulator user to draw as inspector."""

    title = "No inspectors"


class PlanAlreadyPublished(Conflict):
    """Publishing an inspection plan that is public already."""

    title = "Plan already published"
