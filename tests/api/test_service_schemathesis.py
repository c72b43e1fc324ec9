"""Schemathesis against ``/openapi.json`` through the ASGI app: zero 5xx and no schema violations.

Every operation is fuzzed with schema-valid (positive) and schema-invalid (negative) requests, deterministic
(``derandomize``) and bounded (30 examples per operation and mode), with an admin key so requests reach the
handlers. Schemathesis's pytest plugin (``from_fixture``) does not load under pytest 9, so the operations'
Hypothesis strategies are driven directly. Hand-written cases are in ``test_service_bad_input.py``.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.integration

# erasure removes users for the rest of the run; it is exercised in test_service_read.py
SKIP = {"POST /v1/users/{user_id}/erasure"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 30
# each consent change that alters a user's consent rebuilds their identity (~0.5 s): fewer examples there
FEWER = {"PUT /v1/users/{user_id}/consent": 10}


def _fuzz(op: Any, mode: GenerationMode, headers: dict[str, str], statuses: Counter[int]) -> None:
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @settings(
        max_examples=FEWER.get(op.label, EXAMPLES),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=checks)

    run()


@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"]
)
def test_when_schemathesis_fuzzes_every_operation_then_no_5xx_and_no_schema_violation(api, mode, capsys):
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    headers = {"Authorization": f"Bearer {api.keys['admin']}"}
    statuses: Counter[int] = Counter()
    operations, nothing_to_negate, timings = 0, [], {}
    for result in schema.get_all_operations():
        op = result.ok()
        if op.label in SKIP:
            continue
        operations += 1
        start = time.perf_counter()
        try:
            _fuzz(op, mode, headers, statuses)
        except Unsatisfiable:
            # an operation without parameters or body has no invalid form (GET /healthz, GET /metrics)
            assert mode is GenerationMode.NEGATIVE
            nothing_to_negate.append(op.label)
        timings[op.label] = round(time.perf_counter() - start, 1)
    with capsys.disabled():
        print(
            f"\nschemathesis {mode.value}: {operations} operations, {sum(statuses.values())} requests, "
            f"statuses {dict(sorted(statuses.items()))}, nothing to negate: {nothing_to_negate}, "
            f"seconds: {timings}"
        )
    assert operations >= 10
    assert not [s for s in statuses if s >= 500]
