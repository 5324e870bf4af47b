"""The public material-flow page of a region: Sankey, reconciliation table, χ², substances."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.bootstrap import Context
from zerowaste.errors import NotFound
from zerowaste.flows.balance import VariableKind
from zerowaste.flows.reconcile import DEFAULT_ALPHA, Reconciliation
from zerowaste.flows.sankey import EXPORTS, IMPORTS, Sankey
from zerowaste.flows.substances import SUBSTANCES
from zerowaste.flows.system import ENVIRONMENT
from zerowaste.services.flows import check_substance, period_or_this_year
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

GOODS = "goods"


class FlowPage:
    """Builds the material-flow page of a region."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context

    def process_label(self, t: Translator, process_id: str) -> str:
        """A process's label in the page language (sectors with their division's name)."""
        if process_id in (IMPORTS, EXPORTS):
            return t("flows.process." + ("imports" if process_id == IMPORTS else "exports"))
        if process_id.startswith("stock:"):
            return t("flows.stock_of", process=self.process_label(t, process_id[6:]))
        if process_id.startswith("sector:"):
            code = process_id[7:]
            try:
                name = self.context.registry.industry(code).name_zh
            except NotFound:
                name = ""
            return t("flows.sector", code=code, name=name)
        return t("flows.process." + process_id)

    def flow_label(self, t: Translator, variable_id: str) -> str:
        """A flow's (or stock change's) label in the page language."""
        head, _, code = variable_id.partition(":")
        if head == "stock":
            return t("flows.flow.stock", code=self.process_label(t, code))
        return t("flows.flow." + head, code=code)

    def chart(self, t: Translator, picture: Sankey) -> dict[str, Any]:
        """The Sankey as the page script reads it."""
        return {
            "unit": picture.unit,
            "nodes": [
                {"id": n.node_id, "label": self.process_label(t, n.node_id)} for n in picture.nodes
            ],
            "links": [
                {
                    "source": link.source,
                    "target": link.target,
                    "value": link.value,
                    "label": self.flow_label(t, link.variable_id),
                    "measured": link.measured,
                    "sd": link.sd,
                    "suspect": link.suspect,
                }
                for link in picture.links
            ],
            "text": {
                "measured": t("flows.measured"),
                "reconciled": t("flows.reconciled"),
                "sd": t("flows.sd"),
                "unknown": t("flows.unknown"),
                "suspect": t("flows.suspect"),
            },
        }

    def rows(self, t: Translator, result: Reconciliation) -> list[dict[str, Any]]:
        """The reconciliation table rows."""
        ends = {f.flow_id: (f.source, f.target) for f in result.system.flows}
        rows = []
        for v in result.variables:
            if v.kind is VariableKind.FLOW:
                source, target = ends[v.variable_id]
                src = IMPORTS if source == ENVIRONMENT else source
                dst = EXPORTS if target == ENVIRONMENT else target
                where = (self.process_label(t, src), self.process_label(t, dst))
            else:
                where = (self.process_label(t, v.variable_id[6:]), t("flows.stock_change"))
            if v.suspect:
                status = "suspect"
            elif not v.determinable:
                status = "undetermined"
            elif v.is_unknown:
                status = "unknown"
            elif not v.redundant:
                status = "not_redundant"
            else:
                status = "ok"
            rows.append(
                {"id": v.variable_id, "label": self.flow_label(t, v.variable_id), "from": where[0],
                 "to": where[1], "v": v, "status": status}
            )  # fmt: skip
        return rows

    def render(
        self,
        request: Request,
        region: str,
        period_text: str | None,
        substance: str | None,
        alpha: float,
    ) -> HTMLResponse:
        """Render the region's page; `substance` None shows the goods (waste) layer."""
        t = self.renderer.translator(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        period = period_or_this_year(period_text or None, self.context.clock())
        service = self.context.flows
        if substance and substance != GOODS:
            found = service.substances(region, period, check_substance(substance), alpha=alpha)
            flows, result, picture = found.flows, found.layer.reconciliation, found.sankey
            unit = "t " + found.layer.substance
        else:
            found = None
            flows = service.city(region, period, alpha=alpha)
            result, picture, unit = flows.reconciliation, flows.sankey, "t"
        chi = result.chi_square
        u = flows.uncertainties
        substance_view = None
        if found is not None:
            substance_view = {
                "coverage": [
                    (self.flow_label(t, k), found.concentrations.get(k), c)
                    for k, c in found.coverage.items()
                ],
                "balances": [
                    (
                        self.process_label(t, b.process_id),
                        b,
                        [(self.flow_label(t, k), v) for k, v in b.transfer.items()],
                    )
                    for b in found.layer.balances
                ],
                "rows": found.rows,
            }
        api = f"{root}/api/v1/flows/{flows.region.code}"
        if found is not None:
            api += f"/substances?period={period.label}&substance={found.layer.substance}"
        else:
            api += f"?period={period.label}"
        values = {
            "active": "cities",
            "region": flows.region,
            "period": period.label,
            "substance": substance if substance in SUBSTANCES else GOODS,
            "substances": (GOODS, *SUBSTANCES),
            "alpha": alpha,
            "unit": unit,
            "chart": self.chart(t, picture),
            "rows": self.rows(t, result),
            "chi": chi,
            "critical": chi.critical_value,
            "measurement_critical": result.measurement_critical_value,
            "suspects": [self.flow_label(t, v.variable_id) for v in result.suspects],
            "counts": sorted(flows.city.counts.items()),
            "uncertainties": [(f.name, getattr(u, f.name)) for f in fields(u)],
            "substance_view": substance_view,
            "api": api,
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
        }
        return self.renderer.render(request, "flows.html", values)


def build_router(renderer: PageRenderer) -> APIRouter:
    """The router of the material-flow page."""
    router = page_router(renderer)
    page = FlowPage(renderer)

    @router.get("/flows/{region}", response_class=HTMLResponse)
    def region_flows(
        request: Request,
        region: str,
        period: str | None = None,
        substance: str | None = None,
        alpha: float = DEFAULT_ALPHA,
    ) -> HTMLResponse:
        """A region's material flows: Sankey, reconciliation, χ² verdict, substance layer."""
        return page.render(request, region, period, substance, alpha)

    return router
