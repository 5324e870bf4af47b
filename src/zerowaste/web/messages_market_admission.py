"""Texts of the chain admission page as (Chinese, English) pairs, merged into the catalog."""

from __future__ import annotations

ADMISSION_MESSAGES: dict[str, tuple[str, str]] = {
    "admission.title": ("{name}：供应商准入", "{name}: supplier admission"),
    "admission.lead": (
        "链主企业设定供应商准入指标门槛与标准废物条款；平台依据台账、经济数据、白名单与风险评分"
        "判断每家供应商是否达标。未知的指标值不视为达标。",
        "The chain master sets indicator thresholds for admitting suppliers and the standard "
        "waste clauses of their contracts; the platform checks each supplier from the ledger, "
        "economic figures, the whitelist and the risk score. An unknown value never counts "
        "as met.",
    ),
    "admission.no_rules": ("该链主尚未设定准入规则。", "This chain master has set no rules yet."),
    "admission.rules": ("准入规则", "Admission rules"),
    "admission.version": ("第 {version} 版，{at} 更新", "Version {version}, updated {at}"),
    "admission.year_basis": ("默认年度", "Default year"),
    "admission.year_basis.previous_year": ("上一年度", "The previous year"),
    "admission.year_basis.current_year": ("本年度（截至目前）", "The current year (to date)"),
    "admission.criteria": ("准入指标", "Criteria"),
    "admission.indicator": ("指标", "Indicator"),
    "admission.test": ("门槛", "Threshold"),
    "admission.unit": ("单位", "Unit"),
    "admission.direction": ("方向", "Direction"),
    "admission.required": ("必须满足", "Required"),
    "admission.optional": ("参考", "For information"),
    "admission.yes": ("是", "yes"),
    "admission.no": ("否", "no"),
    "admission.clauses": ("标准废物条款", "Standard waste clauses"),
    "admission.no_clauses": ("未设定标准条款。", "No standard clauses."),
    "admission.clauses_note": (
        "本链供应商与链内企业签订的合同应载明以下条款。",
        "Contracts between this chain's suppliers and firms of the chain carry these clauses.",
    ),
    "admission.suppliers": ("{year} 年度供应商达标情况", "Suppliers against the rules, {year}"),
    "admission.summary": ("{admitted} / {total} 家供应商准入", "{admitted} of {total} admitted"),
    "admission.supplier": ("供应商", "Supplier"),
    "admission.candidate": ("候选", "candidate"),
    "admission.verdict": ("结论", "Verdict"),
    "admission.admitted": ("准入", "Admitted"),
    "admission.not_admitted": ("不准入", "Not admitted"),
    "admission.no_suppliers": ("该链尚无供应商。", "The chain has no suppliers yet."),
    "admission.check_hidden": (
        "供应商达标情况仅对链主企业、其供应商（仅本企业）、所辖监管部门和管理员可见。",
        "The suppliers' results are for the chain master, each supplier (its own only), "
        "regulators over the chain master and administrators.",
    ),
    "admission.year": ("年度", "Year"),
    "admission.show": ("查看", "Show"),
    "admission.outcome.met": ("达标", "met"),
    "admission.outcome.failed": ("未达标", "failed"),
    "admission.outcome.unknown": ("未知", "unknown"),
    "admission.unknown_value": ("无数据", "no data"),
    "admission.edit": ("编辑准入规则", "Edit the rules"),
    "admission.edit_note": (
        "每次保存生成新版本，旧版本保留。留空的行不保存。条款文本可用 {name} 引用参数，"
        "参数写作“名称=值”，以分号分隔。",
        "Each save makes a new version; old versions are kept. Blank rows are not saved. A "
        "clause's texts may name a parameter as {name}; write parameters as name=value, "
        "separated by semicolons.",
    ),
    "admission.defaults_note": (
        "表单已填入平台的默认规则（示例性门槛），可修改后保存。",
        "The form holds the platform's default rules (illustrative thresholds): change and save.",
    ),
    "admission.clause_key": ("条款标识", "Clause key"),
    "admission.text_zh": ("中文条款", "Chinese text"),
    "admission.text_en": ("英文条款", "English text"),
    "admission.params": ("参数", "Parameters"),
    "admission.save": ("保存新版本", "Save a new version"),
    "admission.saved": ("准入规则已保存。", "The rules were saved."),
    "admission.choose": ("（不使用）", "(not used)"),
    "admission.bad_boolean": ("请填写 是/否（true/false）", "Enter yes or no (true/false)"),
    "admission.bad_params": (
        "参数应写作“名称=值”，以分号分隔",
        "Write parameters as name=value, separated by semicolons",
    ),
    "admission.direction.lower_is_better": ("越低越好", "lower is better"),
    "admission.direction.higher_is_better": ("越高越好", "higher is better"),
    "admission.direction.true_is_better": ("应为“是”", "should be yes"),
    "admission.indicator.waste_intensity_t_per_10k_cny": (
        "一般工业固体废物产生强度",
        "General industrial solid waste intensity",
    ),
    "admission.indicator.hazardous_intensity_t_per_10k_cny": (
        "危险废物产生强度",
        "Hazardous waste intensity",
    ),
    "admission.indicator.utilization_rate": ("固体废物综合利用率", "Utilization rate"),
    "admission.indicator.disposal_share": ("处置占比", "Disposal share"),
    "admission.indicator.whitelisted": ("列入监管白名单", "On the regulator's whitelist"),
    "admission.indicator.risk_score": ("风险评分", "Risk score"),
    "admission.indicator.open_alerts": ("未关闭预警数", "Open alerts"),
    "admission.unit.t/10^4 CNY": ("吨/万元产值", "t per 10,000 CNY output"),
    "admission.unit.1": ("比例（0–1）", "share (0–1)"),
    "admission.unit.count": ("条", "count"),
    "problem.admission-rules-not-set": ("尚未设定准入规则", "No admission rules"),
    "problem.not-chain-master": ("不是链主企业", "Not a chain master"),
}
