"""Property-based API fuzzing from the app's own OpenAPI: no input, however odd, is a server error.

Schemathesis turns every operation of `/openapi.json` into a Hypothesis strategy of requests
(conforming and not); each is sent, signed in as an administrator, straight to the ASGI app.
Every answer must be below 500 and, when it is an error, Problem Details.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from tests.factories import Factory
from zerowaste.app import create_app
from zerowaste.domain.accounts import UserRole

EXAMPLES_PER_OPERATION = 20


def test_no_input_is_a_server_error(factory: Factory) -> None:
    app = create_app(context=factory.context)
    admin = factory.api_key(factory.user(UserRole.ADMIN))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    failures: list[str] = []
    with TestClient(app) as client:
        for operation in operations:
            modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
            strategy = operation.as_strategy(generation_mode=modes[0]) | operation.as_strategy(
                generation_mode=modes[1]
            )

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def send(case: Any) -> None:
                kwargs = case.as_transport_kwargs(base_url="http://testserver")
                kwargs["headers"] = {**(kwargs.get("headers") or {}), **admin}
                kwargs.pop("base_url", None)
                kwargs.pop("cookies", None)  # the API takes no cookie parameters
                if isinstance(kwargs.get("data"), bytes | str):
                    kwargs["content"] = kwargs.pop("data")
                response = client.request(**kwargs)
                # PACT v3 clients get PACT's own error shape there, not Problem Details.
                pact = case.formatted_path.startswith("/pact/")
                error_type = "application/json" if pact else "application/problem+json"
                if response.status_code >= 500 or (
                    response.status_code >= 400
                    and response.headers.get("content-type") != error_type
                ):
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}"
                    )

            send()
    assert not failures, failures[:10]
