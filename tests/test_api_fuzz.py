"""Fuzz the JSON API from its own OpenAPI document (schemathesis + hypothesis): whatever a
client sends, no operation answers 500 and none returns another township's rows.

The budget is bounded (examples per operation) so the suite stays well under its time limit."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from renda.api import api

EXAMPLES_PER_OPERATION = 25
OPERATIONS = [result.ok() for result in schemathesis.openapi.from_dict(api.get_openapi_schema()).get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_api_operation_never_fails_and_never_leaks(client, world, operation):
    client.force_login(world.staff_a)
    foreign = [str(world.township_b.uuid), str(world.station_b.uuid), str(world.group_b.uuid), str(world.agency_b.uuid)]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = client.generic(case.method, case.formatted_path, QUERY_STRING=_query(case.query))
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}"
        body = response.content.decode()
        assert not [uuid for uuid in foreign if uuid in body]

    run()


def _query(query: dict | None) -> str:
    from urllib.parse import urlencode

    return urlencode(query or {}, doseq=True)
