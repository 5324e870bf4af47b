"""Remembered responses to POST requests sent with an `Idempotency-Key`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.tables import idempotency_records


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What was answered the first time, or None fields while that request is still running."""

    request_hash: str
    status_code: int | None
    content_type: str | None
    body: bytes | None


class IdempotencyRepository:
    """Claims keys and stores the responses given under them."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def claim(
        self,
        caller: str,
        key: str,
        request_hash: str,
        at: datetime,
        abandoned_before: datetime | None = None,
    ) -> bool:
        """Reserve `key` for `caller`; False if it was already claimed.

        A claim still without a response that was made before `abandoned_before` is taken
        over: its request died with its process (a crash between claim and answer), and
        would otherwise block the key forever.
        """
        if self._insert(caller, key, request_hash, at):
            return True
        if abandoned_before is None:
            return False
        r = idempotency_records.c
        taken = self._connection.execute(
            idempotency_records.delete().where(
                (r.caller == caller)
                & (r.key == key)
                & r.status_code.is_(None)
                & (r.created_at < abandoned_before)
            )
        )
        return bool(taken.rowcount) and self._insert(caller, key, request_hash, at)

    def _insert(self, caller: str, key: str, request_hash: str, at: datetime) -> bool:
        try:
            with self._connection.begin_nested():
                self._connection.execute(
                    insert(idempotency_records).values(
                        caller=caller, key=key, request_hash=request_hash, created_at=at
                    )
                )
        except IntegrityError:
            return False
        return True

    def get(self, caller: str, key: str) -> StoredResponse | None:
        """The record under `key`, if any."""
        row = self._connection.execute(
            select(idempotency_records).where(
                (idempotency_records.c.caller == caller) & (idempotency_records.c.key == key)
            )
        ).first()
        if row is None:
            return None
        body = bytes(row.response_body) if row.response_body is not None else None
        return StoredResponse(row.request_hash, row.status_code, row.content_type, body)

    def complete(
        self, caller: str, key: str, status_code: int, content_type: str, body: bytes
    ) -> None:
        """Store the response given under `key`."""
        self._connection.execute(
            update(idempotency_records)
            .where((idempotency_records.c.caller == caller) & (idempotency_records.c.key == key))
            .values(status_code=status_code, content_type=content_type, response_body=body)
        )

    def release(self, caller: str, key: str) -> None:
        """Forget a claim whose request failed, so it may be retried."""
        self._connection.execute(
            idempotency_records.delete().where(
                (idempotency_records.c.caller == caller) & (idempotency_records.c.key == key)
            )
        )
