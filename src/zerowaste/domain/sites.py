"""Sites: the places where waste is generated, stored, treated or disposed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from zerowaste.errors import InvalidCoordinates, InvalidInput


class SiteKind(StrEnum):
    """What happens at a site."""

    PLANT = "plant"
    STORAGE = "storage"
    TRANSFER_STATION = "transfer_station"
    RECYCLER = "recycler"
    CEMENT_KILN = "cement_kiln"
    INCINERATOR = "incinerator"
    LANDFILL = "landfill"
    DEPOT = "depot"
    OFFICE = "office"


@dataclass(frozen=True, slots=True)
class NewSite:
    """A site as submitted; WGS84 coordinates in degrees."""

    name: str
    kind: SiteKind
    region_code: str
    latitude: float
    longitude: float
    address: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("must not be empty", field="name")
        if not -90 <= self.latitude <= 90:
            raise InvalidCoordinates(f"{self.latitude} is outside -90..90", field="latitude")
        if not -180 <= self.longitude <= 180:
            raise InvalidCoordinates(f"{self.longitude} is outside -180..180", field="longitude")


@dataclass(frozen=True, slots=True)
class Site:
    """A registered site of an organization."""

    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    kind: SiteKind
    region_code: str
    latitude: float
    longitude: float
    address: str

    @classmethod
    def place(cls, new: NewSite, *, id: uuid.UUID, organization_id: uuid.UUID) -> Site:
        """The stored site for a validated submission."""
        return cls(
            id=id,
            organization_id=organization_id,
            name=new.name.strip(),
            kind=new.kind,
            region_code=new.region_code,
            latitude=new.latitude,
            longitude=new.longitude,
            address=new.address,
        )
