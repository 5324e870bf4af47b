"""What every service that checks signed documents and appends them to the log is built from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.services.capture_checks import MAX_CLOCK_SKEW
from zerowaste.services.catalog import CatalogService
from zerowaste.services.ledger import LedgerService
from zerowaste.services.signing_keys import SigningKeyService


class SignedLogService:
    """Holds the unit of work, catalog, signing keys, ledger, clock and tolerated clock skew."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        catalog: CatalogService,
        signing_keys: SigningKeyService,
        ledger: LedgerService,
        clock: Callable[[], datetime],
        *,
        max_skew: timedelta = MAX_CLOCK_SKEW,
    ) -> None:
        self._uow = unit_of_work
        self._catalog = catalog
        self._signing_keys = signing_keys
        self._ledger = ledger
        self._clock = clock
        self._skew = max_skew
