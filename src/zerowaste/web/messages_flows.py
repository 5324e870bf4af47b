"""Texts of the material-flow page as (Chinese, English) pairs, merged into the catalog."""

from __future__ import annotations

FLOW_MESSAGES: dict[str, tuple[str, str]] = {
    "flows.title": ("物质流分析 {region} {period}", "Material-flow analysis {region} {period}"),
    "flows.lead": (
        "本地区固体废物从产生、贮存、运输到利用处置的全过程物质流，由台账事件汇总，"
        "并按加权最小二乘法（STAN 方法）进行数据协调。",
        "Where the region's solid waste goes, from generation through storage and transport to "
        "utilization and disposal, summed from ledger events and reconciled by weighted least "
        "squares (the STAN method).",
    ),
    "flows.region": ("地区代码", "Region code"),
    "flows.period": ("时段", "Period"),
    "flows.substance": ("物质", "Substance"),
    "flows.goods": ("废物总量", "Waste (goods)"),
    "flows.alpha": ("显著性水平", "Significance"),
    "flows.show": ("查看", "Show"),
    "flows.sankey": ("桑基图", "Sankey diagram"),
    "flows.sankey_note": (
        "宽度与协调后的流量成正比（{unit}）；悬停可查看测量值、协调值与标准差。",
        "Widths are proportional to reconciled flows ({unit}); hover for measured and "
        "reconciled values and standard deviations.",
    ),
    "flows.sankey_label": ("物质流桑基图", "Sankey diagram of the material flows"),
    "flows.chart_fallback": (
        "需要启用脚本才能显示桑基图；下表列出全部数值。",
        "The Sankey needs scripts; the table below lists every value.",
    ),
    "flows.no_flows": (
        "该时段台账中没有记录到流量。",
        "The ledger records no flows in this period.",
    ),
    "flows.table": ("数据协调结果", "Reconciliation"),
    "flows.flow": ("流 / 库存变化", "Flow / stock change"),
    "flows.from": ("来源", "From"),
    "flows.to": ("去向", "To"),
    "flows.measured": ("测量值", "Measured"),
    "flows.sd": ("标准差", "σ"),
    "flows.reconciled": ("协调值", "Reconciled"),
    "flows.reconciled_sd": ("协调后标准差", "Reconciled σ"),
    "flows.adjustment": ("调整量", "Adjustment"),
    "flows.test": ("检验统计量", "Test statistic"),
    "flows.status": ("判定", "Verdict"),
    "flows.unknown": ("未知（由平衡计算）", "unknown (computed)"),
    "flows.undetermined": ("不可确定", "not determinable"),
    "flows.not_redundant": ("非冗余", "not redundant"),
    "flows.suspect": ("疑似粗差", "suspect"),
    "flows.ok": ("通过", "ok"),
    "flows.stock_of": ("{process} 库存变化", "Stock change of {process}"),
    "flows.environment": ("系统边界外", "Outside the boundary"),
    "flows.chi": ("整体 χ² 检验", "Global χ² test"),
    "flows.chi_values": (
        "χ² = {statistic}，自由度 {df}，p = {p}，临界值 {critical}（α = {alpha}）。",
        "χ² = {statistic}, {df} degrees of freedom, p = {p}, "
        "critical value {critical} (α = {alpha}).",
    ),
    "flows.chi_pass": (
        "测量数据与质量平衡一致。",
        "The measurements are consistent with the balances.",
    ),
    "flows.chi_fail": (
        "测量数据与质量平衡不一致：疑似存在粗差。",
        "The measurements contradict the balances: a gross error is likely.",
    ),
    "flows.no_redundancy": (
        "无冗余：每个测量值都用于闭合平衡，无法检验。",
        "No redundancy: every measurement is needed to close the balances, nothing to test.",
    ),
    "flows.suspects": ("疑似粗差的流：{names}", "Suspect flows: {names}"),
    "flows.measurement_test": (
        "单项检验：调整量除以其自身标准差，与经 Šidák 校正的正态分位数 {critical} 比较。",
        "Measurement test: each adjustment over its own standard deviation, against the "
        "Šidák-corrected normal quantile {critical}.",
    ),
    "flows.how": ("计算方法与数据来源", "How this was computed, and from what"),
    "flows.how_text": (
        "流量来自台账：产生事件按产生单位的国民经济行业门类（GB/T 4754 大类）归入行业；"
        "发运与接收按联单起讫地区判断调出、调入；利用与处置事件按处置方式归类。"
        "台账质量视为测量值，按记录类型赋予相对标准差（下表）；运输环节的库存变化为"
        "期内发运未接收量减去期前发运期内接收量。协调方法：将未知量投影消去后，"
        "以最小方差修正测量值使每个过程的平衡闭合，再由协调值计算未知量。",
        "Flows come from the ledger: generated events go to the sector (GB/T 4754 division) of "
        "the generator; shipments and receipts are exports or imports by their manifest's "
        "origin and destination regions; utilizations and disposals by method. Ledger masses "
        "are measurements with a relative standard deviation by kind of record (table below); "
        "the change of waste in transit is what was shipped in the period and not received by "
        "its end, less what was shipped before and received in it. Reconciliation eliminates "
        "the unknowns by projection, moves the measurements by the least variance-weighted "
        "amount that closes every balance, then computes the unknowns from the result.",
    ),
    "flows.events_read": ("读取的台账事件", "Ledger events read"),
    "flows.record_kind": ("记录类型", "Kind of record"),
    "flows.relative_sd": ("相对标准差", "Relative σ"),
    "flows.substance_title": ("{substance} 物质层", "{substance} substance layer"),
    "flows.substance_note": (
        "物质流 = 协调后的废物流量 × 浓度（按废物代码加权）；未在浓度表中的废物按零计（下限）。"
        "浓度来源见下表，标注为示意的数据仅表示数量级。",
        "Substance flow = reconciled waste flow × concentration (weighted by waste code); waste "
        "without a row in the table counts as zero (a lower bound). Sources below; rows marked "
        "illustrative give an order of magnitude only.",
    ),
    "flows.coverage": ("浓度覆盖率", "Coverage"),
    "flows.concentration": ("浓度 mg/kg", "Concentration mg/kg"),
    "flows.balances": ("过程平衡与传递系数", "Process balances and transfer coefficients"),
    "flows.process": ("过程", "Process"),
    "flows.inputs": ("输入", "In"),
    "flows.outputs": ("输出", "Out"),
    "flows.stock_change": ("库存变化", "Stock change"),
    "flows.transfer": ("传递系数", "Transfer coefficients"),
    "flows.compositions": ("浓度数据及来源", "Concentrations and their sources"),
    "flows.waste_key": ("废物代码/类别", "Waste code / class"),
    "flows.material": ("物料", "Material"),
    "flows.verification": ("核实情况", "Verification"),
    "flows.source": ("来源", "Source"),
    "flows.no_compositions": (
        "该时段的废物均无浓度数据。",
        "No waste of this period has a concentration in the table.",
    ),
    "flows.api": ("以 JSON 获取", "As JSON"),
    "flows.process.storage": ("贮存", "Storage"),
    "flows.process.transport": ("运输", "Transport"),
    "flows.process.utilization": ("综合利用", "Utilization"),
    "flows.process.incineration": ("焚烧", "Incineration"),
    "flows.process.landfill": ("填埋", "Landfill"),
    "flows.process.co_processing": ("协同处置", "Co-processing"),
    "flows.process.other_disposal": ("其他处置", "Other disposal"),
    "flows.process.imports": ("调入 / 来自外部", "Imports / from outside"),
    "flows.process.exports": ("调出 / 排往外部", "Exports / to outside"),
    "flows.sector": ("行业 {code} {name}", "Sector {code} {name}"),
    "flows.flow.generation": ("产生（行业 {code}）", "Generated (sector {code})"),
    "flows.flow.handover": ("交付贮存（行业 {code}）", "To storage (sector {code})"),
    "flows.flow.shipped": ("联单发运", "Shipped on manifests"),
    "flows.flow.imported": ("从区外调入", "Imported into the region"),
    "flows.flow.exported": ("调出本区", "Exported out of the region"),
    "flows.flow.received": ("接收入场", "Received at sites"),
    "flows.flow.to_utilization": ("送综合利用", "To utilization"),
    "flows.flow.products": ("产品与再生原料", "Products and secondary materials"),
    "flows.flow.residues": ("利用残渣回贮存", "Residues back to storage"),
    "flows.flow.losses": ("申报损耗", "Declared losses"),
    "flows.flow.to_incineration": ("送焚烧", "To incineration"),
    "flows.flow.to_landfill": ("送填埋", "To landfill"),
    "flows.flow.to_co_processing": ("送协同处置", "To co-processing"),
    "flows.flow.to_other_disposal": ("送其他处置", "To other disposal"),
    "flows.flow.incineration_out": ("焚烧烟气与灰渣", "Flue gas and ash out"),
    "flows.flow.co_processing_out": ("进入熟料与排放", "Into clinker and air"),
    "flows.flow.other_disposal_out": ("其他处置输出", "Other disposal out"),
    "flows.flow.stock": ("{code} 库存变化", "Stock change of {code}"),
}
