"""Checks of signed event submissions before capture: shape, signer, signature, site and codes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import SigningKey
from zerowaste.domain.event_documents import parse_event
from zerowaste.domain.events import BatchOutput, EventType, WasteEvent
from zerowaste.domain.inspections import may_sign_inspection
from zerowaste.domain.organizations import Organization
from zerowaste.domain.sites import Site
from zerowaste.errors import (
    EventInFuture,
    Forbidden,
    InspectionNotAllowed,
    InvalidInput,
    NotFound,
    SignatureInvalid,
    SigningKeyNotValid,
    SiteNotOfOrganization,
    UnknownOrganization,
    UnknownSite,
    UnknownWasteCode,
    ZeroWasteError,
)
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.signatures import Signature, verify
from zerowaste.services.catalog import CatalogService

#: A general industrial solid waste class (一般工业固体废物, `SW01`..`SW59`), not a HW code.
GENERAL_SOLID_WASTE_CLASS = re.compile(r"^SW\d{2}$", re.IGNORECASE)
#: How far ahead of the platform clock an event time may be (clients' clocks drift).
MAX_CLOCK_SKEW = timedelta(minutes=5)

_DOMAIN_TO_DOCUMENT = (
    (re.compile(r"^((?:inputs|outputs)\[\d+\]|corrected_mass)\.batch_id$"), r"\1.batch"),
    (re.compile(r"^((?:inputs|outputs|counted)\[\d+\]|corrected_mass)\.mass_kg$"), r"\1.quantity"),
    (re.compile(r"^declared_loss_kg$"), "declared_loss.quantity"),
)


@dataclass(frozen=True)
class Parsed:
    """A submission whose document parsed: the event, the document as sent and its signature."""

    index: int
    event: WasteEvent
    document: Mapping[str, Any]
    canonical: bytes
    signature: Signature


def _document_field(field: str) -> str:
    for pattern, replacement in _DOMAIN_TO_DOCUMENT:
        field = pattern.sub(replacement, field)
    return field


class SubmissionFields:
    """Prefix the field of any product error with the submission's path, e.g. `events[2].event`.

    Args:
        index: The submission's position in the request.
        part: The member of the submission the errors are about (`event`, or `` for the
            submission itself, whose errors already name `signature...`).
    """

    __slots__ = ("index", "part")

    def __init__(self, index: int, part: str = "event") -> None:
        self.index = index
        self.part = part

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, traceback: object) -> None:
        if isinstance(exc, ZeroWasteError):
            raise prefixed(exc, self.index, self.part) from exc


def prefixed(exc: ZeroWasteError, index: int, part: str = "event") -> ZeroWasteError:
    """The same error with its field under submission `index` (see `SubmissionFields`)."""
    base = f"events[{index}]" + (f".{part}" if part else "")
    inner = None if exc.field in (None, "$") else _document_field(exc.field)
    return type(exc)(exc.detail, field=base if inner is None else f"{base}.{inner}")


def parse_submission(index: int, submission: Any) -> Parsed:
    """Parse `{"event": {...}, "signature": {...}}`; errors name `events[index]...`.

    Raises:
        InvalidInput: The submission, its event document or its signature is malformed.
    """
    if not isinstance(submission, Mapping) or set(submission) != {"event", "signature"}:
        raise InvalidInput("expected {event, signature}", field=f"events[{index}]")
    document = submission["event"]
    with SubmissionFields(index):
        event = parse_event(document)
        canonical = canonical_json(document)
    with SubmissionFields(index, ""):
        signature = Signature.from_json(submission["signature"], field="signature")
        signer_key_id(signature)
    return Parsed(index, event, document, canonical, signature)


def signer_key_id(signature: Signature) -> uuid.UUID:
    """The registered key id a signature names; `InvalidInput` if it is not a UUID."""
    try:
        return uuid.UUID(signature.key_id)
    except ValueError:
        raise InvalidInput("must be a signing key's UUID", field="signature.key_id") from None


def acting_organization(
    uow: UnitOfWork, actor: Principal, organization_id: uuid.UUID
) -> Organization:
    """The event's organization, if registered and the actor acts for it (fields unprefixed)."""
    return require_acting(actor, organization_id, uow.organizations.get(organization_id))


def require_acting(
    actor: Principal, organization_id: uuid.UUID, organization: Organization | None
) -> Organization:
    """The organization looked up for `organization_id`, if registered and `actor` acts for it.

    Raises:
        UnknownOrganization: It is not registered (`organization` is None).
        Forbidden: The actor does not act for it.
    """
    if organization is None:
        raise UnknownOrganization(f"no organization {organization_id}", field="organization_id")
    if not actor.acts_for(organization.id, organization.region_code):
        raise Forbidden("you do not act for this organization", field="organization_id")
    return organization


class SubmissionChecker:
    """Checks parsed submissions against the registry and catalog in force at the event time."""

    def __init__(
        self,
        uow: UnitOfWork,
        catalog: CatalogService,
        now: datetime,
        skew: timedelta = MAX_CLOCK_SKEW,
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._now = now
        self._skew = skew
        # Per-request caches: a batch of events names few organizations, sites and keys.
        self._keys: dict[uuid.UUID, SigningKey | None] = {}
        self._organizations: dict[uuid.UUID, Organization | None] = {}
        self._sites: dict[uuid.UUID, Site | None] = {}

    def _organization(self, organization_id: uuid.UUID) -> Organization | None:
        if organization_id not in self._organizations:
            found = self._uow.organizations.get(organization_id)
            self._organizations[organization_id] = found
        return self._organizations[organization_id]

    def _site(self, site_id: uuid.UUID) -> Site | None:
        if site_id not in self._sites:
            self._sites[site_id] = self._uow.sites.get(site_id)
        return self._sites[site_id]

    def check(self, actor: Principal, parsed: Parsed) -> tuple[WasteEvent, SigningKey]:
        """The event (waste codes normalized) and its signer key, or the first error, named."""
        key = self.signer(actor, parsed)
        with SubmissionFields(parsed.index, ""):
            try:
                verify(parsed.signature, key.public_key, parsed.canonical)
            except SignatureInvalid as exc:
                raise SignatureInvalid(exc.detail, field="signature.value") from None
        return self.registry_facts(parsed), key

    def signer(self, actor: Principal, parsed: Parsed) -> SigningKey:
        """The checks before the signature: event time, acting organization and signer key.

        Returns:
            The registered key the signature must verify under (not verified here).
        """
        event = parsed.event
        with SubmissionFields(parsed.index):
            if event.event_time > self._now + self._skew:
                raise EventInFuture(
                    f"{event.event_time.isoformat()} is after now ({self._now.isoformat()})",
                    field="event_time",
                )
            organization_id = event.organization_id
            require_acting(actor, organization_id, self._organization(organization_id))
        with SubmissionFields(parsed.index, ""):
            return self._signer(parsed.signature, event)

    def registry_facts(self, parsed: Parsed) -> WasteEvent:
        """The checks after the signature: sites and waste codes; the codes normalized."""
        with SubmissionFields(parsed.index):
            self._check_sites(parsed.event)
            return self._normalized_codes(parsed.event)

    def _signer(self, signature: Signature, event: WasteEvent) -> SigningKey:
        key_id = signer_key_id(signature)
        if key_id not in self._keys:
            self._keys[key_id] = self._uow.signing_keys.get(key_id)
        key = self._keys[key_id]
        field = "signature.key_id"
        if key is None or key.organization_id != event.organization_id:
            raise SigningKeyNotValid(f"no key {key_id} of the event's organization", field=field)
        if not key.valid_at(event.event_time):
            raise SigningKeyNotValid(f"key {key_id} was not valid at the event time", field=field)
        if not key.valid_at(self._now):
            raise SigningKeyNotValid(f"key {key_id} is retired or expired", field=field)
        return key

    def _check_sites(self, event: WasteEvent) -> None:
        if event.site_id is not None:
            site = self._site(event.site_id)
            if site is None:
                raise UnknownSite(f"no site {event.site_id}", field="site_id")
            if site.organization_id != event.organization_id:
                if event.event_type is EventType.INSPECTED:
                    signer = self._uow.organizations.get(event.organization_id)
                    if not may_sign_inspection(signer, site):
                        raise InspectionNotAllowed(
                            "neither the site's firm nor a regulator over its region",
                            field="site_id",
                        )
                else:
                    raise SiteNotOfOrganization(
                        f"site {event.site_id} belongs to another organization", field="site_id"
                    )
        self._check_destination(event)

    def _check_destination(self, event: WasteEvent) -> None:
        destination = event.destination_site_id
        if destination is not None and self._site(destination) is None:
            raise UnknownSite(f"no site {event.destination_site_id}", field="destination_site_id")

    def _normalized_codes(self, event: WasteEvent) -> WasteEvent:
        day = event.event_time.date()
        outputs = []
        for index, output in enumerate(event.outputs):
            if output.waste_code is None:
                outputs.append(output)
                continue
            field = f"outputs[{index}].waste_code"
            if GENERAL_SOLID_WASTE_CLASS.match(output.waste_code):
                outputs.append(self._general_class(output, field))
                continue
            code = self._catalog.validate_code_or_category(output.waste_code, day, field)
            try:
                self._catalog.get(code, day)
            except NotFound:
                raise UnknownWasteCode(
                    f"{code} is a category; a batch carries a full waste code", field=field
                ) from None
            outputs.append(
                output if code == output.waste_code else replace(output, waste_code=code)
            )
        counted = []
        for i, count in enumerate(event.counted):
            code = self._full_code(count.waste_code, day, f"counted[{i}].waste_code")
            counted.append(count if code == count.waste_code else replace(count, waste_code=code))
        unchanged = all(a is b for a, b in zip(outputs, event.outputs, strict=True))
        if unchanged and all(a is b for a, b in zip(counted, event.counted, strict=True)):
            return event
        return replace(event, outputs=tuple(outputs), counted=tuple(counted))

    def _full_code(self, raw: str, day: date, field: str) -> str:
        code = self._catalog.validate_code_or_category(raw, day, field)
        try:
            self._catalog.get(code, day)
        except NotFound:
            raise UnknownWasteCode(f"{code} is a category, not a full code", field=field) from None
        return code

    def _general_class(self, output: BatchOutput, field: str) -> BatchOutput:
        """A general industrial solid waste output: its class (`SW02`) must be in the catalog."""
        assert output.waste_code is not None
        try:
            found = self._catalog.solid_waste_class(output.waste_code)
        except NotFound:
            raise UnknownWasteCode(
                f"{output.waste_code} is not a general solid waste class", field=field
            ) from None
        return output if found.code == output.waste_code else replace(output, waste_code=found.code)
