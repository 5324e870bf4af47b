"""The factor library: versioned datasets, the active book, CSV import and export."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.adapters.factor_files import factors_csv, load_default_dataset, parse_factors_csv
from zerowaste.domain.access import Principal
from zerowaste.domain.factor_datasets import (
    FactorDataset,
    FactorFilter,
    check_dataset_label,
    parse_ref,
)
from zerowaste.domain.factors import Factor, FactorBook
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import (
    FactorDatasetExists,
    FactorFileInvalid,
    InvalidInput,
    UnknownFactorDataset,
    UnknownFactorRef,
)
from zerowaste.services.authorization import require_admin


class FactorService:
    """Reads the factor library (anyone) and imports or activates datasets (admins).

    When no dataset is stored, the first read stores the packaged default dataset
    (`zerowaste-default 2026.1`) and makes it active. Books are cached per dataset id (a stored
    dataset never changes); which dataset is active is read from the database on every call, so
    an import or activation, by this process or another, takes effect at once.
    """

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Callable[[], datetime]) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._books: dict[uuid.UUID, FactorBook] = {}
        self._lock = threading.Lock()

    def ensure_default(self) -> FactorDataset:
        """The active dataset, storing the packaged default first if no dataset is stored."""
        with self._uow() as uow:
            active = uow.factors.active()
            if active is not None:
                return active
            if uow.factors.datasets():
                raise UnknownFactorDataset("no factor dataset is active", field="dataset_id")
        default = load_default_dataset()
        dataset = FactorDataset(
            id=uuid.uuid4(),
            name=default.name,
            version=default.version,
            description=default.description,
            created_at=self._clock(),
            created_by=None,
            is_active=True,
            factor_count=len(default.factors),
        )
        try:
            with self._uow() as uow:
                uow.factors.add(dataset, default.factors)
                uow.commit()
        except IntegrityError:
            pass  # another request stored it first; read theirs
        with self._uow() as uow:
            stored = uow.factors.active()
        if stored is None:  # pragma: no cover - only if someone deactivated it in between
            raise UnknownFactorDataset("no factor dataset is active", field="dataset_id")
        return stored

    def datasets(self) -> list[FactorDataset]:
        """Every stored dataset, newest first (the default is stored first if none is)."""
        self.ensure_default()
        with self._uow() as uow:
            return uow.factors.datasets()

    def dataset(self, dataset_id: uuid.UUID | None = None) -> FactorDataset:
        """One dataset by id, or the active one."""
        if dataset_id is None:
            return self.ensure_default()
        with self._uow() as uow:
            return _dataset_of(uow, dataset_id)

    def book(self, dataset_id: uuid.UUID | None = None) -> FactorBook:
        """The factors of a dataset (the active one by default) as a `FactorBook`."""
        dataset = self.dataset(dataset_id)
        with self._lock:
            cached = self._books.get(dataset.id)
        if cached is not None:
            return cached
        with self._uow() as uow:
            book = FactorBook(uow.factors.all_factors(dataset.id), dataset=dataset.label)
        with self._lock:
            self._books[dataset.id] = book
        return book

    def factors(
        self,
        chosen: FactorFilter,
        page: PageRequest,
        dataset_id: uuid.UUID | None = None,
    ) -> Page[Factor]:
        """One page of a dataset's factors matching `chosen`, ordered by reference."""
        dataset = self.dataset(dataset_id)
        with self._uow() as uow:
            found = uow.factors.page(dataset.id, chosen, page.after, page.limit + 1)
        items = found[: page.limit]
        more = len(found) > page.limit
        return Page(items, items[-1].ref if more and items else None)

    def factor(self, ref: str, dataset_id: uuid.UUID | None = None) -> Factor:
        """The factor with this reference (`avoided/waste_route/steel/recycling/GLO/2023`).

        Raises:
            InvalidInput: `ref` is not a factor reference.
            UnknownFactorRef: The dataset has no factor with it.
        """
        key = parse_ref(ref)
        dataset = self.dataset(dataset_id)
        with self._uow() as uow:
            found = uow.factors.factor(dataset.id, key.ref)
        if found is None:
            raise UnknownFactorRef(f"no factor {key.ref} in {dataset.label}", field="ref")
        return found

    def import_csv(
        self,
        actor: Principal,
        text: str,
        name: str,
        version: str,
        *,
        description: str = "",
        activate: bool = False,
    ) -> FactorDataset:
        """Store a CSV as a new dataset version; nothing is stored if any row is invalid.

        Raises:
            Forbidden: The actor is not an administrator.
            InvalidInput: The name, version or description is empty or too long.
            FactorFileInvalid: A row or the header is invalid (`field` like `rows[12].value`).
            FactorDatasetExists: A dataset of this name and version is stored.
        """
        require_admin(actor)
        name, version, description = check_dataset_label(name, version, description)
        try:
            parsed = parse_factors_csv(text)
        except InvalidInput as error:
            raise FactorFileInvalid(error.detail, field=error.field) from error
        self.ensure_default()
        dataset = FactorDataset(
            id=uuid.uuid4(),
            name=name,
            version=version,
            description=description,
            created_at=self._clock(),
            created_by=actor.user_id,
            is_active=activate,
            factor_count=len(parsed),
        )
        try:
            with self._uow() as uow:
                if uow.factors.named(name, version) is not None:
                    raise FactorDatasetExists(
                        f"{name} {version} is already stored", field="version"
                    )
                uow.factors.add(dataset, parsed)
                uow.commit()
        except IntegrityError:
            raise FactorDatasetExists(
                f"{name} {version} is already stored", field="version"
            ) from None
        return dataset

    def export_csv(self, dataset_id: uuid.UUID | None = None) -> str:
        """A dataset's factors as CSV (the import format), in import order."""
        dataset = self.dataset(dataset_id)
        with self._uow() as uow:
            return factors_csv(uow.factors.all_factors(dataset.id))

    def activate(self, actor: Principal, dataset_id: uuid.UUID) -> FactorDataset:
        """Make a dataset the active one; later books and lookups use it.

        Raises:
            Forbidden: The actor is not an administrator.
            UnknownFactorDataset: No dataset has this id.
        """
        require_admin(actor)
        with self._uow() as uow:
            _dataset_of(uow, dataset_id)
            uow.factors.activate(dataset_id)
            activated = _dataset_of(uow, dataset_id)
            uow.commit()
        return activated


def _dataset_of(uow: UnitOfWork, dataset_id: uuid.UUID) -> FactorDataset:
    found = uow.factors.dataset(dataset_id)
    if found is None:
        raise UnknownFactorDataset(f"no factor dataset {dataset_id}", field="dataset_id")
    return found
