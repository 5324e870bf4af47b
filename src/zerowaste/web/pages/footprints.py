"""Product carbon footprint pages: the public list, one footprint, one product system's tree."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.footprints import FootprintStatus, ProductFootprint
from zerowaste.services.footprints import by_supplier
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Footprints shown on the list page.
LIST_LIMIT = 200


def _plain(value: Decimal, places: int = 3) -> str:
    return f"{value:,.{places}f}"


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


class FootprintPages:
    """Builds the footprint pages from the footprint service."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.service = renderer.context.footprints

    def _row(self, f: ProductFootprint) -> dict[str, Any]:
        low, high = f.interval_95_kg
        return {
            "id": f.id,
            "product": f.product_name,
            "company": f.company_name,
            "organization_id": f.organization_id,
            "version": f.version,
            "status": f.status.value,
            "value": _plain(f.pcf_excluding_biogenic_uptake_kg),
            "per": f"{f.unit_amount.normalize():f} {f.declared_unit}",
            "interval": f"{_plain(low)}–{_plain(high)}",
            "created": f.created.date().isoformat(),
        }

    def list(self, request: Request) -> HTMLResponse:
        """Every active footprint (public)."""
        found = self.service.footprints(status=FootprintStatus.ACTIVE, limit=LIST_LIMIT)
        values = {"active": "carbon", "rows": [self._row(f) for f in found]}
        return self.renderer.render(request, "footprints.html", values)

    def footprint(self, request: Request, footprint_id: uuid.UUID) -> HTMLResponse:
        """One footprint: headline, interval, contributions charted, ISO 14067 fields, factors."""
        t = self.renderer.translator(request)
        f = self.service.footprint(footprint_id)
        total = f.pcf_excluding_biogenic_uptake_kg
        names = self.service.organization_names(
            {c.organization_id for c in f.contributions if c.organization_id}
        )
        processes = [
            {
                "label": c.label,
                "value": _plain(c.co2e_kg),
                "share": _share(c.co2e_kg, total),
                "raw": float(c.co2e_kg),
                "organization_id": c.organization_id,
            }
            for c in f.contributions
        ]
        suppliers = [
            {
                "label": names.get(k, str(k)) if k else "—",
                "value": _plain(v),
                "share": _share(v, total),
                "raw": float(v),
                "organization_id": k,
            }
            for k, v in by_supplier(f).items()
        ]
        low, high = f.interval_95_kg
        root = str(request.scope.get("root_path", "")).rstrip("/")
        fields = [
            (t("pcf.declared_unit"), f"{f.unit_amount.normalize():f} {f.declared_unit}"),
            (t("pcf.mass"), f"{f.product_mass_per_unit_kg.normalize():f} kg"),
            (t("pcf.boundary"), f.boundary),
            (
                t("pcf.period"),
                f"{f.reference_period_start.date()} – {f.reference_period_end.date()}",
            ),
            (t("pcf.geography"), f.geography_region_code),
            (t("pcf.fossil"), f"{_plain(f.fossil_ghg_kg)} kg CO₂e"),
            (t("pcf.biogenic"), f"{_plain(f.biogenic_ghg_kg)} kg CO₂e"),
            (t("pcf.luc"), f"{_plain(f.land_use_change_kg)} kg CO₂e"),
            (t("pcf.allocation"), f.allocation.value),
            (t("pcf.recycled"), f"{f.recycled_content_share * 100:.1f}%"),
            (t("pcf.primary"), f"{f.primary_data_share * 100:.1f}%"),
            (t("pcf.characterization"), f"IPCC {f.characterization} GWP100"),
            (t("pcf.standards"), "; ".join(f.standards)),
            (t("pcf.version"), f"{f.version} ({t('pcf.status.' + f.status.value)})"),
        ]
        chart = {
            "unit": "kg CO₂e",
            "process": {
                "labels": [p["label"] for p in processes],
                "values": [p["raw"] for p in processes],
            },
            "supplier": {
                "labels": [s["label"] for s in suppliers],
                "values": [s["raw"] for s in suppliers],
            },
        }
        values = {
            "active": "carbon",
            "f": f,
            "headline": t("pcf.headline", value=_plain(total), unit=fields[0][1]),
            "interval": t("pcf.interval_text", low=_plain(low), high=_plain(high)),
            "processes": processes,
            "suppliers": suppliers,
            "fields": fields,
            "chart": chart,
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
        }
        return self.renderer.render(request, "footprint.html", values)

    def system(self, request: Request, system_id: uuid.UUID) -> HTMLResponse:
        """A product system's process tree, ledger-linked exchanges marked (public)."""
        t = self.renderer.translator(request)
        tree = self.service.tree(system_id)
        owners = self.service.organization_names({p.organization_id for p in tree.processes})
        names = {p.id: p.name for p in tree.processes}
        units: dict[uuid.UUID | None, str] = {p.id: p.unit for p in tree.processes}
        processes = [
            {
                "id": p.id,
                "name": p.name,
                "owner": owners.get(p.organization_id, str(p.organization_id)),
                "organization_id": p.organization_id,
                "reference": f"{p.reference_amount.normalize():f} {p.unit} {p.reference_product}",
                "co_products": [
                    f"{c.amount.normalize():f} {c.unit} {c.name}" for c in p.co_products
                ],
                "exchanges": [
                    {
                        "kind": t(f"pcf.kind.{x.kind.value}"),
                        "amount": f"{x.amount.normalize():f} {units.get(source, x.unit)}".strip(),
                        "subject": names.get(x.source_process_id, str(x.source_process_id))
                        if x.source_process_id
                        else " ".join(v for v in (x.subject, x.route, x.waste_code) if v)
                        or t("pcf.grid", region=p.region_code),
                        "source_id": x.source_process_id,
                        "from_ledger": x.from_ledger,
                    }
                    for x in p.exchanges
                    for source in (x.source_process_id,)
                ],
            }
            for p in tree.processes
        ]
        found = self.service.footprints(product_id=tree.system.product_id, status=None)
        values = {
            "active": "carbon",
            "system": tree.system,
            "processes": processes,
            "footprints": [self._row(f) for f in found],
        }
        return self.renderer.render(request, "product_system.html", values)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the footprint pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    pages = FootprintPages(renderer)

    @router.get("/carbon/footprints", response_class=HTMLResponse)
    def footprint_list(request: Request) -> HTMLResponse:
        """Active footprints."""
        return pages.list(request)

    @router.get("/carbon/footprints/{footprint_id}", response_class=HTMLResponse)
    def footprint(request: Request, footprint_id: uuid.UUID) -> HTMLResponse:
        """One footprint."""
        return pages.footprint(request, footprint_id)

    @router.get("/carbon/product-systems/{system_id}", response_class=HTMLResponse)
    def product_system(request: Request, system_id: uuid.UUID) -> HTMLResponse:
        """One product system's process tree."""
        return pages.system(request, system_id)

    return router
