"""The demo city: a synthetic, seeded city of fictional firms on real region codes (pure)."""

from zerowaste.demo.archetypes import ARCHETYPES, Archetype, Chain
from zerowaste.demo.city import DEFAULT_AS_OF, MAX_SCALE, firm_count, generate_city
from zerowaste.demo.geography import COUNTIES, PREFECTURE_BOXES
from zerowaste.demo.model import DemoCity, DemoFirm, DemoSite
from zerowaste.demo.registry import DEMO_MASTER_KEY, DEMO_PASSWORD

__all__ = [
    "ARCHETYPES",
    "COUNTIES",
    "DEFAULT_AS_OF",
    "DEMO_MASTER_KEY",
    "DEMO_PASSWORD",
    "MAX_SCALE",
    "PREFECTURE_BOXES",
    "Archetype",
    "Chain",
    "DemoCity",
    "DemoFirm",
    "DemoSite",
    "firm_count",
    "generate_city",
]
