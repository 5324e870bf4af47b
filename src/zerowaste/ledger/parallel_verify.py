"""Ed25519 verification of many signatures on worker threads while the caller goes on."""

from __future__ import annotations

import functools
import os
from concurrent.futures import Future, ThreadPoolExecutor

from zerowaste.errors import ZeroWasteError
from zerowaste.ledger.signatures import Signature, verify

#: Signatures per task handed to a worker: large enough that hand-off costs little.
CHUNK = 64

_Item = tuple[int, Signature, bytes, bytes]
_Failure = tuple[int, ZeroWasteError]


@functools.cache
def _executor() -> ThreadPoolExecutor:
    """The process's verification threads, started on first use, one per core.

    The `cryptography` binding releases the GIL while it verifies, so these threads check
    signatures on the other cores while the calling thread parses and checks the next events.
    """
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="ed25519")


def _first_failure(items: list[_Item]) -> _Failure | None:
    for position, signature, public_key, message in items:
        try:
            verify(signature, public_key, message)
        except ZeroWasteError as exc:
            return position, exc
    return None


class SignatureBatch:
    """Signatures added in order, verified in the background; the first failure by position.

    Example::

        batch = SignatureBatch()
        for position, (signature, key, message) in enumerate(signed):
            batch.add(position, signature, key, message)
        if (failure := batch.first_failure()) is not None:
            position, error = failure
    """

    def __init__(self, chunk: int = CHUNK) -> None:
        self._chunk = chunk
        self._pending: list[_Item] = []
        self._futures: list[Future[_Failure | None]] = []

    def add(self, position: int, signature: Signature, public_key: bytes, message: bytes) -> None:
        """Queue a signature over `message` by the raw `public_key` for verification."""
        self._pending.append((position, signature, public_key, message))
        if len(self._pending) >= self._chunk:
            self._submit()

    def _submit(self) -> None:
        if self._pending:
            self._futures.append(_executor().submit(_first_failure, self._pending))
            self._pending = []

    def first_failure(self) -> _Failure | None:
        """Wait for every queued signature; the lowest-positioned one that did not verify."""
        self._submit()
        failures = [f for f in (future.result() for future in self._futures) if f is not None]
        return min(failures, key=lambda failure: failure[0], default=None)
