"""ASGI middleware: body size limit, and replay of POSTs sent again with the same Idempotency-Key.

Follows the IETF draft "The Idempotency-Key HTTP Header Field": the first request under a key
is run and its response stored; a retry with the same key and the same request gets the stored
response (marked `Idempotent-Replayed: true`); the same key with another request is a 422, and a
retry while the first is still running is a 409. Only successful (2xx/3xx) responses are
stored: a refused request leaves nothing behind and may be corrected and retried.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zerowaste.api.nul_guard import nul_field
from zerowaste.api.problems import problem_for
from zerowaste.api.routes.pact import PACT_PREFIX, pact_error
from zerowaste.bootstrap import Context
from zerowaste.errors import (
    IdempotencyKeyReused,
    IdempotentRequestInProgress,
    InvalidInput,
    PayloadTooLarge,
    ZeroWasteError,
)

MAX_KEY_LENGTH = 200
#: A claim with no response after this long is taken for abandoned (its server was killed).
ABANDONED_AFTER = timedelta(minutes=5)


class RequestGuard:
    """Refuse oversize bodies and NUL characters; make API POSTs with a key idempotent."""

    def __init__(self, app: ASGIApp, context: Callable[[], Context]) -> None:
        self.app = app
        self._context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            headers = dict(scope["headers"])
            has_body = scope["method"] in ("POST", "PUT", "PATCH", "DELETE")
            body = await self._read_body(scope, receive) if has_body else b""
            content_type = headers.get(b"content-type", b"").decode("latin-1")
            field = nul_field(scope["path"], scope.get("query_string", b""), body, content_type)
            if field is not None:
                raise InvalidInput("NUL characters are not accepted", field=field)
            if not has_body:
                await self.app(scope, receive, send)
                return
            key = headers.get(b"idempotency-key")
            idempotent_path = scope["path"].startswith(("/api/", "/epcis/"))
            if key is None or scope["method"] != "POST" or not idempotent_path:
                await self.app(scope, _replay(body), send)
                return
            await self._idempotent(scope, body, headers, key.decode("latin-1"), send)
        except ZeroWasteError as exc:
            if scope["path"].startswith(PACT_PREFIX + "/"):  # PACT clients read PACT's shape
                await pact_error(exc)(scope, receive, send)
                return
            await problem_for(exc, scope["path"])(scope, receive, send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        limit = self._context().settings.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"the body exceeds {limit} bytes", field="body")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _idempotent(
        self, scope: Scope, body: bytes, headers: dict[bytes, bytes], key: str, send: Send
    ) -> None:
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            raise InvalidInput(f"1 to {MAX_KEY_LENGTH} characters", field="Idempotency-Key")
        credential = headers.get(b"authorization") or headers.get(b"cookie") or b"anonymous"
        caller = hashlib.sha256(credential).hexdigest()
        request_hash = hashlib.sha256(
            scope["method"].encode()
            + b" "
            + scope["path"].encode()
            + b"?"
            + scope.get("query_string", b"")
            + b"\n"
            + body
        ).hexdigest()
        context = self._context()
        claimed = await to_thread.run_sync(_claim, context, caller, key, request_hash)
        if not claimed:
            await self._answer_retry(context, caller, key, request_hash, send)
            return
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        try:
            await self.app(scope, _replay(body), capture)
        except BaseException:
            await to_thread.run_sync(_release, context, caller, key)
            raise
        start = next(m for m in captured if m["type"] == "http.response.start")
        status = int(start["status"])
        if status >= 400:
            await to_thread.run_sync(_release, context, caller, key)
        else:
            content_type = dict(start.get("headers", [])).get(b"content-type", b"").decode()
            payload = b"".join(
                m.get("body", b"") for m in captured if m["type"] == "http.response.body"
            )
            await to_thread.run_sync(_complete, context, caller, key, status, content_type, payload)
        for message in captured:
            await send(message)

    async def _answer_retry(
        self, context: Context, caller: str, key: str, request_hash: str, send: Send
    ) -> None:
        stored = await to_thread.run_sync(_get, context, caller, key)
        if stored is None or stored.status_code is None:
            raise IdempotentRequestInProgress(
                "retry when the first request has finished", field="Idempotency-Key"
            )
        if stored.request_hash != request_hash:
            raise IdempotencyKeyReused(
                "this key was used for a different request", field="Idempotency-Key"
            )
        await send(
            {
                "type": "http.response.start",
                "status": stored.status_code,
                "headers": [
                    (b"content-type", (stored.content_type or "application/json").encode()),
                    (b"content-length", str(len(stored.body or b"")).encode()),
                    (b"idempotent-replayed", b"true"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": stored.body or b""})


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _claim(context: Context, caller: str, key: str, request_hash: str) -> bool:
    now = context.clock()
    with context.unit_of_work() as uow:
        claimed = uow.idempotency.claim(caller, key, request_hash, now, now - ABANDONED_AFTER)
        uow.commit()
        return claimed


def _get(context: Context, caller: str, key: str):  # type: ignore[no-untyped-def]
    with context.unit_of_work() as uow:
        return uow.idempotency.get(caller, key)


def _complete(
    context: Context, caller: str, key: str, status: int, content_type: str, body: bytes
) -> None:
    with context.unit_of_work() as uow:
        uow.idempotency.complete(caller, key, status, content_type, body)
        uow.commit()


def _release(context: Context, caller: str, key: str) -> None:
    with context.unit_of_work() as uow:
        uow.idempotency.release(caller, key)
        uow.commit()
