"""What the form pages share: who is acting, the CSRF check, the form body and redirects."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from zerowaste.domain.access import Principal
from zerowaste.errors import Forbidden, NotAuthenticated, ZeroWasteError
from zerowaste.web.forms import Form
from zerowaste.web.session import CSRF_FIELD, USER_KEY, csrf_matches, has_session, set_flash
from zerowaste.web.templating import PageRenderer


async def read_form(request: Request) -> FormData:
    """Read an urlencoded or multipart form body (a dependency of the form posts).

    Args:
        request: The form post.
    """
    return await request.form()


def form_pairs(data: FormData) -> list[tuple[str, str]]:
    """Return the text fields of a submitted form as name-value pairs (uploads dropped)."""
    return [(name, value) for name, value in data.multi_items() if isinstance(value, str)]


class Actions:
    """Checks and responses shared by every page that shows or handles a form.

    Args:
        renderer: Renders the pages; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context = renderer.context

    def viewer(self, request: Request) -> Principal:
        """Return the signed-in principal showing a form.

        Raises:
            NotAuthenticated: For anonymous visitors (the page router sends them to sign in).
        """
        principal = self.renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to use this page")
        return principal

    def poster(self, request: Request, data: FormData) -> Principal:
        """Return the principal of the session posting a form, after checking its CSRF token.

        Args:
            request: The form post.
            data: The submitted form, whose `csrf` field must match the session's token.

        Raises:
            NotAuthenticated: Without a session of an active user.
            Forbidden: When the token is missing or does not match.
        """
        raw_id = request.session.get(USER_KEY) if has_session(request) else None
        principal = None
        if isinstance(raw_id, str) and raw_id:
            try:
                principal = self.context.accounts.principal(uuid.UUID(raw_id))
            except ValueError:
                principal = None
        if principal is None:
            raise NotAuthenticated("sign in to use this form")
        token = data.get(CSRF_FIELD)
        if not csrf_matches(request, token if isinstance(token, str) else None):
            raise Forbidden("the form's security token does not match; reload the page")
        request.state.principal = principal  # the page header shows who is signed in
        return principal

    @staticmethod
    def require(allowed: bool) -> None:
        """Raise `Forbidden` unless the principal may use this form.

        The services check again when the form is stored; this check keeps the form itself
        (and its 403 page) from those who may not use it.
        """
        if not allowed:
            raise Forbidden("this form is not yours to use")

    def redirect(self, request: Request, path: str, flash: str | None = None) -> RedirectResponse:
        """Answer a successful post with 303 See Other to `path`, with a one-time notice.

        Args:
            request: The form post.
            path: The page to show next, on this site.
            flash: Message id of the notice shown on that page, if any.
        """
        if flash:
            set_flash(request, flash)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return RedirectResponse(root + path, status_code=303)

    def show(
        self,
        request: Request,
        template: str,
        form: Form,
        values: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
    ) -> HTMLResponse:
        """Render a form page.

        Args:
            request: The request being answered.
            template: The form's template.
            form: The values and errors to show.
            values: The page's other template variables.
            status: The HTTP status (the error's on a refused submission).
        """
        data = {"form": form, **(values or {})}
        return self.renderer.render(request, template, data, status=status)

    def refuse(
        self,
        request: Request,
        exc: ZeroWasteError,
        template: str,
        form: Form,
        values: Mapping[str, Any] | None = None,
    ) -> HTMLResponse:
        """Show a form again after its submission was refused; nothing was stored.

        The error appears next to the field it names (or above the form), and the status is
        the error's: 422 for bad input, 403 for a forbidden target, 409 for a conflict.

        Args:
            request: The form post.
            exc: The error the parsing or the service raised.
            template: The form's template.
            form: The submitted form, its values kept.
            values: The page's other template variables.
        """
        form.fail(exc, self.renderer.translator(request))
        return self.show(request, template, form, values, status=exc.status)


def options(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Return select options as dicts with `value` and `label`."""
    return [{"value": value, "label": label} for value, label in pairs]
