"""The batch trace page: a Sankey of where a batch's mass came from and went, with proofs."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.batches import Batch, BatchStatus
from zerowaste.domain.genealogy import Trace, TraceNode
from zerowaste.errors import NotAuthenticated, NotFound
from zerowaste.services.trace import RECEIPT_PATH
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.common import batch_label, firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

#: Sankey link values are rounded to grams.
GRAM = Decimal("0.001")
ROOT, ANCESTOR, DESCENDANT = "root", "ancestor", "descendant"
#: Where the `plotly.min.js` bundled with the `plotly` package is served.
PLOTLY_PREFIX = "/static/vendor/plotly"


def fate_label(t: Translator, name: str) -> str:
    """Return the label of a fate key such as `disposed:incineration` or `held:product`.

    Args:
        t: The translator of the page language.
        name: A key of `Trace.fates`.
    """
    head, _, detail = name.partition(":")
    if head == "disposed":
        return t("fate.disposed", method=t.enum("disposal", detail))
    if head == "held":
        return t("fate.held", kind=t.enum("output_kind", detail))
    return t(f"fate.{head}")


def _share(mass: Decimal, part: Decimal | None, whole: Decimal) -> Decimal:
    """`mass` scaled by the fraction `part / whole` of a batch's inflow that the trace carries."""
    if part is None or not whole:
        return Decimal(0)
    return mass * part / whole


class SankeyBuilder:
    """Collects the nodes and links of the Sankey the page script draws.

    Args:
        t: The translator of the page language.
        root: The application's root path, prefixed to node links.
    """

    def __init__(self, t: Translator, root: str) -> None:
        self.t = t
        self.root = root
        self.nodes: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        self.links: dict[tuple[int, int], Decimal] = {}

    def node(self, key: str, label: str, group: str, url: str = "") -> int:
        """Return the index of the node `key`, adding it on first use."""
        if key not in self.index:
            self.index[key] = len(self.nodes)
            self.nodes.append({"key": key, "label": label, "group": group, "url": url})
        return self.index[key]

    def batch(self, node: TraceNode, group: str) -> int:
        """Return the index of a batch node."""
        batch_id = node.batch.batch_id
        url = f"{self.root}/batches/{batch_id}"
        return self.node(str(batch_id), batch_label(self.t, node.batch), group, url)

    def link(self, source: int, target: int, mass: Decimal) -> None:
        """Add `mass` to the link from `source` to `target` (nothing for no mass)."""
        if mass > 0:
            key = (source, target)
            self.links[key] = self.links.get(key, Decimal(0)) + mass

    def document(self) -> dict[str, Any]:
        """Return the nodes and links as JSON-ready data (masses in kg, to the gram)."""
        links = [
            {"source": s, "target": d, "value": float(m.quantize(GRAM))}
            for (s, d), m in self.links.items()
            if m.quantize(GRAM) > 0
        ]
        return {"nodes": self.nodes, "links": links}


def _fate_links(builder: SankeyBuilder, node: TraceNode, source: int) -> None:
    """Link a batch to its fates, weighted by the share of the traced mass it carries."""
    b = node.balance

    def share(mass: Decimal) -> Decimal:
        return _share(mass, node.downstream_kg, b.inflow_kg)

    t = builder.t
    for disposal in node.facts.disposals:
        key = f"disposed:{disposal.method}"
        builder.link(source, builder.node(key, fate_label(t, key), "fate"), share(disposal.mass_kg))
    held = f"held:{node.batch.kind.value}"
    for key, mass in (
        (held, b.held_kg),
        ("in_transit", b.in_transit_kg),
        ("transformation_loss", b.loss_kg),
        ("weighing_gap", b.weighing_gap_kg),
        ("unaccounted", b.imbalance_kg),
    ):
        if share(mass) > 0:
            group = "unaccounted" if key == "unaccounted" else "fate"
            builder.link(source, builder.node(key, fate_label(t, key), group), share(mass))


def sankey(trace: Trace, t: Translator, root: str) -> dict[str, Any]:
    """Return the Sankey of a trace: upstream sources → batch → descendants → fates.

    Upstream links carry the mass each ancestor contributed to the traced batch; downstream
    links and fates carry the traced batch's mass only (a merge partner's share is left out).

    Args:
        trace: The batch's trace.
        t: The translator of the page language.
        root: The application's root path, prefixed to node links.
    """
    builder = SankeyBuilder(t, root)
    upstream = {trace.batch_id, *trace.ancestors}
    downstream = {trace.batch_id, *trace.descendants}
    for batch_id in (*reversed(trace.ancestors), trace.batch_id, *trace.descendants):
        group = (
            ROOT
            if batch_id == trace.batch_id
            else (ANCESTOR if batch_id in upstream else DESCENDANT)
        )
        builder.batch(trace.nodes[batch_id], group)
    for batch_id in upstream:
        child = trace.nodes[batch_id]
        for edge in child.parents:
            if edge.parent_id in upstream:
                source = builder.batch(trace.nodes[edge.parent_id], ANCESTOR)
                mass = _share(edge.mass_kg, child.upstream_kg, child.balance.inflow_kg)
                builder.link(source, builder.index[str(batch_id)], mass)
    for batch_id in (trace.batch_id, *trace.descendants):
        parent = trace.nodes[batch_id]
        source = builder.index[str(batch_id)]
        for edge in parent.children:
            if edge.child_id in downstream:
                mass = _share(edge.mass_kg, parent.downstream_kg, parent.balance.inflow_kg)
                builder.link(source, builder.index[str(edge.child_id)], mass)
        _fate_links(builder, parent, source)
    return builder.document()


class TracePage:
    """Builds the trace page of one batch for a signed-in party that may see it.

    Args:
        renderer: Renders the page; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context

    def _holder(self, batch: Batch, language: str) -> dict[str, str]:
        try:
            organization = self.context.organizations.get(batch.holder_id)
        except NotFound:
            return {"name": str(batch.holder_id), "id": str(batch.holder_id)}
        return {"name": firm_name(organization, language), "id": str(organization.id)}

    def _may_record(self, principal: Principal, batch: Batch) -> bool:
        """Whether the capture forms for this batch are offered (held, and the user's to act)."""
        if batch.status is not BatchStatus.HELD:
            return False
        try:
            holder = self.context.organizations.get(batch.holder_id)
        except NotFound:
            return False
        return principal.acts_for(holder.id, holder.region_code)

    def _site(self, batch: Batch) -> str | None:
        if batch.site_id is None:
            return None
        try:
            return self.context.sites.site(batch.site_id).name
        except NotFound:
            return str(batch.site_id)

    def render(self, request: Request, raw_id: str) -> HTMLResponse:
        """Render the trace of the batch a page path names.

        Raises:
            NotAuthenticated: Nobody is signed in.
            NotFound: No such batch.
            Forbidden: The signed-in user may not see the batch.
        """
        batch_id = path_id(raw_id, "batch_id")
        principal = self.renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to see a batch's trace")
        trace = self.context.trace.trace(principal, batch_id)
        t = self.renderer.translator(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        batch = trace.nodes[batch_id].batch
        upstream = set(trace.ancestors)
        order = (*reversed(trace.ancestors), batch_id, *trace.descendants)
        rows = []
        events: dict[uuid.UUID, dict[str, Any]] = {}
        for node_id in order:
            node = trace.nodes[node_id]
            role = ROOT if node_id == batch_id else ANCESTOR if node_id in upstream else DESCENDANT
            rows.append(
                {
                    "id": node_id,
                    "label": batch_label(t, node.batch),
                    "role": t(f"trace.role_{role}"),
                    "kind": t.enum("output_kind", node.batch.kind),
                    "status": t.enum("batch_status", node.batch.status),
                    "balance": node.balance,
                }
            )
            for ref in node.facts.events:
                entry = events.setdefault(
                    ref.event_id,
                    {
                        "id": ref.event_id,
                        "type": ref.event_type,
                        "leaf": ref.leaf_index,
                        "batches": [],
                        "receipt": root + RECEIPT_PATH.format(event_id=ref.event_id),
                        "correction": ref.correction,
                    },
                )
                entry["batches"].append(
                    {"id": node_id, "label": batch_label(t, node.batch), "role": ref.role}
                )
        chart = sankey(trace, t, root)
        chart["labels"] = {"unit": "kg", "title": t("trace.flow_label")}
        chart["fates"] = {
            name: format(mass.normalize() + 0, "f") for name, mass in trace.fates.items()
        }
        values = {
            "active": "",
            "batch": batch,
            "label": batch_label(t, batch),
            "kind": t.enum("output_kind", batch.kind),
            "status": t.enum("batch_status", batch.status),
            "holder": self._holder(batch, t.language),
            "site": self._site(batch),
            "fates": [(fate_label(t, name), mass) for name, mass in trace.fates.items()],
            "unaccounted": trace.unaccounted_kg,
            "imbalanced": len(trace.imbalanced),
            "tolerance": {
                "absolute": trace.tolerance.absolute_kg,
                "relative": f"{(trace.tolerance.relative * 100).normalize():f}%",
            },
            "rows": rows,
            "events": sorted(events.values(), key=lambda e: e["leaf"]),
            "chart": chart,
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
            "composition": batch.composition,
            "can_record": self._may_record(principal, batch),
        }
        return self.renderer.render(request, "trace.html", values)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the batch trace page.

    Args:
        renderer: Renders the page.
    """
    router = page_router(renderer)
    page = TracePage(renderer)

    @router.get("/batches/{batch_id}", response_class=HTMLResponse)
    def batch_trace(request: Request, batch_id: str) -> HTMLResponse:
        """A batch's facts, mass flow, balance report and the receipts of its events."""
        return page.render(request, batch_id)

    return router
