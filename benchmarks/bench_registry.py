"""Registry benchmark: credit codes (vs python-stdnum), catalog search, API writes and reads.

Run: uv run python benchmarks/bench_registry.py --json OUT.json [--smoke]
PostgreSQL is included when ZEROWASTE_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import random
import sys
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from stdnum.cn import uscc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import latencies_ms, on_each_backend, parse_args, report, throughput  # noqa: E402
from zerowaste.app import create_app  # noqa: E402
from zerowaste.bootstrap import build_context  # noqa: E402
from zerowaste.domain.access import Principal  # noqa: E402
from zerowaste.domain.accounts import NewUser, UserRole  # noqa: E402
from zerowaste.domain.credit_codes import make_credit_code, validate_credit_code  # noqa: E402
from zerowaste.settings import Settings  # noqa: E402

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_codes(count: int, rng: random.Random) -> list[str]:
    return [
        make_credit_code("9", "1", "320505", "".join(rng.choice(CHARSET) for _ in range(8)))
        for _ in range(count)
    ]


def bench_credit_codes(count: int) -> dict[str, Any]:
    codes = credit_codes(count, random.Random(1))
    ours = iter(codes * 2)
    peer = iter(codes * 2)
    return {
        "codes": count,
        "zerowaste_validate_per_s": throughput(lambda: validate_credit_code(next(ours)), count),
        "stdnum_uscc_validate_per_s": throughput(lambda: uscc.validate(next(peer)), count),
    }


def bench_catalog(repeat: int) -> dict[str, Any]:
    context = build_context(Settings(database_url="sqlite://"))
    queries = ["废矿物油", "mineral oil", "HW08", "900-214-08", "含铬", "distillation residue"]
    figures = {q: latencies_ms(lambda q=q: context.catalog.search(q), repeat) for q in queries}
    context.close()
    return figures


def bench_api(url: str, writes: int, reads: int) -> dict[str, Any]:
    context = build_context(Settings(database_url=url))
    context.migrate()
    operator = Principal(uuid.UUID(int=0), "bench", UserRole.ADMIN)
    name = f"bench-{uuid.uuid4().hex[:8]}"
    context.accounts.create_user(operator, NewUser(name, "bench-password", UserRole.ADMIN))
    _, token = context.accounts.issue_api_key(context.accounts.principal_by_username(name), "b")
    headers = {"Authorization": f"Bearer {token}"}
    codes = iter(credit_codes(writes, random.Random(uuid.uuid4().int)))
    with TestClient(create_app(context=context)) as client:

        def register() -> None:
            body = {
                "credit_code": next(codes),
                "name": "基准企业",
                "region_code": "320505",
                "roles": ["generator"],
            }
            assert (
                client.post("/api/v1/organizations", json=body, headers=headers).status_code == 201
            )

        write = latencies_ms(register, writes)
        read = latencies_ms(lambda: client.get("/api/v1/organizations?limit=50"), reads)
        search = latencies_ms(
            lambda: client.get("/api/v1/catalog/hazardous-waste?q=废矿物油"), reads
        )
    context.close()
    return {
        "register_organization": write,
        "list_50_organizations": read,
        "catalog_search_http": search,
    }


def main() -> None:
    args = parse_args(__doc__ or "")
    n_codes, repeat, writes, reads = (500, 20, 10, 10) if args.smoke else (100_000, 500, 500, 300)
    figures: dict[str, Any] = {
        "credit_codes": bench_credit_codes(n_codes),
        "catalog_search": bench_catalog(repeat),
    }
    figures |= on_each_backend(lambda url: bench_api(url, writes, reads), "api")
    report("registry", figures, args.json)


if __name__ == "__main__":
    main()
