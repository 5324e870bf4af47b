"""Texts of the EPCIS events page as (Chinese, English) pairs, merged into the catalog."""

from __future__ import annotations

EPCIS_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.epcis": ("EPCIS 事件", "EPCIS events"),
    "epcis.title": ("EPCIS 2.0 事件", "EPCIS 2.0 events"),
    "epcis.note": (
        "通过 /epcis 接口采集的 GS1 EPCIS 2.0 事件，以及平台自身的废物事件（导出为 EPCIS）。"
        "每条事件都已写入默克尔日志。",
        "GS1 EPCIS 2.0 events captured through /epcis, and the platform's own waste events "
        "exported as EPCIS. Every event is in the Merkle log.",
    ),
    "epcis.event_type": ("事件类型", "Event type"),
    "epcis.any_type": ("全部类型", "Any type"),
    "epcis.biz_step": ("业务步骤", "Business step"),
    "epcis.epc": ("标识或批次（EPC / 类别）", "Identifier or batch (EPC / class)"),
    "epcis.from": ("事件时间起（含）", "Event time from"),
    "epcis.to": ("事件时间止（不含）", "Event time before"),
    "epcis.filter": ("筛选", "Filter"),
    "epcis.time": ("事件时间", "Event time"),
    "epcis.action": ("动作", "Action"),
    "epcis.disposition": ("状态", "Disposition"),
    "epcis.where": ("读取点 / 业务地点", "Read point / location"),
    "epcis.what": ("对象", "What"),
    "epcis.source": ("来源", "Source"),
    "epcis.source_epcis": ("EPCIS 采集", "EPCIS capture"),
    "epcis.source_platform": ("平台事件", "Platform event"),
    "epcis.receipt": ("存证回执", "Receipt"),
    "epcis.none": ("没有符合条件的事件。", "No events match."),
    "epcis.more": ("另有 {count} 个", "{count} more"),
}
