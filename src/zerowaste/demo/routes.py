"""Where each demo waste goes and what it becomes: utilization recipes and disposal routes.

Output shares and losses are plausible figures invented for the demo, in the spirit of the
processes they name (steel slag crushed into aggregate with magnetic separation of scrap;
solvent distillation leaving still bottoms, 900-407-06; re-refining of waste oil leaving
900-213-08; circuit-board crushing and sorting leaving resin powder, 900-451-13; etchant
regeneration recovering copper; 2021 National Hazardous Waste List for the residue codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zerowaste.domain.events import DisposalMethod, OutputKind
from zerowaste.domain.permits import NewPermit, PermitActivity

_SRM = OutputKind.SECONDARY_RAW_MATERIAL
_PRODUCT = OutputKind.PRODUCT
_RESIDUE = OutputKind.RESIDUE


@dataclass(frozen=True, slots=True)
class OutputShare:
    """One output of a recipe: its kind, description, share of the input mass and code."""

    kind: OutputKind
    description: str
    share: float
    waste_code: str | None = None


@dataclass(frozen=True, slots=True)
class Recipe:
    """A utilization process: outputs by share; the rest of the input mass is declared loss."""

    key: str
    outputs: tuple[OutputShare, ...]
    loss: str

    @property
    def loss_share(self) -> float:
        """The share of input mass declared lost (moisture, gases, wastewater)."""
        return 1 - sum(output.share for output in self.outputs)


@dataclass(frozen=True, slots=True)
class Route:
    """One way a waste may go: the receiving archetype and what it does with it.

    `receiver` None means the generator treats it in-house (e.g. neutralizing waste acid in
    its own wastewater plant). Exactly one of `recipe` and `disposal` is set.
    """

    receiver: str | None
    weight: int
    recipe: Recipe | None = None
    disposal: DisposalMethod | None = None

    @property
    def activity(self) -> PermitActivity:
        """The licensed activity the receiver performs."""
        return PermitActivity.UTILIZE if self.recipe else PermitActivity.DISPOSE


def _recipe(key: str, loss: str, *outputs: tuple[OutputKind, str, float, str | None]) -> Recipe:
    return Recipe(key, tuple(OutputShare(k, d, s, c) for k, d, s, c in outputs), loss)


SCRAP = _recipe(
    "scrap", "非金属杂质 non-metallic impurities", (_SRM, "废钢炉料 scrap charge", 0.96, None)
)
SLAG = _recipe(
    "slag_aggregate",
    "水分 moisture",
    (_SRM, "钢渣骨料 steel-slag aggregate", 0.78, None),
    (_SRM, "磁选渣钢 recovered slag iron", 0.12, None),
)
CEMENT_ADMIXTURE = _recipe(
    "cement_admixture", "烘干水分 drying loss", (_SRM, "水泥混合材 cement admixture", 0.93, None)
)
RETARDER = _recipe(
    "cement_retarder", "结晶水与水分 water", (_SRM, "水泥缓凝剂 cement retarder", 0.88, None)
)
WALL = _recipe(
    "wall_material", "烘干水分 drying loss", (_PRODUCT, "新型墙材 wall blocks", 0.95, None)
)
FLY_ASH = _recipe(
    "fly_ash_brick",
    "烧失量 loss on ignition",
    (_PRODUCT, "蒸压粉煤灰砖 autoclaved fly-ash bricks", 0.97, None),
)
GYPSUM = _recipe(
    "gypsum_board", "游离水 free water", (_PRODUCT, "纸面石膏板 gypsum board", 0.85, None)
)
ASH_BRICK = _recipe(
    "unfired_brick", "水分 moisture", (_PRODUCT, "免烧砖 unfired bricks", 0.93, None)
)
OIL = _recipe(
    "oil_rerefining",
    "水分与轻组分 water and light ends",
    (_SRM, "再生基础油 re-refined base oil", 0.72, None),
    (_RESIDUE, "再生净化残渣 re-refining residue", 0.08, "900-213-08"),
)
SOLVENT = _recipe(
    "solvent_distillation",
    "不凝气与水分 vent gas and water",
    (_SRM, "再生溶剂 recovered solvent", 0.78, None),
    (_RESIDUE, "精馏釜底残渣 still bottoms", 0.12, "900-407-06"),
)
BOARDS = _recipe(
    "board_recovery",
    "粉尘与水分 dust and moisture",
    (_SRM, "贵金属富集物 precious-metal concentrate", 0.015, None),
    (_SRM, "再生铜粉 copper powder", 0.22, None),
    (_RESIDUE, "废树脂粉 resin powder", 0.70, "900-451-13"),
)
ETCHANT = _recipe(
    "etchant_regeneration",
    "处理后废水 treated wastewater",
    (_SRM, "再生蚀刻液 regenerated etchant", 0.70, None),
    (_SRM, "海绵铜 sponge copper", 0.06, None),
)
CARBON = _recipe(
    "carbon_regeneration",
    "烧失与水分 burn-off and moisture",
    (_SRM, "再生活性炭 regenerated activated carbon", 0.80, None),
)

_INCINERATE = DisposalMethod.INCINERATION
_CO_PROCESS = DisposalMethod.CO_PROCESSING
_LANDFILL = DisposalMethod.LANDFILL
_INCINERATOR, _KILN, _LANDFILL_SITE = "waste.incinerator", "building.cement", "waste.landfill"
_TO_INCINERATOR = Route(_INCINERATOR, 1, disposal=_INCINERATE)
_TO_KILN = Route(_KILN, 1, disposal=_CO_PROCESS)
_TO_LANDFILL = Route(_LANDFILL_SITE, 1, disposal=_LANDFILL)
_BURN = (Route(_INCINERATOR, 2, disposal=_INCINERATE), _TO_KILN)

#: The routes of every waste code or class the demo generates (residues included).
ROUTES: dict[str, tuple[Route, ...]] = {
    "SW17": (Route("waste.scrap", 1, SCRAP),),
    "SW01": (Route("building.slag", 3, SLAG), Route(_KILN, 2, CEMENT_ADMIXTURE)),
    "SW59": (Route(_KILN, 1, CEMENT_ADMIXTURE), Route("building.materials", 1, WALL)),
    "SW02": (Route("building.materials", 2, FLY_ASH), Route(_KILN, 1, CEMENT_ADMIXTURE)),
    "SW06": (Route("building.materials", 2, GYPSUM), Route(_KILN, 1, RETARDER)),
    "SW03": (Route("building.materials", 1, ASH_BRICK), Route("building.slag", 1, SLAG),
             Route(_KILN, 1, CEMENT_ADMIXTURE)),
    "SW07": (Route(_KILN, 1, disposal=_CO_PROCESS),),
    "900-252-12": (Route(_KILN, 2, disposal=_CO_PROCESS), _TO_INCINERATOR),
    "900-214-08": (Route("waste.oil", 1, OIL),),
    "900-218-08": (Route("waste.oil", 1, OIL),),
    "900-404-06": (Route("waste.solvent", 3, SOLVENT), _TO_INCINERATOR),
    "900-402-06": (Route("waste.solvent", 3, SOLVENT), _TO_INCINERATOR),
    "336-064-17": (Route(_KILN, 2, disposal=_CO_PROCESS), _TO_LANDFILL),
    "336-063-17": (Route(_LANDFILL_SITE, 2, disposal=_LANDFILL), _TO_KILN),
    "900-039-49": (Route("waste.carbon", 3, CARBON), _TO_INCINERATOR),
    "900-041-49": _BURN,
    "900-006-09": (Route(_INCINERATOR, 1, disposal=_INCINERATE),),
    "312-001-23": (Route(_LANDFILL_SITE, 1, disposal=_LANDFILL),),
    "900-300-34": (Route(None, 1, disposal=DisposalMethod.OTHER),),
    "398-005-34": (Route(None, 1, disposal=DisposalMethod.OTHER),),
    "271-001-02": _BURN,
    "271-002-02": _BURN,
    "271-003-02": _BURN,
    "271-006-50": (Route(_INCINERATOR, 1, disposal=_INCINERATE),),
    "900-047-49": (Route(_INCINERATOR, 1, disposal=_INCINERATE),),
    "900-002-03": (Route(_INCINERATOR, 1, disposal=_INCINERATE),),
    "900-045-49": (Route("waste.precious", 1, BOARDS),),
    "398-004-22": (Route("waste.precious", 1, ETCHANT),),
    "398-005-22": (Route("waste.precious", 1, ETCHANT),),
    "772-007-50": (Route(_INCINERATOR, 1, disposal=_INCINERATE),),
    "772-002-18": (Route(_LANDFILL_SITE, 2, disposal=_LANDFILL), _TO_KILN),
    "900-213-08": _BURN,
    "900-407-06": _BURN,
    "900-451-13": _BURN,
    "772-003-18": (Route(_LANDFILL_SITE, 1, disposal=_LANDFILL),),
}  # fmt: skip

#: Bottom ash and fly ash left by hazardous waste incineration, as a share of the mass burnt.
INCINERATION_RESIDUE_SHARE = 0.22
INCINERATION_RESIDUE_CODE = "772-003-18"
IN_HOUSE_NOTE = "厂内污水站中和处理 neutralized in the firm's own wastewater plant"


def is_hazardous(code: str) -> bool:
    """Whether a demo waste code is on the hazardous waste list (III-SSS-CC, not SWnn)."""
    return "-" in code


def category_of(code: str) -> str:
    """The HW category of a hazardous waste code (`900-252-12` → `HW12`)."""
    return f"HW{code[-2:]}"


def covers(permit: NewPermit, code: str, activity: PermitActivity, on: date) -> bool:
    """Whether a licence covers a waste code (or its category) and an activity on a day."""
    return (
        permit.valid_from <= on <= permit.valid_to
        and activity in permit.activities
        and (code in permit.waste_codes or category_of(code) in permit.waste_codes)
    )
