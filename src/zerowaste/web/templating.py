"""The Jinja2 environment and the rendering of every page with its shared header data."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste import __version__
from zerowaste.api.security import resolve_principal
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.errors import ZeroWasteError
from zerowaste.web.i18n import (
    COOKIE_MAX_AGE_S,
    LANGUAGE_COOKIE,
    LANGUAGE_QUERY,
    SUPPORTED_LANGUAGES,
    LanguageChoice,
    Translator,
    choose_language,
)
from zerowaste.web.messages import MESSAGES
from zerowaste.web.session import csrf_token, take_flash

WEB_STATIC_PREFIX = "/static/web"
LEAFLET_PREFIX = "/static/vendor/leaflet"


def format_number(value: Decimal | int | float) -> str:
    """Return a number with thousands separators and no trailing decimal zeros."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return f"{value.quantize(Decimal(1)):,}"
        return f"{value.normalize():,}"
    return f"{value:,}"


def format_figure(value: Decimal | int | float, digits: int = 4) -> str:
    """Return a headline figure to `digits` significant digits (whole units from 10^digits up)."""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not number.is_finite() or number == 0:
        return format_number(number)
    places = max(digits - number.adjusted() - 1, 0)
    return format_number(number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def tile_origin(tile_url: str) -> str | None:
    """Return the CSP source allowing a tile URL template's host, or None if there is none.

    Args:
        tile_url: A template such as `https://{s}.tiles.example/{z}/{x}/{y}.png`, or empty.
    """
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https"):
        return None  # a path on this site: 'self' covers it
    if not parts.netloc or "{" in parts.netloc:
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(tile_url: str) -> str:
    """Return the Content-Security-Policy of every page: this site only, tiles excepted."""
    images = ["'self'", "data:"]
    if origin := tile_origin(tile_url):
        images.append(origin)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def language_urls(request: Request) -> dict[str, str]:
    """Return this page's relative URL in each language (other query parameters kept)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != LANGUAGE_QUERY]
    return {
        language: f"{request.url.path}?{urlencode([*kept, (LANGUAGE_QUERY, language)])}"
        for language in SUPPORTED_LANGUAGES
    }


class PageRenderer:
    """Render templates into HTML responses carrying language, session and security headers.

    Args:
        context: The application context (settings and services).
    """

    def __init__(self, context: Context) -> None:
        self.context = context
        self.env = Environment(
            loader=PackageLoader("zerowaste.web", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["number"] = format_number
        self.env.filters["figure"] = format_figure
        self._csp = content_security_policy(context.settings.map_tile_url)

    def language(self, request: Request) -> LanguageChoice:
        """Return the language of the response to `request`."""
        return choose_language(request, self.context.settings.default_language)

    def translator(self, request: Request) -> Translator:
        """Return the translator for the language of the response to `request`."""
        return Translator(self.language(request).language)

    @staticmethod
    def principal(request: Request) -> Principal | None:
        """Return the signed-in principal, or None (also when the credentials are bad)."""
        try:
            return resolve_principal(request)
        except ZeroWasteError:
            return None

    def render(
        self,
        request: Request,
        template: str,
        values: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
    ) -> HTMLResponse:
        """Render `template` with `values` and the data every page shares.

        Args:
            request: The request being answered.
            template: The template file name, such as `home.html`.
            values: The page's own template variables.
            status: The HTTP status of the response.
        """
        choice = self.language(request)
        principal = self.principal(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        data: dict[str, Any] = {
            "t": Translator(choice.language),
            "lang": choice.language,
            "html_lang": choice.html_lang,
            "principal": principal,
            "csrf_token": csrf_token(request, create=True) if principal else None,
            "root": root,
            "current_path": request.url.path,
            "lang_urls": language_urls(request),
            "static": lambda name: f"{root}{WEB_STATIC_PREFIX}/{name}?v={__version__}",
            "leaflet": lambda name: f"{root}{LEAFLET_PREFIX}/{name}",
            "active": "",
            "flash": take_flash(request) if principal else None,
            "is_admin": principal is not None and principal.role is UserRole.ADMIN,
        }
        data.update(values or {})
        html = self.env.get_template(template).render(data)
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Security-Policy"] = self._csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store" if principal else "no-cache"
        if choice.remember:
            response.set_cookie(
                LANGUAGE_COOKIE,
                choice.language,
                max_age=COOKIE_MAX_AGE_S,
                httponly=True,
                samesite="lax",
            )
        return response

    def error(self, request: Request, status: int, detail: str = "") -> HTMLResponse:
        """Render the friendly error page for an HTTP status.

        Args:
            request: The request that failed.
            status: The HTTP status to answer with.
            detail: What went wrong, as the error said it (may be empty).
        """
        t = self.translator(request)
        key = f"error.{status}" if f"error.{status}" in MESSAGES["en"] else "error.other"
        title = t(key)
        values = {"status": status, "title": title, "detail": detail}
        return self.render(request, "error.html", values, status=status)
