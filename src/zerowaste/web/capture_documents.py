"""Capture forms turned into unsigned `zerowaste.event/1` documents, and errors back to fields."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from zerowaste.domain.batches import Batch
from zerowaste.domain.events import DisposalMethod, OutputKind
from zerowaste.domain.ids import urn
from zerowaste.domain.quantities import parse_decimal
from zerowaste.errors import ZeroWasteError
from zerowaste.web.forms import FieldError, Form

#: Times typed without an offset are China Standard Time (UTC+8, no daylight saving).
CHINA_TIME = timezone(timedelta(hours=8))
UNITS = ("KGM", "TNE", "LTR", "MTQ")
COMPOSITION_FIELDS = ("composition", "comp_method", "comp_lab", "comp_sampled_on")
_LINE = re.compile(r"^\s*([^=：:]+?)\s*[=：:]\s*(\S+)\s*$")


class CaptureKind(StrEnum):
    """The capture forms of the firm desk, one per event a web user records."""

    GENERATE = "generate"
    STORE = "store"
    SPLIT = "split"
    TRANSFORM = "transform"
    DISPOSE = "dispose"
    INSPECT = "inspect"
    CORRECT = "correct"


#: The fields of each form (every form also has `event_time` and `note`).
FIELDS: dict[CaptureKind, tuple[str, ...]] = {
    CaptureKind.GENERATE: (
        "site_id",
        "waste_code",
        "quantity",
        "unit",
        "description",
        *COMPOSITION_FIELDS,
    ),
    CaptureKind.STORE: ("batch_id", "site_id", *COMPOSITION_FIELDS),
    CaptureKind.SPLIT: ("batch_id", "quantities", "unit"),
    CaptureKind.TRANSFORM: (
        "batch_id",
        "quantity",
        "unit",
        "output_kind",
        "output_quantity",
        "output_description",
        "residue_quantity",
        "loss",
    ),
    CaptureKind.DISPOSE: ("batch_id", "quantity", "unit", "disposal_method"),
    CaptureKind.INSPECT: ("site_id", "counts", "unit", "conditions"),
    CaptureKind.CORRECT: ("corrects_event_id", "batch_id", "quantity", "unit"),
}

#: Document paths (after `events[0].event.`) shown on a form field, first match wins.
_COMMON_PATHS: tuple[tuple[str, str], ...] = (
    (r"^event_time", "event_time"),
    (r"^note", "note"),
    (r"^site_id", "site_id"),
    (r"^(outputs\[\d+\]\.)?composition", "composition"),
)
_PATHS: dict[CaptureKind, tuple[tuple[str, str], ...]] = {
    CaptureKind.GENERATE: (
        (r"^outputs\[0\]\.waste_code", "waste_code"),
        (r"^outputs\[0\]\.unit", "unit"),
        (r"^outputs", "quantity"),
    ),
    CaptureKind.STORE: ((r"^inputs", "batch_id"),),
    CaptureKind.SPLIT: ((r"^inputs\[0\]\.batch", "batch_id"), (r"^(inputs|outputs)", "quantities")),
    CaptureKind.TRANSFORM: (
        (r"^inputs\[0\]\.batch", "batch_id"),
        (r"^inputs", "quantity"),
        (r"^outputs\[1\]", "residue_quantity"),
        (r"^outputs\[0\]\.kind", "output_kind"),
        (r"^outputs", "output_quantity"),
        (r"^declared_loss", "loss"),
    ),
    CaptureKind.DISPOSE: (
        (r"^inputs\[0\]\.batch", "batch_id"),
        (r"^inputs", "quantity"),
        (r"^disposal_method", "disposal_method"),
    ),
    CaptureKind.INSPECT: ((r"^(inputs|counted)", "counts"), (r"^conditions", "conditions")),
    CaptureKind.CORRECT: (
        (r"^corrects_event_id", "corrects_event_id"),
        (r"^corrected_mass\.batch", "batch_id"),
        (r"^corrected_mass", "quantity"),
    ),
}
_PREFIX = re.compile(r"^events\[\d+\]\.event\.?")


def form_error(kind: CaptureKind, exc: ZeroWasteError) -> ZeroWasteError:
    """The error with its field renamed to the form field showing it (others keep theirs)."""
    if isinstance(exc, FieldError) or not exc.field or not _PREFIX.match(exc.field):
        return exc
    path = _PREFIX.sub("", exc.field)
    for pattern, name in (_COMMON_PATHS[-1], *_PATHS[kind], *_COMMON_PATHS):
        if re.match(pattern, path):
            return type(exc)(exc.detail, field=name)
    return exc


def event_time(form: Form, now: datetime) -> datetime:
    """The event time typed (China time when no offset is given), or `now` when left empty."""
    raw = form.text("event_time", max_length=40)
    if not raw:
        return now
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise FieldError("capture.bad_time", "event_time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TIME)


def _quantity(form: Form, name: str, unit: str) -> dict[str, str]:
    amount = form.decimal(name)
    return {"quantity": format(amount, "f"), "unit": unit}


def _optional_quantity(form: Form, name: str, unit: str) -> dict[str, str] | None:
    return _quantity(form, name, unit) if form.value(name).strip() else None


def _unit(form: Form) -> str:
    unit = form.value("unit") or "KGM"
    if unit not in UNITS:
        raise FieldError("form.bad_choice", "unit")
    return unit


def _batch(form: Form, name: str = "batch_id") -> str:
    batch = form.identifier(name)
    if batch is None:
        raise FieldError("form.required", name)
    return urn("batch", batch)


def pairs(form: Form, name: str) -> list[tuple[str, str]]:
    """`left = right` lines of a text area (`=`, `:` or `：` separate), blank lines skipped."""
    found = []
    for raw in form.text(name, max_length=20000).splitlines():
        if not raw.strip():
            continue
        match = _LINE.match(raw)
        if match is None:
            raise FieldError("capture.bad_line", name, line=raw.strip()[:60])
        found.append((match.group(1), match.group(2)))
    return found


def composition(form: Form) -> dict[str, Any] | None:
    """The lab result typed as `component = fraction` lines, or None when left empty."""
    fractions = dict(pairs(form, "composition"))
    if not fractions:
        return None
    return {
        "fractions": fractions,
        "method": form.text("comp_method", required=True),
        "lab": form.text("comp_lab"),
        "sampled_on": form.day("comp_sampled_on").isoformat(),
    }


def _counts(form: Form, unit: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    batches, codes = [], []
    for left, right in pairs(form, "counts"):
        amount = format(parse_decimal(right.replace(",", ""), field="counts"), "f")
        try:
            batch = uuid.UUID(left.removeprefix("urn:zerowaste:batch:"))
        except ValueError:
            codes.append({"waste_code": left.upper(), "quantity": amount, "unit": unit})
        else:
            batches.append({"batch": urn("batch", batch), "quantity": amount, "unit": unit})
    return batches, codes


def build_document(
    kind: CaptureKind,
    form: Form,
    organization_id: uuid.UUID,
    now: datetime,
    held: Mapping[uuid.UUID, Batch],
) -> dict[str, Any]:
    """The unsigned event document a capture form describes (a fresh event id each time).

    Args:
        kind: Which form.
        form: The submitted values.
        organization_id: The firm the event is recorded for (and signed by).
        now: The platform time, used when no event time is typed.
        held: The firm's held batches: the store form records a whole batch, and splits,
            transformations and disposals happen at the batch's site.

    Raises:
        FieldError: A value the form cannot read, naming its field.
    """
    document: dict[str, Any] = {
        "format": "zerowaste.event/1",
        "event_id": str(uuid.uuid4()),
        "event_time": event_time(form, now).isoformat(),
        "organization_id": str(organization_id),
    }
    if note := form.text("note", max_length=2000):
        document["note"] = note
    unit = _unit(form) if "unit" in FIELDS[kind] else "KGM"
    if "site_id" in FIELDS[kind]:
        site = form.identifier("site_id")
        if site is None:
            raise FieldError("form.required", "site_id")
        document["site_id"] = str(site)
    if kind is CaptureKind.STORE:
        _store(document, form, held)
    elif kind in (CaptureKind.SPLIT, CaptureKind.TRANSFORM, CaptureKind.DISPOSE):
        batch = _held(form, held)
        if batch.site_id is not None:
            document["site_id"] = str(batch.site_id)
        _BUILDERS[kind](document, form, unit)
    else:
        _BUILDERS[kind](document, form, unit)
    return document


def _held(form: Form, held: Mapping[uuid.UUID, Batch]) -> Batch:
    batch = form.identifier("batch_id")
    if batch is None:
        raise FieldError("form.required", "batch_id")
    if batch not in held:
        raise FieldError("capture.not_held", "batch_id")
    return held[batch]


def _generate(document: dict[str, Any], form: Form, unit: str) -> None:
    output: dict[str, Any] = {
        "batch": urn("batch", uuid.uuid4()),
        **_quantity(form, "quantity", unit),
        "kind": OutputKind.WASTE.value,
        "waste_code": form.text("waste_code", required=True, max_length=16).upper(),
    }
    if description := form.text("description", max_length=500):
        output["description"] = description
    if lab := composition(form):
        output["composition"] = lab
    document.update(event_type="generated", outputs=[output])


def _store(document: dict[str, Any], form: Form, held: Mapping[uuid.UUID, Batch]) -> None:
    """A whole held batch moved to (or observed at) a site, with any new lab result."""
    batch = _held(form, held)
    mass = format(batch.mass_kg, "f")
    line = {"batch": urn("batch", batch.batch_id), "quantity": mass, "unit": "KGM"}
    document.update(event_type="stored", inputs=[line])
    if lab := composition(form):
        document["composition"] = lab


def _split(document: dict[str, Any], form: Form, unit: str) -> None:
    parts = [p for p in re.split(r"[\s,;，；、]+", form.text("quantities", required=True)) if p]
    amounts = [parse_decimal(p, field="quantities") for p in parts]
    if len(amounts) < 2:
        raise FieldError("capture.two_parts", "quantities")
    document.update(
        event_type="split",
        inputs=[{"batch": _batch(form), "quantity": format(sum(amounts), "f"), "unit": unit}],
        outputs=[
            {"batch": urn("batch", uuid.uuid4()), "quantity": format(a, "f"), "unit": unit}
            for a in amounts
        ],
    )


def _transform(document: dict[str, Any], form: Form, unit: str) -> None:
    kind = form.choice("output_kind", OutputKind)
    main: dict[str, Any] = {
        "batch": urn("batch", uuid.uuid4()),
        **_quantity(form, "output_quantity", unit),
        "kind": kind.value,
    }
    if description := form.text("output_description", max_length=500):
        main["description"] = description
    outputs = [main]
    if residue := _optional_quantity(form, "residue_quantity", unit):
        outputs.append({"batch": urn("batch", uuid.uuid4()), **residue, "kind": "residue"})
    document.update(
        event_type="transformed",
        inputs=[{"batch": _batch(form), **_quantity(form, "quantity", unit)}],
        outputs=outputs,
    )
    if loss := _optional_quantity(form, "loss", unit):
        document["declared_loss"] = loss


def _dispose(document: dict[str, Any], form: Form, unit: str) -> None:
    document.update(
        event_type="disposed",
        inputs=[{"batch": _batch(form), **_quantity(form, "quantity", unit)}],
        disposal_method=form.choice("disposal_method", DisposalMethod).value,
    )


def _inspect(document: dict[str, Any], form: Form, unit: str) -> None:
    batches, codes = _counts(form, unit)
    conditions = [c.strip() for c in form.text("conditions", max_length=20000).splitlines()]
    document["event_type"] = "inspected"
    if batches:
        document["inputs"] = batches
    if codes:
        document["counted"] = codes
    if kept := [c for c in conditions if c]:
        document["conditions"] = kept


def _correct(document: dict[str, Any], form: Form, unit: str) -> None:
    target = form.identifier("corrects_event_id")
    if target is None:
        raise FieldError("form.required", "corrects_event_id")
    if "note" not in document:
        raise FieldError("form.required", "note")
    document.update(event_type="corrected", corrects_event_id=str(target))
    if form.value("batch_id").strip() or form.value("quantity").strip():
        document["corrected_mass"] = {"batch": _batch(form), **_quantity(form, "quantity", unit)}


_BUILDERS = {
    CaptureKind.GENERATE: _generate,
    CaptureKind.SPLIT: _split,
    CaptureKind.TRANSFORM: _transform,
    CaptureKind.DISPOSE: _dispose,
    CaptureKind.INSPECT: _inspect,
    CaptureKind.CORRECT: _correct,
}
