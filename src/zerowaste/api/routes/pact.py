"""The PACT v3 exchange API under /pact: token, ListFootprints, GetFootprint, Events.

Errors are PACT's `{"code", "message"}` (the token endpoint's are RFC 6749 5.2's `{"error"}`),
not Problem Details: PACT clients parse the specification's shape. Every route declares its
access rule: the token endpoint is public, the others need a token it issued.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from zerowaste.api.security import context_of
from zerowaste.domain.access import Rule
from zerowaste.domain.pact import FootprintFilter, PactClient
from zerowaste.errors import (
    InvalidInput,
    PactBadRequest,
    PactError,
    PactOAuthError,
    PactTokenInvalid,
    PactUnsupportedGrant,
    ZeroWasteError,
)
from zerowaste.services.pact import DEFAULT_LIMIT, MAX_LIMIT

PACT_PREFIX = "/pact"
EVENT_MEDIA_TYPES = ("application/cloudevents+json", "application/json")
_LISTS = {"productid": "product_ids", "companyid": "company_ids", "geography": "geographies"}
_LISTS |= {"classification": "classifications"}
_TIMES = {"validon": "valid_on", "validafter": "valid_after", "validbefore": "valid_before"}
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def pact_error(exc: ZeroWasteError) -> JSONResponse:
    """The PACT answer for one of the product's errors."""
    if isinstance(exc, PactError):
        status, code = exc.status, exc.pact_code
    elif isinstance(exc, InvalidInput):
        status, code = 400, "BadRequest"
    elif exc.status in (401, 403):
        status, code = exc.status, "AccessDenied"
    elif exc.status == 404:
        status, code = 404, "NotFound"
    elif exc.status < 500:
        status, code = exc.status, "BadRequest"
    else:
        status, code = 500, "InternalError"
    message = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
    headers = {"WWW-Authenticate": 'Bearer realm="pact"'} if status == 401 else None
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def pact_http_error(status: int, detail: str) -> JSONResponse:
    """PACT's answer for a path or method the API does not have (404, 405)."""
    code = "NotFound" if status == 404 else "BadRequest" if status < 500 else "InternalError"
    return JSONResponse({"code": code, "message": detail}, status_code=status)


def oauth_error(exc: PactOAuthError) -> JSONResponse:
    """An RFC 6749 section 5.2 error answer."""
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="pact"'
    body = {"error": exc.oauth_error, "error_description": exc.detail}
    return JSONResponse(body, status_code=exc.status, headers=headers)


class PactRoute(APIRoute):
    """A PACT route: the product's errors and bad parameters answer in PACT's shape."""

    def get_route_handler(self) -> Handler:
        """Wrap FastAPI's handler so failures become PACT error bodies."""
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except PactOAuthError as exc:
                return oauth_error(exc)
            except ZeroWasteError as exc:
                return pact_error(exc)
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                field = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
                return pact_error(PactBadRequest(str(first.get("msg", "invalid")), field=field))

        return guarded


class PactErrorOut(BaseModel):
    """PACT v3's `Error` object."""

    code: str = Field(description="BadRequest, AccessDenied, TokenExpired, NotFound, …")
    message: str


class OAuthErrorOut(BaseModel):
    """RFC 6749 section 5.2 error."""

    error: str = Field(description="invalid_request, invalid_client, unsupported_grant_type")
    error_description: str


_ERROR = {"model": PactErrorOut}
PACT_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _ERROR | {"description": "BadRequest: a parameter, id or event is invalid"},
    401: _ERROR | {"description": "AccessDenied or TokenExpired: no valid access token"},
    403: _ERROR | {"description": "AccessDenied: another data owner's footprint"},
    404: _ERROR | {"description": "NotFound: no such footprint"},
}
router = APIRouter(prefix=PACT_PREFIX, tags=["pact"], route_class=PactRoute)


def _public() -> None:
    """Anyone may ask for a token; the client credentials decide."""


_public.rule = Rule.PUBLIC  # type: ignore[attr-defined]


def pact_client(request: Request) -> PactClient:
    """The data recipient behind the request's bearer token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PactTokenInvalid("send 'Authorization: Bearer <token from /pact/auth/token>'")
    return context_of(request).pact.authenticate(token.strip())


pact_client.rule = Rule.PACT_CLIENT  # type: ignore[attr-defined]
Client = Annotated[PactClient, Depends(pact_client)]


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise PactOAuthError("malformed HTTP Basic credentials") from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise PactOAuthError("malformed HTTP Basic credentials")
    return unquote_plus(client_id), unquote_plus(secret)


@router.post(
    "/auth/token",
    dependencies=[Depends(_public)],
    responses={400: {"model": OAuthErrorOut}, 401: {"model": OAuthErrorOut}},
)
async def token(request: Request) -> JSONResponse:
    """OAuth2 client credentials grant (RFC 6749 4.4): HTTP Basic or form credentials."""
    form = await request.form()
    grant = form.get("grant_type")
    if not isinstance(grant, str) or not grant:
        raise PactOAuthError("grant_type is required")
    if grant != "client_credentials":
        raise PactUnsupportedGrant(f"grant_type {grant!r} is not supported")
    basic = _basic(request.headers.get("authorization", ""))
    form_id, form_secret = form.get("client_id"), form.get("client_secret")
    if basic is not None and (form_id is not None or form_secret is not None):
        raise PactOAuthError("send the client credentials one way, not both")
    if basic is None:
        if not isinstance(form_id, str) or not isinstance(form_secret, str):
            raise PactOAuthError("send client_id and client_secret (HTTP Basic or form)")
        basic = (form_id, form_secret)
    issued = await run_in_threadpool(context_of(request).pact.issue_token, *basic)
    body = {"access_token": issued.access_token, "token_type": "bearer"}
    body["expires_in"] = issued.expires_in  # type: ignore[assignment]
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _time(name: str, value: str) -> datetime:
    # An offset's "+" sent unencoded in a query string arrives as a space.
    text = value.strip().replace(" ", "+").replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PactBadRequest("must be an RFC 3339 date-time", field=name) from None
    if parsed.tzinfo is None:
        raise PactBadRequest("must carry an offset (e.g. Z)", field=name)
    return parsed


def _count(name: str, value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise PactBadRequest("must be a whole number, 0 or more", field=name)
    return int(value)


def list_criteria(request: Request) -> tuple[FootprintFilter, int, int]:
    """The filter, limit and offset of a ListFootprints query (parameter names any case)."""
    lists: dict[str, list[str]] = {v: [] for v in _LISTS.values()}
    times: dict[str, datetime] = {}
    status: str | None = None
    limit, offset = DEFAULT_LIMIT, 0
    for raw_name, value in request.query_params.multi_items():
        name = raw_name.casefold()
        if name in _LISTS:
            lists[_LISTS[name]].append(value)
        elif name in _TIMES:
            times[_TIMES[name]] = _time(raw_name, value)
        elif name == "status":
            if value.casefold() not in ("active", "deprecated"):
                raise PactBadRequest("must be Active or Deprecated", field="status")
            status = value
        elif name == "limit":
            # The host "MAY return fewer" than asked: a larger limit is served in pages.
            limit = min(_count("limit", value), MAX_LIMIT)
        elif name == "offset":
            offset = _count("offset", value)
        elif not name.startswith("x-"):
            raise PactBadRequest("is not a ListFootprints parameter", field=raw_name)
    criteria = FootprintFilter(
        product_ids=tuple(lists["product_ids"]),
        company_ids=tuple(lists["company_ids"]),
        geographies=tuple(lists["geographies"]),
        classifications=tuple(lists["classifications"]),
        status=status,
        valid_on=times.get("valid_on"),
        valid_after=times.get("valid_after"),
        valid_before=times.get("valid_before"),
    )
    return criteria, limit, offset


def _parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


_URNS = {"type": "array", "items": {"type": "string", "pattern": "^[uU][rR][nN]:"}}
_INSTANT = {"type": "string", "format": "date-time"}
#: ListFootprints' query parameters as PACT v3 declares them (read by `list_criteria`).
LIST_PARAMETERS = [
    _parameter("productId", _URNS, "Product URNs (any of)"),
    _parameter("companyId", _URNS, "Company URNs (any of)"),
    _parameter("geography", {"type": "array", "items": {"type": "string"}}, "CN, CN-JS, …"),
    _parameter("classification", _URNS, "Classification URNs (any of)"),
    _parameter("validOn", _INSTANT, "validity start <= validOn <= end"),
    _parameter("validAfter", _INSTANT, "validity start > validAfter"),
    _parameter("validBefore", _INSTANT, "validity end < validBefore"),
    _parameter("status", {"type": "string", "enum": ["Active", "Deprecated"]}, "Status"),
    _parameter("limit", {"type": "integer", "minimum": 0}, "Page size (at most 1000 served)"),
    _parameter("offset", {"type": "integer", "minimum": 0}, "Where the page starts (Link)"),
]


@router.get(
    "/3/footprints", responses=PACT_RESPONSES, openapi_extra={"parameters": LIST_PARAMETERS}
)
def list_footprints(request: Request, client: Client) -> JSONResponse:
    """ListFootprints: the data owner's footprints matching the filters; `Link` to the next."""
    criteria, limit, offset = list_criteria(request)
    page = context_of(request).pact.list_footprints(client, criteria, limit, offset)
    headers = {}
    if page.more:
        following = request.url.include_query_params(limit=limit, offset=offset + limit)
        headers["Link"] = f'<{following}>; rel="next"'
    return JSONResponse({"data": page.documents}, headers=headers)


@router.get("/3/footprints/{id}", responses=PACT_RESPONSES)
def get_footprint(request: Request, id: str, client: Client) -> JSONResponse:
    """GetFootprint: one footprint by id (404 NotFound, 403 AccessDenied if another's)."""
    try:
        footprint_id = uuid.UUID(id)
    except ValueError:
        raise PactBadRequest("must be a UUID", field="id") from None
    document = context_of(request).pact.get_footprint(client, footprint_id)
    return JSONResponse({"data": document})


@router.post("/3/events", responses=PACT_RESPONSES)
async def events(request: Request, client: Client) -> Response:
    """Events: a CloudEvent (structured JSON) validated, stored once; 200 with no body."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in EVENT_MEDIA_TYPES:
        raise PactBadRequest("send application/cloudevents+json", field="content-type")
    try:
        document = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise PactBadRequest("the body is not JSON", field="body") from None
    await run_in_threadpool(context_of(request).pact.receive_event, client, document)
    return Response(status_code=200)
