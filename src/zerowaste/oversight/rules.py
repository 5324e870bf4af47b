"""The registry of compliance rules: what each checks, why (the article), how hard, and when.

Every rule has a stable id, a bilingual name and explanation, a severity, the legal basis it
enforces, default parameters (overridable per deployment), the level it runs at (on capture,
for rules one event decides, or in the periodic sweep, for rules time decides) and, where the
hazardous waste exemption list (豁免管理清单) can exempt a stage, the stage it checks.

Legal bases cite the Law on the Prevention and Control of Environmental Pollution by Solid
Wastes (中华人民共和国固体废物污染环境防治法, 2020 revision, "固废法") by article; the Measures
for the Administration of Transfer of Hazardous Waste (危险废物转移管理办法, MEE Order No. 23,
2021, "转移办法"), the Measures for the Administration of Hazardous Waste Business Licences
(危险废物经营许可证管理办法, State Council Decree No. 408, "许可证办法"), the Provisions on
Road Dangerous Goods Transport (道路危险货物运输管理规定, Ministry of Transport) and the
Electronic Signature Law (电子签名法) are cited as a whole or by article. Article numbers
follow the published texts as read when the rules were written; check them against the
official text before an alert is used in enforcement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from zerowaste.errors import InvalidInput, NotFound


class RuleLevel(StrEnum):
    """When a rule runs: as events are captured, or in the periodic sweep."""

    CAPTURE = "capture"
    SWEEP = "sweep"


class Severity(StrEnum):
    """How serious a breach is; `rank` orders them."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 1 for medium, 2 for high."""
        return ("low", "medium", "high").index(self.value)


class Stage(StrEnum):
    """The stage of a waste's life a rule checks, as the exemption list names stages."""

    STORAGE = "贮存"
    TRANSPORT = "运输"
    UTILIZATION = "利用"
    DISPOSAL = "处置"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule of the registry.

    Attributes:
        rule_id: Stable id (`over_storage`), used in alerts, the API and the CLI.
        name_zh: The rule's name in Chinese.
        name_en: The rule's name in English.
        explanation_zh: What the rule checks, in Chinese.
        explanation_en: What the rule checks, in English.
        severity: How serious a breach is.
        legal_basis: The article the rule enforces.
        level: When it runs.
        parameters: Default parameter values (decimal strings or integers), by name.
        stage: The exemptible stage it checks, if any.
        finding_en: The English template of one finding's explanation (`str.format` over its
            figures).
        finding_zh: The Chinese template of the same.
    """

    rule_id: str
    name_zh: str
    name_en: str
    explanation_zh: str
    explanation_en: str
    severity: Severity
    legal_basis: str
    level: RuleLevel
    finding_en: str
    finding_zh: str
    parameters: Mapping[str, Decimal] = field(default_factory=dict)
    stage: Stage | None = None

    def explain(self, figures: Mapping[str, str]) -> tuple[str, str]:
        """The finding's plain explanation in (Chinese, English), filled from its figures."""
        values = {**{k: str(v) for k, v in self.parameters.items()}, **figures}
        return self.finding_zh.format_map(values), self.finding_en.format_map(values)


_FIXED = "固废法"
_TRANSFER = "转移办法"
_LICENCE = "许可证办法"

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "over_storage",
        "危险废物超期贮存",
        "Hazardous waste stored too long",
        "危险废物在一个场所贮存超过规定期限（一般不超过一年）。",
        "Hazardous waste held at one site beyond the legal limit (normally one year).",
        Severity.HIGH,
        f"{_FIXED} 第八十一条",
        RuleLevel.SWEEP,
        "{waste_code} batch {batch} has been stored at this site for {stored_days} days "
        "since {since} (limit {max_days} days).",
        "{waste_code} 批次 {batch} 自 {since} 起已在该场所贮存"
        " {stored_days} 天（上限 {max_days} 天）。",
        {"max_days": Decimal(365)},
        Stage.STORAGE,
    ),
    RuleSpec(
        "storage_nearing_limit",
        "危险废物贮存临近期限",
        "Hazardous waste storage nearing its limit",
        "危险废物贮存天数达到预警天数，尚未超过上限：提前提醒处置。",
        "Hazardous waste held long enough to reach the early-warning day, not yet the limit.",
        Severity.LOW,
        f"{_FIXED} 第八十一条",
        RuleLevel.SWEEP,
        "{waste_code} batch {batch} has been stored for {stored_days} days since {since}; "
        "the warning day is {warn_days} and the limit {max_days}.",
        "{waste_code} 批次 {batch} 自 {since} 起已贮存"
        " {stored_days} 天，预警 {warn_days} 天，上限 {max_days} 天。",
        {"warn_days": Decimal(300), "max_days": Decimal(365)},
        Stage.STORAGE,
    ),
    RuleSpec(
        "receiver_not_permitted",
        "接收单位许可证不覆盖",
        "Receiver's licence does not cover the waste",
        "接收单位在接收之日没有覆盖该废物代码和经营方式的有效危险废物经营许可证。",
        "On the day of receipt the receiver held no valid hazardous waste business licence "
        "covering the code and the activity.",
        Severity.HIGH,
        f"{_FIXED} 第八十条; {_LICENCE} 第二条",
        RuleLevel.CAPTURE,
        "Received {waste_code} on {received_on} for {activity} with no licence covering it "
        "({reason}).",
        "{received_on} 接收 {waste_code}（{activity}），无覆盖的许可证（{reason_zh}）。",
        {},
        Stage.UTILIZATION,
    ),
    RuleSpec(
        "receiver_over_capacity",
        "接收量超过许可能力",
        "Receipts beyond the licensed annual capacity",
        "接收单位本年度已接收的危险废物超过其许可证核定的年经营规模。",
        "What the receiver has received this year exceeds the annual capacity its licences allow.",
        Severity.MEDIUM,
        f"{_LICENCE}（经营规模）",
        RuleLevel.SWEEP,
        "Received {received_t} t of hazardous waste in {year}, above the licensed {capacity_t} t.",
        "{year} 年已接收危险废物 {received_t} 吨，超过许可规模 {capacity_t} 吨。",
        {},
    ),
    RuleSpec(
        "weight_gap",
        "转移重量差异",
        "Weight gap between shipped and received",
        "接收称重与发运量之差超过允许误差，可能存在途中流失或非法倾倒。",
        "The weighed quantity at receipt differs from the shipped quantity beyond the "
        "tolerance: waste may have been lost or dumped on the way.",
        Severity.HIGH,
        f"{_FIXED} 第八十二条; {_TRANSFER}",
        RuleLevel.CAPTURE,
        "Shipped {shipped_kg} kg, received {received_kg} kg: a gap of {gap_pct}% "
        "(tolerance {tolerance_pct}%).",
        "发运 {shipped_kg} 千克，接收 {received_kg} 千克"
        "，差异 {gap_pct}%（允许 {tolerance_pct}%）。",
        {"tolerance": Decimal("0.02")},
    ),
    RuleSpec(
        "overdue_in_transit",
        "联单超期未接收",
        "Manifest overdue in transit",
        "联单发运后超过规定天数仍未被接收，可能存在非法转移或倾倒。",
        "A manifest still in transit long after pickup: possible illegal transfer or dumping.",
        Severity.HIGH,
        f"{_FIXED} 第八十二条; {_TRANSFER}",
        RuleLevel.SWEEP,
        "Manifest {manifest} left on {shipped_on} and has been in transit {transit_days} days "
        "(limit {max_days}).",
        "联单 {manifest} 于 {shipped_on} 发运，已在途 {transit_days} 天（上限 {max_days} 天）。",
        {"max_days": Decimal(7)},
        Stage.TRANSPORT,
    ),
    RuleSpec(
        "vanished_batch",
        "批次去向不明",
        "Batch vanished from the record",
        "批次产生后既未入库贮存也未转移或利用，长时间没有任何记录。",
        "A batch neither stored, shipped nor used since it was generated, with no event for "
        "too long.",
        Severity.HIGH,
        f"{_FIXED} 第七十八条",
        RuleLevel.SWEEP,
        "{mass_kg} kg of {waste_code} (batch {batch}) has had no event for {silent_days} days "
        "since {since} (limit {max_days}).",
        "批次 {batch}（{waste_code}，{mass_kg} 千克）自 {since}"
        " 起 {silent_days} 天没有任何记录（上限 {max_days} 天）。",
        {"max_days": Decimal(120)},
    ),
    RuleSpec(
        "cross_province_unapproved",
        "跨省转移未经批准",
        "Cross-province transfer without approval",
        "跨省转移没有已批准的跨省转移批复，或超出批复的数量或期限。",
        "A cross-province transfer with no approved approval, or beyond its cap or period.",
        Severity.HIGH,
        f"{_FIXED} 第八十二条",
        RuleLevel.SWEEP,
        "Manifest {manifest} moves waste from {origin} to {destination}: {reason}.",
        "联单 {manifest} 从 {origin} 转移至 {destination}：{reason_zh}。",
        {},
        Stage.TRANSPORT,
    ),
    RuleSpec(
        "transporter_unlicensed",
        "运输单位无危险货物运输资质",
        "Transporter without a hazardous transport licence",
        "承运危险废物的运输单位在承运之日没有有效的道路危险货物运输许可证。",
        "The carrier of hazardous waste held no valid road dangerous-goods transport licence "
        "on the day it carried it.",
        Severity.HIGH,
        f"{_TRANSFER}; 道路危险货物运输管理规定",
        RuleLevel.SWEEP,
        "Carried {waste_code} on manifest {manifest} on {carried_on} with no valid transport "
        "licence.",
        "{carried_on} 承运联单 {manifest} 的 {waste_code}，无有效运输许可证。",
        {},
        Stage.TRANSPORT,
    ),
    RuleSpec(
        "mass_balance_breach",
        "利用处置物料不平衡",
        "Mass balance breach in a transformation",
        "利用或处置的产出、残渣与申报损耗之和与投入不符。",
        "Outputs plus residues plus declared losses of a transformation differ from its inputs.",
        Severity.MEDIUM,
        f"{_FIXED} 第三十六条",
        RuleLevel.CAPTURE,
        "Inputs {inputs_kg} kg, outputs and losses {outputs_kg} kg: {gap_pct}% apart "
        "(tolerance {tolerance_pct}%).",
        "投入 {inputs_kg} 千克，产出与损耗 {outputs_kg}"
        " 千克，相差 {gap_pct}%（允许 {tolerance_pct}%）。",
        {"tolerance": Decimal("0.005")},
    ),
    RuleSpec(
        "under_reporting",
        "产废量申报偏低",
        "Generation under-reported",
        "单位产品产废量远低于同行：对企业申报的每种废物，以其单位产品产生量的对数，"
        "与同行业、同产品计量单位且产生该废物的企业（废物种类构成相同的企业达到最少家数时，"
        "仅与这些企业比较）的中位数及 1.4826 倍中位数绝对偏差（不小于最小离散度）计算稳健 z 值；"
        "企业得分为各废物 z 值的中位数，低于阈值即报警。",
        "Waste generated per unit of output far below the firm's peers: for each waste code it "
        "declares, a robust z score of its log kg per unit of product output against the median "
        "and 1.4826 × median absolute deviation (never less than the minimum spread) of the "
        "firms of the same industry class and output unit generating that code (only those with "
        "the same mix of wastes when there are enough of them); the firm's score is the median "
        "of its per-code z scores, raised below the threshold.",
        Severity.MEDIUM,
        f"{_FIXED} 第三十六条, 第七十八条",
        RuleLevel.SWEEP,
        "In {year}, per waste code, kg per {unit} of output, the firm's against its peers' "
        "median (robust z, n peers): {per_code}. The median of its {codes} per-code z scores "
        "is {z} (threshold {z_threshold}). Peers are firms of industry {industry} with output "
        "in {unit} generating the code; {profile_peers} of them declare the same mix of "
        "wastes (used alone when at least {min_peers}). Spread = 1.4826 × median absolute "
        "deviation of the log values, at least {min_spread}.",
        "{year} 年各废物单位产品产生量（千克/{unit}，本企业/同行中位数，稳健 z 值，"
        "n 为同行家数）：{per_code}。{codes} 种废物 z 值的中位数为 {z}（阈值 {z_threshold}）。"
        "同行为行业 {industry}、产品计量单位 {unit} 且产生该废物的企业，"
        "其中废物种类构成相同的 {profile_peers} 家"
        "（达到 {min_peers} 家时仅与其比较）。离散度取对数值中位数绝对偏差的 1.4826 倍，"
        "不小于 {min_spread}。",
        {"z_threshold": Decimal("-3.5"), "min_peers": Decimal(3), "min_spread": Decimal("0.25")},
    ),
    RuleSpec(
        "signature_key_invalid",
        "签名密钥已吊销或过期",
        "Signed with a revoked or expired key",
        "记录的签名密钥在记录时已被吊销、过期或尚未生效。",
        "The key that signed a record was revoked, expired or not yet valid when it was recorded.",
        Severity.MEDIUM,
        "电子签名法 第十三条",
        RuleLevel.SWEEP,
        "Event {event} recorded {recorded_at} was signed by key {key}, valid {valid_from} to "
        "{valid_to}.",
        "事件 {event} 于 {recorded_at} 记录，签名密钥 {key} 有效期 {valid_from} 至 {valid_to}。",
        {},
    ),
    RuleSpec(
        "backdated_record",
        "补记或倒签记录",
        "Record entered long after the fact",
        "事件记录时间远晚于事件发生时间，可能补录或倒签。",
        "An event recorded long after the time it says it happened: possibly backdated.",
        Severity.MEDIUM,
        f"{_FIXED} 第七十八条",
        RuleLevel.CAPTURE,
        "A {event_type} event of {event_time} was recorded {recorded_at}, {lag_days} days later "
        "(limit {max_days}).",
        "{event_time} 的 {event_type} 事件于 {recorded_at}"
        " 记录，晚 {lag_days} 天（上限 {max_days} 天）。",
        {"max_days": Decimal(30)},
    ),
    RuleSpec(
        "inspection_stock_gap",
        "核查库存与台账不符",
        "Counted stock differs from the ledger",
        "现场核查清点的库存与台账库存之差超过允许误差。",
        "The stock an inspector counted differs from the ledger's stock beyond the tolerance.",
        Severity.HIGH,
        f"{_FIXED} 第二十六条",
        RuleLevel.CAPTURE,
        "The inspection of {inspected_on} counted {counted_kg} kg against {ledger_kg} kg in the "
        "ledger ({gap_kg} kg).",
        "{inspected_on} 现场核查清点 {counted_kg}"
        " 千克，台账 {ledger_kg} 千克（差 {gap_kg} 千克）。",
        {"tolerance": Decimal("0.02")},
    ),
)

_BY_ID = {spec.rule_id: spec for spec in RULES}


def rule(rule_id: str) -> RuleSpec:
    """The rule with this id.

    Raises:
        NotFound: No such rule (field `rule_id`).
    """
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise NotFound(f"no rule {rule_id!r}", field="rule_id") from None


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """The parameters in force: the registry's defaults with a deployment's overrides."""

    overrides: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> RuleSettings:
        """Overrides written `rule.parameter=value,...` (e.g. `over_storage.max_days=300`).

        Raises:
            InvalidInput: Unknown rule or parameter, or a value that is not a number.
        """
        found: dict[str, dict[str, Decimal]] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, _, value = item.partition("=")
            rule_id, _, parameter = name.strip().partition(".")
            spec = rule(rule_id)
            if parameter not in spec.parameters:
                raise InvalidInput(f"rule {rule_id} has no parameter {parameter!r}", field=name)
            try:
                number = Decimal(value.strip())
            except ArithmeticError:
                raise InvalidInput(f"{value!r} is not a number", field=name) from None
            if not number.is_finite():
                raise InvalidInput(f"{value!r} is not a finite number", field=name)
            found.setdefault(rule_id, {})[parameter] = number
        return cls(found)

    def value(self, rule_id: str, parameter: str) -> Decimal:
        """The parameter's value in force."""
        spec = rule(rule_id)
        return self.overrides.get(rule_id, {}).get(parameter, spec.parameters[parameter])

    def parameters(self, rule_id: str) -> dict[str, Decimal]:
        """Every parameter of the rule with its value in force."""
        spec = rule(rule_id)
        return {name: self.value(rule_id, name) for name in spec.parameters}
