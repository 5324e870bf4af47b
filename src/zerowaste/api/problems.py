"""Map the error hierarchy and request validation failures to RFC 9457 Problem Details."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from zerowaste.errors import ZeroWasteError

PROBLEM_MEDIA_TYPE = "application/problem+json"
_LOCATIONS = {"body", "query", "path", "header", "cookie"}


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A Problem Details response; `errors` lists `{field, detail}` for each bad field."""
    content: dict[str, Any] = {
        "type": f"urn:zerowaste:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        content["errors"] = errors
    return JSONResponse(content, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def problem_for(exc: ZeroWasteError, instance: str) -> JSONResponse:
    """The Problem Details answer for one of the product's own errors."""
    errors = [{"field": exc.field, "detail": exc.detail}] if exc.field else None
    detail = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return problem_response(exc.status, exc.type_slug, exc.title, detail, instance, errors, headers)


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


class ProblemOut(BaseModel):
    """RFC 9457 Problem Details, with the fields that were wrong."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = None


_PROBLEM = {"model": ProblemOut, "content": {PROBLEM_MEDIA_TYPE: {}}}
#: Documented on every API route: what each error status means here.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _PROBLEM | {"description": "The body could not be decoded"},
    401: _PROBLEM | {"description": "No valid API key or session"},
    403: _PROBLEM | {"description": "Outside the caller's role or scope"},
    404: _PROBLEM | {"description": "No such thing"},
    409: _PROBLEM | {"description": "Clashes with stored state"},
    413: _PROBLEM | {"description": "Body too large"},
    422: _PROBLEM | {"description": "Invalid input; `errors` names each field"},
}


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers so every error leaves the API as Problem Details."""

    @app.exception_handler(ZeroWasteError)
    async def _own_error(request: Request, exc: ZeroWasteError) -> JSONResponse:
        return problem_for(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": "body" if e["type"] == "json_invalid" else _field_name(tuple(e["loc"])),
                "detail": e["msg"],
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['detail']}" for e in errors)
        return problem_response(
            422, "invalid-input", "Invalid input", detail, request.url.path, errors
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return http_problem(request, exc)


def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
    """Problem Details for a framework-level HTTP error (unknown path, wrong method, bad body)."""
    if exc.status_code == 400:  # the body could not be decoded at all
        errors = [{"field": "body", "detail": str(exc.detail)}]
        return problem_response(
            400, "invalid-body", "Invalid body", f"body: {exc.detail}", request.url.path, errors
        )
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return problem_response(
        exc.status_code, slug, str(exc.detail), str(exc.detail), request.url.path
    )
