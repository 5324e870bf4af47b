"""Texts of the PACT page as (Chinese, English) pairs, merged into the catalog."""

from __future__ import annotations

PACT_MESSAGES: dict[str, tuple[str, str]] = {
    "pact.title": ("PACT 产品碳足迹交换", "PACT footprint exchange"),
    "pact.lead": (
        "按 WBCSD PACT 技术规范 v3 向合作伙伴（数据接收方）发布本企业的产品碳足迹。",
        "Publish the firm's product carbon footprints to partners (data recipients) under the "
        "WBCSD PACT Technical Specifications v3.",
    ),
    "pact.endpoints": ("合作伙伴接入地址", "Endpoints for partners"),
    "pact.endpoints_note": (
        "数据接收方以 OAuth2 客户端凭证（client_credentials）在令牌地址换取访问令牌，"
        "再以 Bearer 令牌调用 /3/footprints 与 /3/events。",
        "A data recipient exchanges its OAuth2 client credentials for an access token at the "
        "token URL, then calls /3/footprints and /3/events with the bearer token.",
    ),
    "pact.base_url": ("API 基础地址", "API base URL"),
    "pact.token_url": ("令牌地址", "Token URL"),
    "pact.organization": ("企业（数据所有方）ID", "Firm (data owner) id"),
    "pact.organization_hint": (
        "管理员与监管部门请输入企业 ID。",
        "Administrators and regulators: enter the firm's id.",
    ),
    "pact.show": ("查看", "Show"),
    "pact.footprints": ("{firm} 发布的碳足迹", "Footprints published by {firm}"),
    "pact.product": ("产品", "Product"),
    "pact.status": ("状态", "Status"),
    "pact.status_Active": ("现行", "Active"),
    "pact.status_Deprecated": ("已被取代", "Deprecated"),
    "pact.period": ("参考期", "Reference period"),
    "pact.geography": ("地理范围", "Geography"),
    "pact.pcf": ("碳足迹（kg CO2e/声明单位）", "PCF (kg CO2e per declared unit)"),
    "pact.declared_unit": ("声明单位", "Declared unit"),
    "pact.created": ("创建时间", "Created"),
    "pact.download": ("下载", "Download"),
    "pact.no_footprints": ("尚未发布碳足迹。", "No footprint published yet."),
    "pact.clients": ("数据接收方客户端", "Data recipients' clients"),
    "pact.clients_note": (
        "每个客户端只能读取本企业的碳足迹；撤销后其令牌立即失效。",
        "Each client reads only this firm's footprints; revoking it stops its tokens at once.",
    ),
    "pact.client_name": ("接收方名称", "Recipient's name"),
    "pact.client_name_hint": ("例如：采购方企业名称", "e.g. the buying firm's name"),
    "pact.add_client": ("创建客户端", "Create client"),
    "pact.no_clients": ("尚无客户端。", "No client yet."),
    "pact.active": ("有效", "Active"),
    "pact.revoked_at": ("已于 {at} 撤销", "Revoked {at}"),
    "pact.revoke": ("撤销", "Revoke"),
    "pact.revoked": ("客户端已撤销。", "The client was revoked."),
    "pact.events": ("收到的事件", "Events received"),
    "pact.event_type": ("事件类型", "Event type"),
    "pact.received": ("收到时间", "Received"),
    "pact.answer": ("答复", "Answer"),
    "pact.answer_json": ("答复事件 JSON", "Answer event JSON"),
    "pact.no_events": ("尚未收到事件。", "No event received yet."),
    "pact.client_issued": ("客户端已创建", "Client created"),
    "pact.secret_once": (
        "客户端密钥只显示这一次，平台不保存明文。",
        "The client secret is shown this once; the platform keeps no copy of it.",
    ),
    "pact.secret_use": (
        "请通过安全渠道交给数据接收方。",
        "Hand it to the data recipient over a secure channel.",
    ),
    "pact.back": ("返回 PACT 页面", "Back to the PACT page"),
}
