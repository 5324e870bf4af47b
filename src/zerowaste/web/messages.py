"""The web interface's message catalog: one dictionary of texts per language (forms included)."""

from __future__ import annotations

from zerowaste.web.messages_alerts import ALERT_MESSAGES
from zerowaste.web.messages_capture import CAPTURE_MESSAGES
from zerowaste.web.messages_carbon import CARBON_MESSAGES
from zerowaste.web.messages_carbon_factors import FACTOR_MESSAGES
from zerowaste.web.messages_cbam import CBAM_MESSAGES
from zerowaste.web.messages_epcis import EPCIS_MESSAGES
from zerowaste.web.messages_evaluation import EVALUATION_MESSAGES
from zerowaste.web.messages_flows import FLOW_MESSAGES
from zerowaste.web.messages_footprints import FOOTPRINT_MESSAGES
from zerowaste.web.messages_forecasts import FORECAST_MESSAGES
from zerowaste.web.messages_forms import FORM_MESSAGES
from zerowaste.web.messages_indicators import INDICATOR_MESSAGES
from zerowaste.web.messages_manifests import MANIFEST_MESSAGES
from zerowaste.web.messages_market import MARKET_MESSAGES
from zerowaste.web.messages_market_admission import ADMISSION_MESSAGES
from zerowaste.web.messages_market_contracts import MARKET_CONTRACT_MESSAGES
from zerowaste.web.messages_market_match import MARKET_MATCH_MESSAGES
from zerowaste.web.messages_oversight_desk import DESK_MESSAGES
from zerowaste.web.messages_pact import PACT_MESSAGES
from zerowaste.web.messages_print import PRINT_MESSAGES
from zerowaste.web.messages_scoring import SCORING_MESSAGES
from zerowaste.web.messages_trace import TRACE_MESSAGES

ZH: dict[str, str] = {
    "app.name": "无废链",
    "app.subtitle": "无废供应链与无废城市平台",
    "nav.main": "主导航",
    "nav.home": "城市概览",
    "nav.firms": "企业名录",
    "nav.catalog": "危废名录",
    "nav.carbon": "碳核算",
    "nav.cities": "无废城市指标",
    "nav.evaluation": "评估工作台",
    "nav.forecasts": "预测与情景",
    "nav.login": "登录",
    "nav.logout": "退出",
    "nav.signed_in_as": "已登录：{user}",
    "nav.language": "语言",
    "user_role.admin": "管理员",
    "user_role.regulator": "监管部门",
    "user_role.firm": "企业用户",
    "footer.closed_network": "本系统的全部页面资源均由本站提供，可在封闭网络中运行。",
    "home.title": "城市概览",
    "home.lead": "本市登记的企业、场所与许可证一览。",
    "home.firms_total": "登记企业",
    "home.by_role": "企业（按角色）",
    "home.sites_by_kind": "场所（按类型）",
    "home.permits_by_kind": "许可证（按类型）",
    "home.count": "数量",
    "home.map": "场所分布图",
    "home.map_no_tiles": "未配置底图：仅按坐标显示场所位置。",
    "home.map_empty": "尚无登记场所。",
    "map.view_firm": "查看企业",
    "map.label": "场所地图",
    "role.generator": "产废单位",
    "role.transporter": "运输单位",
    "role.utilizer": "利用单位",
    "role.disposer": "处置单位",
    "role.chain_master": "链主企业",
    "role.regulator": "监管部门",
    "site_kind.plant": "生产厂区",
    "site_kind.storage": "贮存设施",
    "site_kind.transfer_station": "中转站",
    "site_kind.recycler": "再生利用厂",
    "site_kind.cement_kiln": "水泥窑",
    "site_kind.incinerator": "焚烧厂",
    "site_kind.landfill": "填埋场",
    "site_kind.depot": "车队场站",
    "site_kind.office": "办公场所",
    "permit_kind.hazardous_waste_business": "危险废物经营许可证",
    "permit_kind.dangerous_goods_transport": "道路危险货物运输许可",
    "activity.collect": "收集",
    "activity.store": "贮存",
    "activity.utilize": "利用",
    "activity.dispose": "处置",
    "activity.transport": "运输",
    "firms.title": "企业名录",
    "firms.q": "关键词",
    "firms.q_placeholder": "企业名称或统一社会信用代码",
    "firms.role": "角色",
    "firms.role_any": "全部角色",
    "firms.search": "搜索",
    "firms.none": "没有符合条件的企业。",
    "pager.label": "分页",
    "pager.first": "第一页",
    "pager.next": "下一页",
    "firm.name": "企业名称",
    "firm.name_en": "英文名称",
    "firm.registry": "登记信息",
    "firm.credit_code": "统一社会信用代码",
    "firm.region": "所在地区",
    "firm.industry": "所属行业",
    "firm.roles": "角色",
    "firm.jurisdiction": "管辖区域",
    "firm.registered_at": "登记时间",
    "firm.none": "无",
    "firm.sites": "场所",
    "firm.no_sites": "该企业尚无登记场所。",
    "firm.permits": "许可证",
    "firm.no_permits": "该企业尚无许可证。",
    "firm.economics": "经济数据",
    "firm.economics_private": "仅本企业及其监管部门可见。",
    "firm.no_economics": "尚无经济数据。",
    "site.name": "名称",
    "site.kind": "类型",
    "site.region": "地区",
    "site.coordinates": "坐标",
    "site.address": "地址",
    "permit.number": "编号",
    "permit.kind": "类型",
    "permit.codes": "废物代码",
    "permit.activities": "经营方式",
    "permit.capacity": "年经营规模",
    "permit.capacity_t": "{value} 吨/年",
    "permit.validity": "有效期",
    "permit.site": "场所",
    "permit.status": "状态",
    "permit.in_force": "有效",
    "permit.expired": "已过期",
    "permit.pending": "未生效",
    "permit.issued_by": "发证机关",
    "econ.year": "年份",
    "econ.output_value": "工业总产值（元）",
    "econ.added_value": "工业增加值（元）",
    "econ.product_output": "产品产量",
    "catalog.title": "危险废物名录查询",
    "catalog.q": "查询内容",
    "catalog.q_placeholder": "代码、类别或关键词，如 900-214-08、HW08、废矿物油",
    "catalog.on": "适用日期",
    "catalog.search": "查询",
    "catalog.edition": "《国家危险废物名录》（{name}年版），{start} 起施行",
    "catalog.provisional": (
        "暂用数据：该版名录的条目尚未录入，以下结果采用 {stand_in} 年版条目代替，"
        "代码可能与现行文本不一致。"
    ),
    "catalog.results": "共 {count} 条结果",
    "catalog.none": "未找到匹配的条目。",
    "catalog.categories": "废物类别",
    "catalog.hint": "输入代码、类别或关键词查询；也可点击下列类别浏览。",
    "catalog.code": "废物代码",
    "catalog.category": "废物类别",
    "catalog.industry": "行业来源",
    "catalog.characteristics": "危险特性",
    "catalog.description": "危险废物",
    "catalog.bad_date": "日期应写作 YYYY-MM-DD。",
    "login.title": "登录",
    "login.username": "用户名",
    "login.password": "密码",
    "login.submit": "登录",
    "login.failed": "用户名或密码错误。",
    "login.expired": "表单已过期，请重新提交。",
    "error.400": "请求无效",
    "error.401": "需要登录",
    "error.403": "无权访问",
    "error.404": "页面不存在",
    "error.409": "数据冲突",
    "error.413": "请求过大",
    "error.422": "输入有误",
    "error.500": "系统错误",
    "error.other": "出错了",
    "error.back_home": "返回城市概览",
}

EN: dict[str, str] = {
    "app.name": "ZeroWaste Chain",
    "app.subtitle": "Zero-waste supply chains and cities",
    "nav.main": "Main navigation",
    "nav.home": "City overview",
    "nav.firms": "Firms",
    "nav.catalog": "Waste catalog",
    "nav.carbon": "Carbon",
    "nav.cities": "City indicators",
    "nav.evaluation": "Evaluation",
    "nav.forecasts": "Forecasts",
    "nav.login": "Sign in",
    "nav.logout": "Sign out",
    "nav.signed_in_as": "Signed in as {user}",
    "nav.language": "Language",
    "user_role.admin": "administrator",
    "user_role.regulator": "regulator",
    "user_role.firm": "firm user",
    "footer.closed_network": (
        "Every asset of these pages is served by this application; it runs on a closed network."
    ),
    "home.title": "City overview",
    "home.lead": "The firms, sites and permits registered in the city.",
    "home.firms_total": "Registered firms",
    "home.by_role": "Firms by role",
    "home.sites_by_kind": "Sites by kind",
    "home.permits_by_kind": "Permits by kind",
    "home.count": "Count",
    "home.map": "Map of sites",
    "home.map_no_tiles": "No base map configured: sites are placed by their coordinates only.",
    "home.map_empty": "No sites registered yet.",
    "map.view_firm": "View firm",
    "map.label": "Map of sites",
    "role.generator": "Waste generator",
    "role.transporter": "Transporter",
    "role.utilizer": "Utilizer",
    "role.disposer": "Disposer",
    "role.chain_master": "Chain master",
    "role.regulator": "Regulator",
    "site_kind.plant": "Plant",
    "site_kind.storage": "Storage facility",
    "site_kind.transfer_station": "Transfer station",
    "site_kind.recycler": "Recycler",
    "site_kind.cement_kiln": "Cement kiln",
    "site_kind.incinerator": "Incinerator",
    "site_kind.landfill": "Landfill",
    "site_kind.depot": "Vehicle depot",
    "site_kind.office": "Office",
    "permit_kind.hazardous_waste_business": "Hazardous waste business licence",
    "permit_kind.dangerous_goods_transport": "Dangerous goods road transport licence",
    "activity.collect": "collect",
    "activity.store": "store",
    "activity.utilize": "utilize",
    "activity.dispose": "dispose",
    "activity.transport": "transport",
    "firms.title": "Firms",
    "firms.q": "Search",
    "firms.q_placeholder": "Firm name or unified social credit code",
    "firms.role": "Role",
    "firms.role_any": "Any role",
    "firms.search": "Search",
    "firms.none": "No firm matches.",
    "pager.label": "Pages",
    "pager.first": "First page",
    "pager.next": "Next page",
    "firm.name": "Name",
    "firm.name_en": "English name",
    "firm.registry": "Registry facts",
    "firm.credit_code": "Unified social credit code",
    "firm.region": "Region",
    "firm.industry": "Industry",
    "firm.roles": "Roles",
    "firm.jurisdiction": "Jurisdiction",
    "firm.registered_at": "Registered",
    "firm.none": "none",
    "firm.sites": "Sites",
    "firm.no_sites": "This firm has no registered site.",
    "firm.permits": "Permits",
    "firm.no_permits": "This firm holds no permit.",
    "firm.economics": "Economic figures",
    "firm.economics_private": "Visible only to the firm and its regulators.",
    "firm.no_economics": "No economic figures recorded.",
    "site.name": "Name",
    "site.kind": "Kind",
    "site.region": "Region",
    "site.coordinates": "Coordinates",
    "site.address": "Address",
    "permit.number": "Number",
    "permit.kind": "Kind",
    "permit.codes": "Waste codes",
    "permit.activities": "Activities",
    "permit.capacity": "Annual capacity",
    "permit.capacity_t": "{value} t/yr",
    "permit.validity": "Valid",
    "permit.site": "Site",
    "permit.status": "Status",
    "permit.in_force": "In force",
    "permit.expired": "Expired",
    "permit.pending": "Not yet in force",
    "permit.issued_by": "Issued by",
    "econ.year": "Year",
    "econ.output_value": "Output value (CNY)",
    "econ.added_value": "Industrial added value (CNY)",
    "econ.product_output": "Product output",
    "catalog.title": "Hazardous waste catalog",
    "catalog.q": "Search for",
    "catalog.q_placeholder": "Code, category or words, e.g. 900-214-08, HW08, mineral oil",
    "catalog.on": "In force on",
    "catalog.search": "Search",
    "catalog.edition": "National Hazardous Waste List, {name} edition, in force from {start}",
    "catalog.provisional": (
        "Provisional data: this edition's entries are not held yet; the {stand_in} edition's "
        "entries stand in, so codes may differ from the text in force."
    ),
    "catalog.results": "{count} results",
    "catalog.none": "No entry matches.",
    "catalog.categories": "Categories",
    "catalog.hint": "Search by code, category or words, or browse a category below.",
    "catalog.code": "Code",
    "catalog.category": "Category",
    "catalog.industry": "Industry source",
    "catalog.characteristics": "Hazard characteristics",
    "catalog.description": "Waste (as listed)",
    "catalog.bad_date": "Write dates as YYYY-MM-DD.",
    "login.title": "Sign in",
    "login.username": "Username",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.failed": "Unknown username or wrong password.",
    "login.expired": "The form expired; please submit it again.",
    "error.400": "Bad request",
    "error.401": "Sign-in required",
    "error.403": "Not allowed",
    "error.404": "Page not found",
    "error.409": "Conflict",
    "error.413": "Request too large",
    "error.422": "Invalid input",
    "error.500": "Something went wrong",
    "error.other": "Something went wrong",
    "error.back_home": "Back to the city overview",
}

for _key, (_zh, _en) in (
    FORM_MESSAGES
    | TRACE_MESSAGES
    | EPCIS_MESSAGES
    | MANIFEST_MESSAGES
    | CAPTURE_MESSAGES
    | PRINT_MESSAGES
    | ALERT_MESSAGES
    | DESK_MESSAGES
    | FACTOR_MESSAGES
    | CBAM_MESSAGES
    | FOOTPRINT_MESSAGES
    | CARBON_MESSAGES
    | PACT_MESSAGES
    | ADMISSION_MESSAGES
    | MARKET_MESSAGES
    | MARKET_CONTRACT_MESSAGES
    | MARKET_MATCH_MESSAGES
    | FLOW_MESSAGES
    | SCORING_MESSAGES
    | EVALUATION_MESSAGES
    | FORECAST_MESSAGES
    | INDICATOR_MESSAGES
).items():
    ZH[_key] = _zh
    EN[_key] = _en

MESSAGES: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}
