"""Texts of the evaluation workbench as (Chinese, English) pairs, merged into the catalog."""

from __future__ import annotations

EVALUATION_MESSAGES: dict[str, tuple[str, str]] = {
    "evaluation.title": ("评估工作台", "Evaluation workbench"),
    "evaluation.lead": (
        "在企业—城市—年度面板上估计双向固定效应模型、中介效应与政策事件研究。"
        "每张表都注明所用数据集、标准误口径与显著性星号规则。",
        "Estimate two-way fixed-effects models, mediation and policy event studies on a "
        "firm × city × year panel. Every table states its dataset, the convention of its "
        "standard errors and what the stars mean.",
    ),
    "evaluation.datasets": ("面板数据集", "Panel datasets"),
    "evaluation.dataset": ("数据集", "Dataset"),
    "evaluation.source": ("来源", "Source"),
    "evaluation.rows": ("行数", "Rows"),
    "evaluation.variables": ("变量", "Variables"),
    "evaluation.no_datasets": ("尚无数据集。", "No datasets yet."),
    "evaluation.import_note": (
        "监管部门与管理员可通过 API（POST /api/v1/evaluation/datasets）或命令行"
        "（zerowaste evaluate dataset-import）导入 CSV：首列为 firm, city, year，其后为数值变量；"
        "也可由台账与经济数据生成平台面板（zerowaste evaluate platform-panel）。",
        "Regulators and administrators import CSV files through the API "
        "(POST /api/v1/evaluation/datasets) or the CLI (zerowaste evaluate dataset-import): "
        "columns firm, city, year, then numeric variables; the platform panel is built from "
        "the ledger and economic records (zerowaste evaluate platform-panel).",
    ),
    "evaluation.import": ("导入数据集", "Import a dataset"),
    "evaluation.import_name": ("名称", "Name"),
    "evaluation.source_hint": (
        "数据出处，例如统计年鉴及年份。",
        "Where the figures come from, e.g. a yearbook and its year.",
    ),
    "evaluation.import_file": ("CSV 文件", "CSV file"),
    "evaluation.import_csv": ("或粘贴 CSV 文本", "Or paste the CSV text"),
    "evaluation.import_csv_hint": (
        "首行：firm,city,year,变量…；每个企业年度一行。",
        "First line: firm,city,year,variables…; one line per firm-year.",
    ),
    "evaluation.import_submit": ("校验并导入", "Check and import"),
    "evaluation.imported": ("数据集已导入。", "Dataset imported."),
    "evaluation.specify": ("模型设定", "Model"),
    "evaluation.choose": ("请选择", "Choose"),
    "evaluation.open": ("打开数据集", "Open the dataset"),
    "evaluation.estimate": ("估计", "Estimate"),
    "evaluation.analysis": ("分析", "Analysis"),
    "evaluation.analysis.model": ("固定效应回归", "Fixed-effects regression"),
    "evaluation.analysis.mediation": ("中介效应", "Mediation"),
    "evaluation.analysis.event_study": ("事件研究（交错实施）", "Event study (staggered adoption)"),
    "evaluation.outcome": ("被解释变量", "Outcome"),
    "evaluation.regressors": ("解释变量", "Regressors"),
    "evaluation.regressors_hint": ("用于固定效应回归。", "For the fixed-effects regression."),
    "evaluation.fixed_effects": ("固定效应", "Fixed effects"),
    "evaluation.key.firm": ("企业", "Firm"),
    "evaluation.key.city": ("城市", "City"),
    "evaluation.key.year": ("年度", "Year"),
    "evaluation.cluster": ("聚类标准误", "Clustered errors"),
    "evaluation.no_cluster": ("不聚类（仅经典标准误）", "None (classical errors only)"),
    "evaluation.cluster_hint": (
        "聚类（CRV1）标准误列在经典标准误旁。",
        "Clustered (CRV1) errors are shown beside the classical ones.",
    ),
    "evaluation.treatment": ("驱动变量 D", "Driver D"),
    "evaluation.mediator": ("中介变量 M", "Mediator M"),
    "evaluation.mediation_hint": ("用于中介效应分析。", "For the mediation analysis."),
    "evaluation.controls": ("控制变量", "Controls"),
    "evaluation.replicates": ("自助抽样次数", "Bootstrap replicates"),
    "evaluation.replicates_hint": (
        "按聚类（默认企业）有放回抽样；0 表示不做。",
        "Clusters (firms by default) drawn with replacement; 0 for none.",
    ),
    "evaluation.seed": ("随机种子", "Seed"),
    "evaluation.cohort": ("政策实施年份变量", "Adoption-year variable"),
    "evaluation.cohort_hint": (
        "每家企业的实施年份（空或 0 表示从未实施）。",
        "Each firm's adoption year (empty or 0: never adopts).",
    ),
    "evaluation.leads": ("前置期数", "Leads"),
    "evaluation.lags": ("滞后期数", "Lags"),
    "evaluation.dataset_info": (
        "{name}（{source}）：{rows} 行，{firms} 家企业，{cities} 个城市，{first}—{last} 年。",
        "{name} ({source}): {rows} rows, {firms} firms, {cities} cities, {first}-{last}.",
    ),
    "evaluation.balanced": ("平衡面板。", "Balanced panel."),
    "evaluation.unbalanced": ("非平衡面板。", "Unbalanced panel."),
    "evaluation.regression_table": ("回归结果", "Regression table"),
    "evaluation.mediation_steps": ("中介效应逐步回归", "Mediation steps"),
    "evaluation.how_model": (
        "由 pyfixest 在所选变量无缺失的样本上估计（吸收所选固定效应）。经典标准误与 Stata "
        "xtreg, fe 相同；聚类标准误为 CRV1，小样本修正见表注。",
        "Estimated with pyfixest on the rows where every chosen variable is present, "
        "absorbing the chosen fixed effects. Classical errors are Stata's xtreg, fe ones; "
        "clustered errors are CRV1 with the small-sample correction in the note.",
    ),
    "evaluation.decomposition": ("效应分解", "Decomposition"),
    "evaluation.how_mediation": (
        "三步回归使用同一样本、同一控制变量与固定效应：(1) Y 对 D；(2) M 对 D；(3) Y 对 D 与 M。"
        "最小二乘下 c = c′ + a·b 恒成立，差值仅为舍入误差。Sobel z = a·b / √(b²s_a² + a²s_b²)。",
        "The three steps share one sample, controls and fixed effects: (1) Y on D; (2) M on "
        "D; (3) Y on D and M. For least squares c = c′ + a·b is an identity; the gap is "
        "rounding. Sobel's z = a·b / √(b²s_a² + a²s_b²).",
    ),
    "evaluation.total_effect": ("总效应", "Total effect"),
    "evaluation.direct_effect": ("直接效应", "Direct effect"),
    "evaluation.indirect_effect": ("间接效应", "Indirect effect"),
    "evaluation.identity": ("分解恒等式", "Identity check"),
    "evaluation.share_mediated": ("中介占比", "Share mediated"),
    "evaluation.sobel": ("Sobel 检验", "Sobel test"),
    "evaluation.bootstrap": ("聚类自助法", "Cluster bootstrap"),
    "evaluation.bootstrap_ci": (
        "{replicates} 次（种子 {seed}，按 {cluster} 抽样）：a·b 的 95% 百分位区间 [{low}, {high}]",
        "{replicates} draws (seed {seed}, by {cluster}): 95% percentile interval of a·b "
        "[{low}, {high}]",
    ),
    "evaluation.event_study": ("事件研究", "Event study"),
    "evaluation.how_event_study": (
        "{n} 行，{units} 家企业（{treated} 家实施，批次 {cohorts}），"
        "按 {cluster} 聚类（{clusters} 组）。"
        "相对期 −1 为基准，两端合并。TWFE 在交错实施且效应异质时可能有偏，故并列 Gardner 两阶段"
        "估计量（did2s）。前置趋势检验为全部前置系数为零的联合 F 检验。",
        "{n} rows, {units} firms ({treated} adopt; cohorts {cohorts}), errors clustered by "
        "{cluster} ({clusters} clusters). Period −1 is the reference; endpoints are binned. "
        "TWFE can be biased under staggered adoption with heterogeneous effects, so "
        "Gardner's two-stage estimator (did2s) is shown beside. The pre-trend test is the "
        "joint F test that every lead is zero.",
    ),
    "evaluation.relative_period": ("相对实施年份", "Years since adoption"),
    "evaluation.effect_on": ("对 {name} 的效应", "Effect on {name}"),
    "evaluation.estimator.twfe": ("TWFE 事件研究", "TWFE event study"),
    "evaluation.estimator.did2s": ("did2s（Gardner 两阶段）", "did2s (Gardner two-stage)"),
    "evaluation.pretrend": ("前置趋势检验", "Pre-trend test"),
    "evaluation.average_post": ("实施后平均效应", "Average post effect"),
    "evaluation.chart_fallback": (
        "图表需要 JavaScript；下表列出同样的数值。",
        "The chart needs JavaScript; the table below lists the same figures.",
    ),
}
