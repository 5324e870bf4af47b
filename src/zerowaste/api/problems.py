"""Map the error hierarchy and request validation failures to RFC 9457 Problem Details."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers so every error leaves the API as Problem Details."""

    @app.exception_handler(ZeroWasteError)
    async def _own_error(request: Request, exc: ZeroWasteError) -> JSONResponse:
        return problem_for(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_name(tuple(e["loc"])), "detail": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['detail']}" for e in errors)
        return problem_response(
            422, "invalid-input", "Invalid input", detail, request.url.path, errors
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return http_problem(request, exc)


def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
    """Problem Details for a framework-level HTTP error (unknown path, wrong method)."""
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return problem_response(
        exc.status_code, slug, str(exc.detail), str(exc.detail), request.url.path
    )
