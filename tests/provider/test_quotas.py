"""The two quotas behind a LimitExceededException on Create: the jobs in progress (waited out) and
the number of jobs an account may hold (fails at once, clearly, leaving nothing behind).

The refusals use AWS's wording as its own solution's tests spell it
(aws-solutions/improving-forecast-accuracy-with-machine-learning, `source/tests/test_helpers.py`).
They reach the provider's shared client through botocore's `before-call` event, answering the
Create instead of the emulator, so these tests do not depend on how an emulator words its quotas.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pytest

from pulumi_aws_forecast import _aws
from pulumi_aws_forecast._aws import ForecastError
from pulumi_aws_forecast.catalog import EXPORT_KINDS, KINDS
from tests.provider.conftest import World

COUNT_REFUSAL = "Quota limit of 1000 of total number of forecast exports has been reached"
IN_PROGRESS_REFUSAL = "Quota limit of 3 concurrently creating forecast exports has been reached"


class _Http:
    status_code = 400
    headers: ClassVar[dict[str, str]] = {}


@contextmanager
def refused_creates(world: World, kind: str, messages: list[str]) -> Iterator[list[str]]:
    """The next Creates of `kind` through the provider's client are refused with LimitExceededException
    and these messages, one each; later ones reach the emulator. Yields the messages not used yet."""
    events: Any = _aws.client(world.seeded.region).meta.events
    left = list(messages)

    def refuse(**_: Any) -> tuple[_Http, dict[str, Any]] | None:
        if not left:
            return None
        message = left.pop(0)
        return _Http(), {"Error": {"Code": "LimitExceededException", "Message": message}}

    event = f"before-call.forecast.{KINDS[kind].create_operation}"
    events.register_first(event, refuse)
    try:
        yield left
    finally:
        events.unregister(event, refuse)


QUOTA_CODES = {
    "ForecastExportJob": "Service Quotas code L-561FC25E, 'Maximum number of forecast export jobs'",
    "PredictorBacktestExportJob": (
        "Service Quotas code L-E1AC300F, 'Maximum number of predictor backtest export jobs'"
    ),
    "WhatIfForecastExport": (
        "Service Quotas code L-6AD28BD9, 'The maximum number of What-if Forecast Exports'"
    ),
    "ExplainabilityExport": "'Maximum number of explainability exports' in Service Quotas",
}


@pytest.mark.parametrize("kind", [k.noun for k in EXPORT_KINDS])
def test_the_count_quota_fails_at_once_naming_the_quota_and_leaves_nothing(world: World, kind: str) -> None:
    spec = KINDS[kind]
    props = world.props(kind)
    with refused_creates(world, kind, [COUNT_REFUSAL] * 3), pytest.raises(ForecastError) as failed:
        world.lifecycle(kind).create(props)
    code = QUOTA_CODES[kind]
    ask = (
        "ask AWS for a higher quota in the Service Quotas console (service Amazon Forecast)"
        if kind == "ExplainabilityExport"
        else "ask AWS for a higher quota (aws service-quotas request-service-quota-increase --service-code "
        f"forecast --quota-code {code.split()[3].rstrip(',')} --desired-value <n>)"
    )
    assert str(failed.value) == (
        f"{kind} '{props['name']}': the account holds as many {spec.label}s as its quota allows ({code}): "
        f"{COUNT_REFUSAL}. Delete {spec.label}s you no longer need (List{spec.plural} shows them), or "
        f"{ask}, and run `pulumi up` again. Nothing was created."
    )
    assert world.clock.elapsed == 0.0  # no wait for a slot that cannot free
    assert world.jobs(kind) == []


def test_the_in_progress_quota_in_aws_wording_is_waited_out(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        refused_creates(world, "ForecastExportJob", [IN_PROGRESS_REFUSAL] * 2) as left,
        caplog.at_level(logging.WARNING, logger="pulumi_aws_forecast"),
    ):
        _, outputs = world.lifecycle().create(world.props(name="waits"))
    assert outputs["status"] == "ACTIVE" and left == []
    waits = [r.getMessage() for r in caplog.records if "waiting for a free slot" in r.getMessage()]
    assert len(waits) == 2 and waits[0].startswith(
        "ForecastExportJob 'waits': waiting for a free slot, the account is at its limit of export jobs "
        f"in progress ({IN_PROGRESS_REFUSAL}); retrying in "
    ), waits


def test_quota_refusals_are_told_apart_by_their_message() -> None:
    assert _aws.QuotaReached(IN_PROGRESS_REFUSAL).in_progress
    # Only "concurrently" means a slot will free, as in AWS's solution; any other wording fails at once.
    for fails in (
        COUNT_REFUSAL,
        "Quota limit of 1000 GB data size has been reached",
        "You have reached the limit of 3 forecast export jobs in progress",
    ):
        assert not _aws.QuotaReached(fails).in_progress
