"""Texts of the market matching pages (allocation runs, recommendations) as (Chinese, English)."""

from __future__ import annotations

MARKET_MATCH_MESSAGES: dict[str, tuple[str, str]] = {
    "market_match.runs_title": ("区域资源匹配结果", "Region-wide allocations"),
    "market_match.runs_lead": (
        "每次运行把一个地区在一个时段内的全部有效供应挂牌分配给需求方或其默认处置途径，"
        "使经济价值与碳减排价值之和最大；每一行都附有解释。仅监管部门与管理员可见。",
        "Each run allocates every open supply listing of a region over a period to buyers or "
        "to its default disposal route, maximizing economic plus carbon value; every line is "
        "explained. For regulators and administrators.",
    ),
    "market_match.run_hint": (
        "运行一次分配：zerowaste market match --region 3205 --period 2026-11，"
        "或 POST /api/v1/market/allocations。",
        "Run one: zerowaste market match --region 3205 --period 2026-11, or POST "
        "/api/v1/market/allocations.",
    ),
    "market_match.run": ("运行分配", "Run allocation"),
    "market_match.period_hint": (
        "YYYY、YYYY-MM、YYYY-Qn 或 YYYY-MM-DD/YYYY-MM-DD，至多一年",
        "YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD/YYYY-MM-DD, at most a year",
    ),
    "market_match.carbon_price_hint": ("留空则用默认碳价", "Leave empty for the default price"),
    "market_match.run_title": ("资源匹配：{region}，{period}", "Allocation: {region}, {period}"),
    "market_match.region": ("地区", "Region"),
    "market_match.period": ("时段", "Period"),
    "market_match.carbon_price": ("碳价（元/tCO2e）", "Carbon price (CNY/t CO2e)"),
    "market_match.objective": ("目标值（元）", "Objective (CNY)"),
    "market_match.matched_t": ("匹配量（吨）", "Matched (t)"),
    "market_match.disposed_t": ("处置量（吨）", "Disposed (t)"),
    "market_match.avoided_t": ("减排量（tCO2e）", "Avoided (t CO2e)"),
    "market_match.candidates": ("候选配对", "Candidate pairs"),
    "market_match.solver": ("求解器", "Solver"),
    "market_match.created_at": ("运行时间", "Run at"),
    "market_match.dataset": ("排放因子库", "Factor dataset"),
    "market_match.timings": ("耗时（秒）", "Timings (s)"),
    "market_match.summary": ("汇总", "Summary"),
    "market_match.flows": ("流向", "Flows"),
    "market_match.chart_fallback": (
        "流向图需要 JavaScript；下表列出全部配对。",
        "The flow chart needs JavaScript; the table below lists every line.",
    ),
    "market_match.lines": ("分配明细", "Lines"),
    "market_match.line": ("行", "Line"),
    "market_match.supply": ("供应", "Supply"),
    "market_match.demand": ("需求", "Demand"),
    "market_match.disposal": ("默认处置（{route}）", "Default disposal ({route})"),
    "market_match.disposal_short": ("默认处置", "Default disposal"),
    "market_match.quantity_t": ("数量（吨）", "Quantity (t)"),
    "market_match.distance_km": ("距离（km）", "Distance (km)"),
    "market_match.price": ("价格", "Price"),
    "market_match.avoided_disposal": ("免除处置费", "Avoided disposal"),
    "market_match.transport": ("运输", "Transport"),
    "market_match.approval": ("跨省审批", "Approval"),
    "market_match.carbon_value": ("碳价值", "Carbon value"),
    "market_match.avoided_kg_per_t": ("减排（kg/t）", "Avoided (kg/t)"),
    "market_match.value_per_t": ("合计（元/吨）", "Value (CNY/t)"),
    "market_match.value_cny": ("行价值（元）", "Line value (CNY)"),
    "market_match.breakdown_note": (
        "每吨价值 = 价格 + 免除的处置费 − 运输费 − 跨省审批费 + 碳价值（元/吨）；"
        "处置行只计其默认途径的碳值。",
        "Value per tonne = price + avoided disposal − transport − approval + carbon value "
        "(CNY/t); a disposal line counts only its default route's carbon.",
    ),
    "market_match.binding": ("约束", "Binding"),
    "market_match.alternative": ("次优选择", "Next best"),
    "market_match.filtered": ("被过滤的配对", "Filtered-out pairs"),
    "market_match.filtered_lead": (
        "硬性规则在优化前剔除的供需配对数量，以及每条规则的示例。",
        "Pairs the hard rules removed before optimizing, with examples of each rule.",
    ),
    "market_match.rule": ("规则", "Rule"),
    "market_match.pairs": ("配对数", "Pairs"),
    "market_match.examples": ("示例", "Examples"),
    "market_match.rule.code_not_accepted": ("代码不在接收范围", "Code not accepted"),
    "market_match.rule.permit_missing": ("许可证未覆盖", "No covering permit"),
    "market_match.rule.composition_out_of_limits": ("成分超限", "Composition out of limits"),
    "market_match.rule.below_min_lot": ("低于最小批量", "Below minimum lot"),
    "market_match.rule.too_far": ("超出运距", "Too far"),
    "market_match.rule.cross_province_not_allowed": (
        "不允许跨省",
        "Cross-province not allowed",
    ),
    "market_match.rule.disposal_not_nearest": ("非就近处置", "Disposal not nearest"),
    "market_match.rule.windows_do_not_overlap": ("时间不重叠", "Windows do not overlap"),
    "market_match.rule.price_below_ask": ("出价低于要价", "Price below ask"),
    "market_match.rule.same_organization": ("同一企业", "Same organization"),
    "market_match.recommend_title": ("推荐伙伴：{title}", "Recommended partners: {title}"),
    "market_match.recommend_lead": (
        "在其他有效挂牌中按每吨价值排序的前 {k} 位伙伴（{period}）；被硬性规则剔除的列于下方。",
        "The best {k} partners among the other open listings by value per tonne ({period}); "
        "pairs the hard rules removed are listed below.",
    ),
    "market_match.rank": ("排名", "Rank"),
    "market_match.partner": ("伙伴挂牌", "Partner listing"),
    "market_match.note": ("说明", "Note"),
    "market_match.propose": ("发起合作", "Propose"),
    "market_match.cross_province": ("跨省", "Cross-province"),
    "market_match.k": ("数量", "How many"),
    "market_match.show": ("显示", "Show"),
    "market_match.listing": ("挂牌", "Listing"),
    "market_match.yes": ("是", "yes"),
    "market_match.no": ("否", "no"),
}
