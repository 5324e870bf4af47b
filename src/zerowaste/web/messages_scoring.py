"""Texts of the supplier ranking and chain evaluation pages as (Chinese, English) pairs."""

from __future__ import annotations

SCORING_MESSAGES: dict[str, tuple[str, str]] = {
    "scoring.ranking_title": ("{name}：供应商排名", "{name}: supplier ranking"),
    "scoring.ranking_lead": (
        "按熵权 TOPSIS 法对链上供应商排序：指标由台账、经济数据与风险评分计算，"
        "权重默认由各指标在供应商间的差异程度（熵权）确定，也可给定专家权重或二者加权组合。",
        "The chain's suppliers ranked by entropy-weight TOPSIS: indicators come from the "
        "ledger, economic figures and the risk score; weights default to entropy weights (how "
        "much the suppliers differ on each criterion), or expert weights, or a blend of both.",
    ),
    "scoring.method": ("计算方法", "How it is computed"),
    "scoring.method_text": (
        "熵权：各指标按方向做极差标准化（越高越好：(x−min)/(max−min)；越低越好："
        "(max−x)/(max−min)），p = y/Σy，e = −Σ p ln p / ln m（0·ln 0 取 0），权重 ∝ 1−e；"
        "所有供应商取值相同的指标权重为 0。TOPSIS：向量标准化 r = x/√Σx²，加权 v = w·r，"
        "正理想解取各列最优、负理想解取最差，D⁺、D⁻ 为欧氏距离，贴近度 C = D⁻/(D⁺+D⁻)。"
        "缺少任一所选指标值的供应商不参与排名（不会按 0 计），并列出原因。",
        "Entropy weights: each criterion min-max normalised by its direction (higher is "
        "better: (x−min)/(max−min); lower is better: (max−x)/(max−min)), p = y/Σy, "
        "e = −Σ p ln p / ln m (0·ln 0 taken as 0), weight ∝ 1−e; a criterion on which every "
        "supplier is equal weighs 0. TOPSIS: vector normalisation r = x/√Σx², weighted "
        "v = w·r, the positive ideal the best of each column and the negative ideal the worst, "
        "D⁺ and D⁻ Euclidean distances, closeness C = D⁻/(D⁺+D⁻). A supplier missing any "
        "chosen criterion's value is left out of the ranking (never counted as 0), with the "
        "reason listed.",
    ),
    "scoring.weights": ("{year} 年所用权重", "Weights used for {year}"),
    "scoring.weights_from": ("权重来源", "Weights from"),
    "scoring.source.entropy": ("熵权法（客观）", "the entropy weight method (objective)"),
    "scoring.source.expert": ("专家权重（已归一化）", "expert weights (normalised)"),
    "scoring.source.blend": (
        "组合权重：α·熵权 + (1−α)·专家权重，α = {alpha}",
        "a blend α·entropy + (1−α)·expert, α = {alpha}",
    ),
    "scoring.criterion": ("指标", "Criterion"),
    "scoring.criteria": ("排名指标", "Criteria to rank on"),
    "scoring.weight_used": ("所用权重", "Weight used"),
    "scoring.entropy_weight": ("熵权", "Entropy weight"),
    "scoring.expert_weight": ("专家权重", "Expert weight"),
    "scoring.ranking": ("排名", "Ranking"),
    "scoring.rank": ("名次", "Rank"),
    "scoring.closeness": ("贴近度 C", "Closeness C"),
    "scoring.contributions": (
        "偏离理想解的构成（各指标占 D⁺² 的比例）",
        "What pulls it from the ideal (each criterion's share of D⁺²)",
    ),
    "scoring.pulled_by": ("主要差距：{criterion}", "Furthest from the ideal on: {criterion}"),
    "scoring.at_ideal": ("各指标均达到理想解。", "At the ideal on every criterion."),
    "scoring.excluded": ("未参与排名", "Not ranked"),
    "scoring.missing": ("缺少指标值：{criteria}", "no value for {criteria}"),
    "scoring.problem_hint": (
        "可换一个年度，或减少所选指标（例如无产值记录时不选产生强度）。",
        "Try another year, or fewer criteria (e.g. no intensity where output values are missing).",
    ),
    "scoring.definitions": (
        "指标如何计算、依据什么",
        "How each indicator is computed, and from what",
    ),
    "scoring.definition.waste_intensity_t_per_10k_cny": (
        "当年一般工业固体废物产生量（台账“产生”事件，含更正）÷ 当年产值（企业经济数据，万元）；"
        "参照《“无废城市”建设指标体系（2021年版）》一般工业固体废物产生强度，按企业口径计算。",
        "General (non-hazardous) industrial solid waste generated in the year (the ledger's "
        "`generated` events, after corrections) ÷ the year's output value (the firm's economic "
        "record, 10,000 CNY); after the zero-waste city indicator system (2021), read per firm.",
    ),
    "scoring.definition.hazardous_intensity_t_per_10k_cny": (
        "当年危险废物产生量（《国家危险废物名录》代码）÷ 当年产值（万元）。",
        "Hazardous waste (National Hazardous Waste List codes) generated in the year ÷ the "
        "year's output value (10,000 CNY).",
    ),
    "scoring.definition.utilization_rate": (
        "综合利用量 ÷（产生量 + 综合利用往年贮存量）：企业自身或其联单接收方当年对其废物的"
        "“转化”事件，按环境统计口径。",
        "Utilized ÷ (generated + prior-year stock utilized): the year's `transformed` events "
        "on the firm's waste, by the firm or a receiver on a manifest (the environmental "
        "statistics' convention).",
    ),
    "scoring.definition.disposal_share": (
        "处置量 ÷（利用量 + 处置量）：当年最终去向为填埋、焚烧、协同处置等的比例。",
        "Disposed ÷ (utilized + disposed): of the firm's waste meeting a fate in the year, the "
        "share landfilled, incinerated, co-processed or otherwise disposed.",
    ),
    "scoring.definition.whitelisted": (
        "当前是否列入监管部门白名单（排名中计为 1/0）。",
        "Whether the firm is on the regulator's whitelist now (1/0 in a ranking).",
    ),
    "scoring.definition.risk_score": (
        "监管风险评分（0–1，越低越好），按当前预警、检查与台账状况计算。",
        "The oversight risk score now (0–1, lower is better), from alerts, inspections and "
        "the ledger.",
    ),
    "scoring.definition.open_alerts": (
        "当前未处理也未驳回的预警条数。",
        "Alerts neither resolved nor dismissed, now.",
    ),
    "scoring.unranked": ("未排名", "unranked"),
    "scoring.choose": ("选择指标与权重", "Choose criteria and weights"),
    "scoring.choose_note": (
        "留空专家权重即使用熵权；给出专家权重时须为所选每个指标给出正数（自动归一化）；"
        "再填 α 则按 α·熵权 + (1−α)·专家权重组合。",
        "Leave the expert weights empty for entropy weights; if you give expert weights, give "
        "a positive number for every chosen criterion (they are normalised); add α to blend "
        "α·entropy + (1−α)·expert.",
    ),
    "scoring.expert_weights": ("专家权重（可选）", "Expert weights (optional)"),
    "scoring.alpha": ("组合系数 α（可选）", "Blend α (optional)"),
    "scoring.alpha_hint": ("0 到 1 之间；1 为纯熵权。", "Between 0 and 1; 1 is entropy only."),
    "scoring.rank_button": ("排名", "Rank"),
    "scoring.to_evaluation": ("链主评价", "Chain evaluation"),
    "scoring.to_ranking": ("供应商排名", "Supplier ranking"),
    "scoring.to_admission": ("准入规则与结果", "Admission rules and verdicts"),
    "scoring.unit.yes_no": ("是/否（1/0）", "yes/no (1/0)"),
    "scoring.evaluation_title": ("{name}：链主评价", "{name}: chain evaluation"),
    "scoring.evaluation_lead": (
        "链主对其供应链的年度评价：链上合计指标、每家供应商的指标值、熵权 TOPSIS 名次"
        "及对照准入规则的结果。",
        "The chain master's yearly evaluation of its chain: the chain's totals, each "
        "supplier's indicator values, its entropy-weight TOPSIS rank and its admission verdict.",
    ),
    "scoring.aggregates": ("{year} 年链上合计", "The chain in {year}"),
    "scoring.aggregates_note": (
        "比率按质量加权：各供应商质量之和除以基数之和（链主自身不计）。综合利用率 = 利用量 ÷ "
        "（产生量 + 利用的往年贮存量）；处置占比 = 处置量 ÷（利用量 + 处置量）；产生强度只计有"
        "产值记录的供应商。",
        "Ratios are mass-weighted: sums of the suppliers' masses over sums of their bases (the "
        "chain master itself not counted). Utilization = utilized ÷ (generated + prior-year "
        "stock utilized); disposal share = disposed ÷ (utilized + disposed); intensities count "
        "only suppliers with an output value.",
    ),
    "scoring.members": ("供应商数", "Suppliers"),
    "scoring.generated_t": ("产生量（吨）", "Generated (t)"),
    "scoring.utilized_t": ("利用量（吨）", "Utilized (t)"),
    "scoring.disposed_t": ("处置量（吨）", "Disposed (t)"),
    "scoring.chain_utilization": ("综合利用率", "Utilization rate"),
    "scoring.chain_disposal": ("处置占比", "Disposal share"),
    "scoring.chain_intensity": (
        "一般工业固体废物产生强度（吨/万元，{n}/{m} 家有产值）",
        "General waste intensity (t per 10,000 CNY; {n} of {m} with output value)",
    ),
    "scoring.chain_hazardous": (
        "危险废物产生强度（吨/万元，{n}/{m} 家有产值）",
        "Hazardous waste intensity (t per 10,000 CNY; {n} of {m} with output value)",
    ),
    "scoring.member_values": ("各供应商指标", "Each supplier's indicators"),
    "scoring.ranked_on": (
        "名次按以下指标的熵权 TOPSIS：{criteria}。",
        "Ranks: entropy-weight TOPSIS over {criteria}.",
    ),
    "scoring.rules_version": (
        "准入结果依据第 {version} 版规则。",
        "Verdicts against rules version {version}.",
    ),
    "scoring.no_rules": (
        "链主尚未设定准入规则，无准入结果。",
        "No admission rules set: no verdicts.",
    ),
}
