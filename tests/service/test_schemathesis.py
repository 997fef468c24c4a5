"""Property-based tests of the JSON API from its OpenAPI schema (schemathesis): valid and
invalid requests to every operation, and none gets a 5xx.

schemathesis' own pytest fixture loader (``schemathesis.pytest.from_fixture``) fails on
pytest 9.2 (it sets ``Function._nodeid``, which pytest removed), so each operation's
Hypothesis strategy is driven here directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from consentgate.service.app import create_app
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from tests.service.live import ADMIN_KEY, TOKEN_SECRET
from tests.service.usage_world import World

EXAMPLES = 25  # per operation and mode: about 30 s in all


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_gets_a_server_error(
    world: World, tmp_path: Path, policy, mode: GenerationMode  # type: ignore[no-untyped-def]
) -> None:
    # a service with a registry (real snapshots and runs), so that /me/usage answers 200;
    # the member is in both datasets
    db, registry = world.copy_into(tmp_path / "state")
    config = ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, admin_key=ADMIN_KEY,
                           source=world.network, registry=registry)
    app = create_app(config)
    headers = {"Authorization": f"Bearer {mint_member_token(config, world.both)}",
               "X-Admin-Key": ADMIN_KEY}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # the three /log endpoints, the other rows and the objections (member and admin) included
    assert len(operations) == 21

    for operation in operations:
        if mode == GenerationMode.NEGATIVE and operation.path in ("/api/v1/log/head",
                                                               "/api/v1/log/keys"):
            continue  # no parameter, no security: there is no invalid request to make

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def no_server_error(case: schemathesis.Case) -> None:
            # the generated case's own headers first; ours make it past authentication
            response = case.call(headers={**(case.headers or {}), **headers})
            case.validate_response(response, checks=[not_a_server_error])

        no_server_error()
    app.state.service.close()
