"""Amazon Forecast's quotas on export jobs, refused as AWS words them.

Per account and region (Service Quotas are regional), for each export kind:

- the count quota: at most `total_quota` jobs exist (any status, until
  deleted; Service Quotas L-561FC25E forecast export jobs, L-E1AC300F
  predictor backtest export jobs, L-6AD28BD9 what-if forecast exports, 1000
  each). `LimitExceededException: Quota limit of 1000 of total number of
  forecast exports has been reached` - the wording of AWS's own solution's
  tests (aws-solutions/improving-forecast-accuracy-with-machine-learning,
  `source/tests/test_helpers.py`, with `n` for the number); the other kinds'
  names follow it (our choice). Not retryable: waiting does not free a place.
- the jobs-in-progress quota: at most `export_quota` jobs creating or stopping
  (3 by default: "Maximum parallel running Create...Export... tasks").
  `LimitExceededException: Quota limit of 3 concurrently creating forecast
  exports has been reached` (same source); clients retry when the message
  says "concurrently".
- a what-if forecast export exports at most 3 what-if forecasts (Service
  Quotas L-50FA8F07, not adjustable), though the model allows 50. How AWS
  refuses more is not recorded; our choice is InvalidInputException, as the
  request itself is wrong and no wait or quota increase can make it right
  (a client that retries LimitExceededException would retry it forever).

The count quota is checked first: a client told "concurrently" waits for a
slot, and should not wait for one that can never come.
"""

from __future__ import annotations

from forecast_emulator.exceptions import LimitExceededException
from forecast_emulator.settings import Settings
from forecast_emulator.store import Store
from forecast_emulator.trees import EXISTING
from pulumi_aws_forecast.catalog import RUNNING, ResourceKind

# What-if forecasts one CreateWhatIfForecastExport may name (3, Service Quotas L-50FA8F07) is a rule
# of the shared rules (`pulumi_aws_forecast.rules`), which the provider also checks at preview.


def quota_name(kind: ResourceKind) -> str:
    """How the quota messages name an export kind: "forecast exports" (not "export jobs")."""
    return kind.label.removesuffix(" job") + "s"


def require_room(store: Store, settings: Settings, kind: ResourceKind, account: str, region: str) -> None:
    """Refuse a new export job when its kind is at its count or jobs-in-progress quota."""
    if not kind.export:
        return
    total = settings.total_quota
    if store.count(kind.noun, account, region, EXISTING) >= total:
        raise LimitExceededException(
            f"Quota limit of {total} of total number of {quota_name(kind)} has been reached"
        )
    running = settings.export_quota
    if store.count(kind.noun, account, region, RUNNING) >= running:
        raise LimitExceededException(
            f"Quota limit of {running} concurrently creating {quota_name(kind)} has been reached"
        )
