"""Texts of the factor library pages as (Chinese, English) pairs, merged into the catalog."""

from __future__ import annotations

FACTOR_MESSAGES: dict[str, tuple[str, str]] = {
    "factors.title": ("排放因子库", "Emission factor library"),
    "factors.lead": (
        "每个因子都注明来源、版本、年份、地区、不确定性分布与核验状态。清单因子与避免排放因子分开列示，永不相加。",
        "Every factor names its source, edition, year, region, uncertainty distribution and "
        "verification status. Inventory and avoided-emission factors are listed apart and never "
        "added together.",
    ),
    "factors.dataset": ("数据集", "Dataset"),
    "factors.active": ("（当前启用）", "(active)"),
    "factors.download": ("下载 CSV", "Download CSV"),
    "factors.filter": ("筛选", "Filter"),
    "factors.any": ("全部", "Any"),
    "factors.set": ("因子集", "Set"),
    "factors.category": ("类别", "Category"),
    "factors.subject": ("对象", "Subject"),
    "factors.route": ("处置路径", "Route"),
    "factors.region": ("地区", "Region"),
    "factors.region_hint": ("GLO、CN 或六位行政区划代码", "GLO, CN or a six-digit region code"),
    "factors.year": ("年份", "Year"),
    "factors.value": ("数值", "Value"),
    "factors.unit": ("单位", "Unit"),
    "factors.interval": ("95% 区间", "95 % interval"),
    "factors.distribution": ("分布", "Distribution"),
    "factors.source": ("来源", "Source"),
    "factors.edition": ("版本", "Edition"),
    "factors.verification": ("核验", "Verification"),
    "factors.note": ("说明", "Note"),
    "factors.ref": ("引用编号", "Reference"),
    "factors.count": ("共 {count} 个因子", "{count} factors"),
    "factors.none": ("没有符合条件的因子。", "No factor matches."),
    "factors.section.inventory": ("清单因子（排放）", "Inventory factors (emissions)"),
    "factors.section.inventory_note": (
        "废物管理、运输、电力、原生材料生产与燃料本身的排放（温室气体核算体系范围三第5类口径），不含任何抵扣。",
        "What waste management, transport, electricity, virgin production and fuels emit "
        "(GHG Protocol Scope 3 category 5 style), with no credits.",
    ),
    "factors.section.avoided": (
        "避免排放因子（系统扩展）",
        "Avoided-emission factors (system expansion)",
    ),
    "factors.section.avoided_note": (
        "相对基准路径的系统扩展净值（US EPA WARM 口径），负值表示避免的排放；"
        "与清单因子分开报告，不得相减或相加。",
        "Net system-expansion factors against a baseline (US EPA WARM style); a negative value "
        "is an emission avoided. Reported apart from inventory factors, never netted with them.",
    ),
    "factors.verification.verified": ("已核验", "verified"),
    "factors.verification.transcribed": ("转录", "transcribed"),
    "factors.verification.illustrative": ("示意值", "illustrative"),
    "factors.verification_help": (
        "已核验：与发布方原文核对；转录：取自公开二手副本，未与原文核对；示意值：演示用默认值，使用前须替换。",
        "Verified: checked against the publisher's own document. Transcribed: from a public "
        "secondary copy, not checked against the publisher. Illustrative: a demo default; "
        "replace it before relying on it.",
    ),
    "factors.dist.fixed": ("固定值", "fixed"),
    "factors.dist.normal": ("正态 σ={spread}", "normal σ={spread}"),
    "factors.dist.lognormal": ("对数正态 GSD={spread}", "lognormal GSD={spread}"),
    "factors.dist.triangular": ("三角 {low} … {high}", "triangular {low} … {high}"),
    "factors.dist.uniform": ("均匀 {low} … {high}", "uniform {low} … {high}"),
    "factors.back": ("返回因子库", "Back to the factor library"),
    "factors.page_title": ("排放因子 {ref}", "Emission factor {ref}"),
    "factors.global": ("全球默认", "global default"),
    "factors.api": ("API", "API"),
    "factors.bad_filter": ("筛选条件无效：{detail}", "Invalid filter: {detail}"),
}
