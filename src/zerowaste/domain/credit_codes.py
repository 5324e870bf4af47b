"""Unified social credit codes (统一社会信用代码) and the organization codes inside them.

Rules: GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (18 characters from a
31-character set, weights 3^i mod 31, check = 31 - sum mod 31) and GB 11714-1997
《全国组织机构代码编制规则》 (8 body characters, weights 3 7 9 10 5 8 4 2, check =
11 - sum mod 11, written X for 10 and 0 for 11).
"""

from __future__ import annotations

from zerowaste.errors import InvalidCreditCode

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: First character: the registering authority (GB 32100-2015 table 1).
REGISTRATION_AUTHORITIES = frozenset("123456789ANY")


def credit_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a credit code."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _org_char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def organization_check_char(body8: str) -> str:
    """Return the GB 11714 check character for an 8-character organization code body."""
    remainder = (
        11 - sum(_org_char_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    )
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def validate_credit_code(value: str, *, field: str = "credit_code") -> str:
    """Return the normalized (upper-case, trimmed) code, or raise `InvalidCreditCode` saying why."""
    code = value.strip().upper()
    if len(code) != 18:
        raise InvalidCreditCode(f"must be 18 characters, got {len(code)}", field=field)
    bad = sorted({c for c in code if c not in CHARSET})
    if bad:
        raise InvalidCreditCode(f"characters not allowed: {''.join(bad)}", field=field)
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise InvalidCreditCode(f"unknown registering authority {code[0]!r}", field=field)
    if not code[2:8].isdigit():
        raise InvalidCreditCode("characters 3-8 must be a numeric region code", field=field)
    org_expected = organization_check_char(code[8:16])
    if code[16] != org_expected:
        raise InvalidCreditCode(
            f"organization code check character is {code[16]!r}, expected {org_expected!r}",
            field=field,
        )
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise InvalidCreditCode(
            f"check character is {code[17]!r}, expected {expected!r}", field=field
        )
    return code


def make_credit_code(authority: str, kind: str, region_code: str, org_body: str) -> str:
    """Assemble a valid credit code from its parts (used by the demo generator and tests)."""
    first17 = authority + kind + region_code + org_body + organization_check_char(org_body)
    return first17 + credit_check_char(first17)
