"""The firm desk's batch lists: held, in transit and done, and each site's inventory."""

from __future__ import annotations

from typing import Any

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.batches import Batch, BatchStatus
from zerowaste.domain.composition import Composition
from zerowaste.domain.organizations import Organization
from zerowaste.domain.sites import Site
from zerowaste.web.capture_documents import CaptureKind
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.common import batch_label

#: Inspections shown per site on the firm page (the API lists more).
INSPECTIONS_SHOWN = 5
GROUPS = {
    BatchStatus.HELD: "held",
    BatchStatus.IN_TRANSIT: "in_transit",
    BatchStatus.CONSUMED: "done",
    BatchStatus.DISPOSED: "done",
}


def composition_text(composition: Composition | None) -> str:
    """A short summary of a lab composition, such as `Fe 0.62 · SiO2 0.1`."""
    if composition is None:
        return ""
    return " · ".join(f"{name} {format(value, 'f')}" for name, value in composition.fractions)


def _batch_row(t: Translator, batch: Batch, sites: dict[Any, Site]) -> dict[str, Any]:
    site = sites.get(batch.site_id) if batch.site_id else None
    return {
        "id": batch.batch_id,
        "label": batch_label(t, batch),
        "kind": t.enum("output_kind", batch.kind),
        "status": t.enum("batch_status", batch.status),
        "mass_kg": batch.mass_kg,
        "site": site.name if site else "",
        "since": batch.stored_since.date().isoformat(),
        "composition": composition_text(batch.composition),
    }


def holdings_view(
    context: Context,
    principal: Principal,
    organization: Organization,
    sites: list[Site],
    t: Translator,
) -> dict[str, Any]:
    """The firm's batches by group, each site's inventory and latest inspections.

    Args:
        context: The application context.
        principal: Who looks (acts for the firm: checked by the caller and the services).
        organization: The firm.
        sites: The firm's sites.
        t: The translator of the page language.
    """
    by_id = {s.id: s for s in sites}
    groups: dict[str, list[dict[str, Any]]] = {"held": [], "in_transit": [], "done": []}
    for batch in context.holdings.batches(principal, organization.id):
        groups[GROUPS[batch.status]].append(_batch_row(t, batch, by_id))
    inventories = []
    for site in sites:
        lines = context.capture.inventory(principal, site.id)
        inspections = context.findings.inspections(principal, site.id)[:INSPECTIONS_SHOWN]
        inventories.append({"site": site, "lines": lines, "inspections": inspections})
    return {
        "groups": groups,
        "inventories": inventories,
        "kinds": [k.value for k in CaptureKind],
    }
