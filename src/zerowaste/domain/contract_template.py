"""The supply contract template: bilingual clauses with parameters, rendered into a draft.

The wording is the project's own, illustrative and not legal advice; it follows the headings a
waste utilization contract in China usually carries (parties, subject and quantity, quality
specifications, price and settlement, term, take-back of nonconforming goods, liability), see
《中华人民共和国民法典》合同编 (Civil Code, Book III) for the general rules on contracts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from zerowaste.errors import InvalidInput

#: The template's identifier, stored with every draft (a new wording gets a new version).
TEMPLATE_VERSION = "zerowaste.contract-template/1"


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a contract, in Chinese and English.

    Attributes:
        key: A short identifier (`parties`, `take_back`, or a chain master's own key).
        text_zh: The Chinese text.
        text_en: The English text.
    """

    key: str
    text_zh: str
    text_en: str

    def __post_init__(self) -> None:
        if not self.key.strip() or len(self.key) > 64:
            raise InvalidInput("1-64 characters", field="clauses.key")
        for name in ("text_zh", "text_en"):
            text = getattr(self, name)
            if not text.strip() or len(text) > 4000:
                raise InvalidInput("1-4000 characters", field=f"clauses.{self.key}.{name}")

    def text(self, language: str) -> str:
        """The text in `zh-CN` (or `zh`) or English."""
        return self.text_zh if language.startswith("zh") else self.text_en


#: (key, Chinese, English) with `{name}` parameters; optional clauses name what enables them.
_CLAUSES: tuple[tuple[str, str, str], ...] = (
    (
        "parties",
        "供方 {supplier}（场所 {supplier_site}）与需方 {buyer}（场所 {buyer_site}）订立本合同。",
        "This contract is made between the supplier {supplier} (site {supplier_site}) and the "
        "buyer {buyer} (site {buyer_site}).",
    ),
    (
        "subject",
        "供方每月向需方供应废物 {waste_code} {quantity_t} 吨，合同期内合计 {total_t} 吨。",
        "The supplier delivers {quantity_t} t of waste {waste_code} to the buyer each month, "
        "{total_t} t over the term.",
    ),
    (
        "specifications",
        "每批货物的成分应符合：{specs_zh}。以实验室检测结果为准。",
        "Each delivered batch meets these composition limits: {specs_en}, as shown by lab results.",
    ),
    (
        "price",
        "价格为每吨 {price} 元（人民币），按需方过磅验收的吨数结算。",
        "The price is CNY {price} per tonne, settled on the tonnage the buyer weighs and accepts.",
    ),
    (
        "term",
        "合同期限自 {start_on} 起至 {end_on} 止。",
        "The contract runs from {start_on} to {end_on}.",
    ),
    (
        "take_back",
        "不符合规格的货物由供方负责收回，运输及处置费用由供方承担。",
        "The supplier takes back off-spec loads at its own cost, transport and disposal included.",
    ),
    (
        "shortfall",
        "某月交付量低于承诺量的 {floor_pct}% 时，"
        "供方就低于该比例的差额按每吨 {shortfall_penalty} 元支付违约金。",
        "If a month's deliveries fall below {floor_pct}% of the commitment, the supplier pays "
        "CNY {shortfall_penalty} per tonne below that floor.",
    ),
    (
        "off_spec",
        "不符合规格的货物，供方按每吨 {off_spec_penalty} 元支付违约金。",
        "The supplier pays CNY {off_spec_penalty} per tonne of off-spec goods delivered.",
    ),
    (
        "revenue_share",
        "需方按交付货值的 {share_pct}% 向 {beneficiary} 支付收益分成。",
        "The buyer pays {beneficiary} a revenue share of {share_pct}% of the delivered value.",
    ),
    (
        "ledger",
        "双方确认：经签名记入台账的联单、过磅及检测记录为履约的依据。",
        "Both parties accept the signed manifests, weighings and lab results in the ledger as "
        "the evidence of performance.",
    ),
)
#: Clauses left out when their parameter is off.
_OPTIONAL = {
    "specifications": "specs_en",
    "take_back": "take_back",
    "shortfall": "shortfall_penalty",
    "off_spec": "off_spec_penalty",
    "revenue_share": "share_pct",
}
_OFF = {"", "0", "no"}


def render(parameters: Mapping[str, str], extra: tuple[Clause, ...] = ()) -> tuple[Clause, ...]:
    """The template's clauses filled with `parameters`, then the `extra` standard clauses.

    Optional clauses are left out when their parameter is empty, zero or `no`.

    Raises:
        InvalidInput: A parameter is missing (field `template.<name>`) or an extra clause
            reuses a key (field `clauses.<key>`).
    """
    clauses = []
    for key, zh, en in _CLAUSES:
        enabling = _OPTIONAL.get(key)
        if enabling is not None and parameters.get(enabling, "") in _OFF:
            continue
        try:
            clauses.append(Clause(key, zh.format_map(parameters), en.format_map(parameters)))
        except KeyError as exc:
            raise InvalidInput(
                "a template parameter is missing", field=f"template.{exc.args[0]}"
            ) from None
    keys = {c.key for c in clauses}
    for clause in extra:
        if clause.key in keys or clause.key in _OPTIONAL:
            raise InvalidInput("a clause key is used twice", field=f"clauses.{clause.key}")
        keys.add(clause.key)
        clauses.append(clause)
    return tuple(clauses)


class StandardClause(Protocol):
    """What a chain master's standard clause offers (e.g. `domain.admission.Clause`)."""

    @property
    def key(self) -> str:
        """Its key."""

    @property
    def text_zh(self) -> str:
        """Its Chinese text, with `{name}` parameters."""

    @property
    def text_en(self) -> str:
        """Its English text, with `{name}` parameters."""

    @property
    def params(self) -> Mapping[str, object]:
        """The parameters' values."""


def standard_clauses(items: Iterable[StandardClause], prefix: str = "std.") -> tuple[Clause, ...]:
    """Standard clauses with their parameters filled in, keyed `<prefix><key>` (no clash).

    Raises:
        InvalidInput: A clause names a parameter it does not give (field `clauses.<key>`).
    """
    out = []
    for item in items:
        values = {name: str(value) for name, value in item.params.items()}
        try:
            zh, en = item.text_zh.format_map(values), item.text_en.format_map(values)
        except (KeyError, ValueError):
            raise InvalidInput("a parameter is missing", field=f"clauses.{item.key}") from None
        out.append(Clause(f"{prefix}{item.key}", zh, en))
    return tuple(out)
