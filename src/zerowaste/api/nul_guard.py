"""Find NUL characters in a request: PostgreSQL text cannot hold them, so they are refused early."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson


def _strings_hold_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_strings_hold_nul(k) or _strings_hold_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_strings_hold_nul(item) for item in value)
    return False


def nul_field(path: str, query_string: bytes, body: bytes, content_type: str) -> str | None:
    """The part of the request (`path`, a query parameter's name, or `body`) holding a NUL."""
    if "\x00" in path:
        return "path"
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "query"
    if not body:
        return None
    if b"\x00" in body:
        return "body"
    if content_type.startswith("application/x-www-form-urlencoded") and b"%00" in body:
        return "body"
    if b"\\u0000" in body and "json" in content_type:
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None  # the route's own parsing reports malformed JSON
        if _strings_hold_nul(document):
            return "body"
    return None
