"""Load the CBAM goods list (CN codes of Annex I, Regulation (EU) 2023/956) from package data."""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

from zerowaste.domain.cbam import CbamSector, CnCodes, CnGood

DATA_PACKAGE = "zerowaste.data.cbam"


@functools.lru_cache(maxsize=1)
def load_cn_codes() -> CnCodes:
    """The CBAM goods of the iron and steel, aluminium and cement sectors, read once.

    Returns:
        The goods list, each with the Annex I entry and the 2023/1773 category it cites.
    """
    text = resources.files(DATA_PACKAGE).joinpath("cn_codes.csv").read_text(encoding="utf-8")
    return CnCodes(
        CnGood(
            cn_code=row["cn_code"],
            description=row["description"],
            sector=CbamSector(row["sector"]),
            category=row["goods_category"],
            source=f"{row['scope_source']}; {row['category_source']}",
        )
        for row in csv.DictReader(io.StringIO(text))
    )
