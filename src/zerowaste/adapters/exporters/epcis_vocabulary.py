"""The EPCIS 2.0 / CBV 2.0 terms the export uses, and the project's own CBV-extension URIs.

Standard values are the CBV 2.0 bare words (`shipping`, `in_transit`, `owning_party`) that the
EPCIS JSON-LD context expands to `https://ref.gs1.org/cbv/...`. Where CBV has no term for a
waste fact, the project mints a URN under `urn:zerowaste:` (never under the reserved
`urn:epcglobal:cbv:` or `https://ns.gs1.org/cbv/` spaces), and extension members use the `zw:`
prefix, bound in every exported `@context` to `ZW_NAMESPACE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from zerowaste.domain.events import EventType

#: The standard EPCIS 2.0 JSON-LD context, referenced by URL (never fetched by the product).
EPCIS_CONTEXT_URL: Final = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
#: The JSON-LD prefix of the project's extension members (`zw:wasteCode`, ...).
ZW_PREFIX: Final = "zw"
#: What `zw:` expands to: `zw:wasteCode` is the IRI `urn:zerowaste:epcis:wasteCode`.
ZW_NAMESPACE: Final = "urn:zerowaste:epcis:"
#: The schema version every exported document declares.
SCHEMA_VERSION: Final = "2.0"

# CBV 2.0 business steps (bare words, as the EPCIS JSON schema enumerates them).
COMMISSIONING: Final = "commissioning"
STORING: Final = "storing"
SHIPPING: Final = "shipping"
RECEIVING: Final = "receiving"
DESTROYING: Final = "destroying"
INSPECTING: Final = "inspecting"

# Business steps CBV 2.0 lacks: dividing and pooling bulk lots, and utilization (综合利用).
SPLITTING: Final = "urn:zerowaste:bizstep:splitting"
MERGING: Final = "urn:zerowaste:bizstep:merging"
UTILIZING: Final = "urn:zerowaste:bizstep:utilizing"

# CBV 2.0 dispositions.
ACTIVE: Final = "active"
IN_TRANSIT: Final = "in_transit"
IN_PROGRESS: Final = "in_progress"
DESTROYED: Final = "destroyed"

# Business transaction types: the 转移联单 and the chain master's contract are not CBV `bol`,
# `desadv` or `po` documents, so they carry the project's own type URIs.
TRANSFER_MANIFEST: Final = "urn:zerowaste:btt:transfer_manifest"
CONTRACT: Final = "urn:zerowaste:btt:contract"

# CBV 2.0 source/destination types.
OWNING_PARTY: Final = "owning_party"
POSSESSING_PARTY: Final = "possessing_party"
LOCATION: Final = "location"

#: CBV 2.0 error reason used for every `corrected` event (the original stays; data were wrong).
INCORRECT_DATA: Final = "incorrect_data"


@dataclass(frozen=True, slots=True)
class EventShape:
    """The EPCIS event type, action, business step and disposition of one waste event type."""

    epcis_type: str
    action: str | None
    biz_step: str
    disposition: str | None


#: How each waste event type maps (`corrected` re-exports the event it corrects, see epcis.py).
SHAPES: Final[dict[EventType, EventShape]] = {
    EventType.GENERATED: EventShape("ObjectEvent", "ADD", COMMISSIONING, ACTIVE),
    EventType.STORED: EventShape("ObjectEvent", "OBSERVE", STORING, None),
    EventType.SHIPPED: EventShape("ObjectEvent", "OBSERVE", SHIPPING, IN_TRANSIT),
    EventType.RECEIVED: EventShape("ObjectEvent", "OBSERVE", RECEIVING, IN_PROGRESS),
    EventType.SPLIT: EventShape("TransformationEvent", None, SPLITTING, None),
    EventType.MERGED: EventShape("TransformationEvent", None, MERGING, None),
    EventType.TRANSFORMED: EventShape("TransformationEvent", None, UTILIZING, None),
    EventType.DISPOSED: EventShape("ObjectEvent", "DELETE", DESTROYING, DESTROYED),
    EventType.INSPECTED: EventShape("ObjectEvent", "OBSERVE", INSPECTING, None),
}


def zw(term: str) -> str:
    """The compact IRI of a project extension member, e.g. `zw("wasteCode")` -> `zw:wasteCode`."""
    return f"{ZW_PREFIX}:{term}"


def json_ld_context() -> list[str | dict[str, str]]:
    """A fresh `@context` value: the standard EPCIS context plus the `zw` prefix binding."""
    return [EPCIS_CONTEXT_URL, {ZW_PREFIX: ZW_NAMESPACE}]
