"""Acceptance tests in the style of terraform-provider-aws: the real pulumi CLI against the emulator.

basic, tags, replace, adopt, failure, invalid inputs, and the destroy check. Disappearance and
drift through the CLI are test_new_kinds.py's `test_lifecycle`; what read() reports of them is
tests/provider's.
"""

from __future__ import annotations

import json
import re

import pytest
from pulumi import automation as auto

from pulumi_aws_forecast._provider import OWNER_TAG
from pulumi_aws_forecast.catalog import KINDS as CATALOGUE
from pulumi_aws_forecast.catalog import snake
from tests.e2e.world import KINDS, World, destroy_and_check

ARN = {
    kind: rf"^arn:aws:forecast:us-east-1:123456789012:{CATALOGUE[kind].arn_type}/"
    + ("[a-z0-9_]+/" if CATALOGUE[kind].arn_has_parent_name else "")
    + "job_[0-9a-f]{8}$"
    for kind in KINDS
}
TYPE = {kind: f"pulumi-python:dynamic/forecast:{kind}" for kind in KINDS}
#: The folders each kind's export writes under its path (emulator/README.md has the layouts).
FOLDERS = {
    "ForecastExportJob": set(),
    "PredictorBacktestExportJob": {"forecasted-values", "accuracy-metrics-values"},
    "ExplainabilityExport": set(),
    "WhatIfForecastExport": set(),
}


def owner_of(stack_project: str = "e2e", stack: str = "test", logical: str = "job") -> str:
    return f"{stack_project}/{stack}/{logical}"


#: A status message about a job being waited for (`_progress.py`), none of which may be a diagnostic.
PROGRESS = re.compile(
    r"(created; Forecast does not show the job yet \(\w+\)|[A-Z_]+ for \w+(, about \d+ min left .*)?)"
)


@pytest.mark.parametrize("kind", KINDS)
def test_basic(world: World, kind: str) -> None:
    stack = world.stack(kind, tags={"team": "demand"})

    events: list[auto.EngineEvent] = []
    up = stack.up(on_event=events.append)
    assert up.changes == {"create": 2}
    # While it waited, the resource's line said how the job was doing: status messages (ephemeral
    # diagnostics) on the job's URN, ending ACTIVE; none of them is a diagnostic of the update.
    said = [e.diagnostic_event for e in events if e.diagnostic_event is not None]
    status = [d for d in said if d.ephemeral and d.urn and d.urn.endswith(f":{kind}::job")]
    assert status and all(PROGRESS.fullmatch(d.message.strip()) for d in status), [d.message for d in said]
    assert status[-1].message.startswith("ACTIVE for "), [d.message for d in status]
    assert not [d for d in said if not d.ephemeral and PROGRESS.search(d.message)], [d.message for d in said]
    out = up.outputs
    assert re.fullmatch(ARN[kind], out["arn"]), out["arn"]
    assert out["status"] == "ACTIVE"
    assert out["format"] == "CSV"
    assert out["name"] == out["arn"].rsplit("/", 1)[1]
    assert out["tags"] == {"team": "demand"}
    assert out["tags_all"] == {"team": "demand", OWNER_TAG: owner_of()}
    assert out["destination"] == {"s3_config": {"path": world.path(), "role_arn": world.seeded.role_arn}}
    assert out["creation_time"] and out["last_modification_time"]

    # What AWS has is what the stack says.
    [job] = world.jobs(kind)
    assert job[f"{kind}Arn"] == out["arn"]
    assert world.describe(kind, out["arn"])["Status"] == "ACTIVE"
    assert world.tags(out["arn"]) == out["tags_all"]
    [resource] = stack.resources(kind)
    assert resource["type"] == TYPE[kind]
    assert resource["id"] == out["arn"]

    # The export's files are in S3: <name>_<timestamp>_part<N>.csv, in the kind's folders, with
    # the _SUCCESS (and on AWS _CHECK) markers beside them, which readers skip.
    all_keys = world.s3_keys()
    keys = [k for k in all_keys if not k.endswith(("/_SUCCESS", "/_CHECK"))]
    assert {k.rsplit("/", 1)[0] for k in keys} <= {
        k.rsplit("/", 1)[0] for k in all_keys if k.endswith("/_SUCCESS")
    }
    name = out["name"]
    file_name = rf"{name}_\d{{4}}-\d\d-\d\dT\d\d-\d\d-\d\dZ_part\d+\.csv"
    assert keys and all(re.fullmatch(rf"w\d+/out/([a-z-]+/)?{file_name}", k) for k in keys), keys
    assert {k.split("/")[2] for k in keys if k.count("/") == 3} == FOLDERS[kind]

    # A second preview, and an up, show no changes and make no AWS calls.
    world.reset_calls()
    stack.preview(expect_no_changes=True)
    assert stack.up(expect_no_changes=True).changes == {"same": 2}
    assert world.calls() in ({}, None)  # None: on AWS the calls are not observable

    destroy_and_check(world, stack)


def test_tags_update_in_place(world: World) -> None:
    stack = world.stack(tags={"team": "demand", "cost": "1"})
    stack.set_config("aws:defaultTags", json.dumps({"tags": {"env": "test", "team": "default"}}))
    arn = stack.up().outputs["arn"]
    assert world.tags(arn) == {"env": "test", "team": "demand", "cost": "1", OWNER_TAG: owner_of()}

    stack.set_config("tags", json.dumps({"team": "supply", "owner": "ml@example.com"}))
    world.reset_calls()
    up = stack.up()
    assert up.changes == {"update": 1, "same": 1}
    assert up.outputs["arn"] == arn  # in place: the same job
    expected = {"env": "test", "team": "supply", "owner": "ml@example.com", OWNER_TAG: owner_of()}
    assert up.outputs["tags_all"] == expected
    assert world.tags(arn) == expected
    counters = world.calls()
    if counters is not None:  # on the emulator: exactly the difference was sent
        assert counters.get("TagResource") == 1 and counters.get("UntagResource") == 1
        assert not counters.get("CreateForecastExportJob")

    stack.preview(expect_no_changes=True)
    destroy_and_check(world, stack)


def _order(output: str, first: str, then: str) -> bool:
    return output.index(first) < output.index(then)


def test_replace_autonamed_creates_before_deleting(world: World) -> None:
    stack = world.stack()
    old = stack.up().outputs
    stack.set_config("format", "PARQUET")
    up = stack.up()
    assert up.changes == {"replace": 1, "same": 1}
    new = up.outputs
    assert new["name"] != old["name"] and new["format"] == "PARQUET"
    assert _order(up.output, "creating replacement", "deleting original"), up.output
    assert [j["ForecastExportJobName"] for j in world.jobs("ForecastExportJob")] == [new["name"]]
    destroy_and_check(world, stack)


def test_replace_named_deletes_first(world: World) -> None:
    stack = world.stack("PredictorBacktestExportJob", name="named_backtest")
    old = stack.up().outputs
    stack.set_config("path", world.path("elsewhere/"))
    up = stack.up()
    assert up.changes == {"replace": 1, "same": 1}
    assert up.outputs["name"] == old["name"] == "named_backtest"
    assert _order(up.output, "deleting original", "creating replacement"), up.output
    [job] = world.jobs("PredictorBacktestExportJob")
    assert job["Destination"]["S3Config"]["Path"] == world.path("elsewhere/")
    destroy_and_check(world, stack)


@pytest.mark.parametrize("kind", KINDS)
def test_adopt(world: World, kind: str) -> None:
    """Through the CLI: a job made by hand, declared with adopt=True, comes under management. When
    adoption is refused (no adopt=True, another stack's job, other settings) is
    tests/provider/test_lifecycle.py's, per kind, with the exact messages."""
    spec = CATALOGUE[kind]
    assert spec.parent_member is not None
    create = getattr(world.forecast, snake(spec.create_operation))
    existing = create(
        **{spec.name_member: "pre_existing", spec.parent_member: world.parent(kind)},
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
        Tags=[{"Key": "made_by", "Value": "hand"}],
    )[spec.arn_member]

    stack = world.stack(kind, name="pre_existing", adopt=True)
    up = stack.up()
    assert up.changes == {"create": 2}
    assert up.outputs["arn"] == existing
    assert [j[spec.arn_member] for j in world.jobs(kind)] == [existing]
    assert world.tags(existing) == {OWNER_TAG: owner_of()}  # the declared tags
    stack.preview(expect_no_changes=True)
    destroy_and_check(world, stack)


def test_failure_leaves_nothing_and_a_rerun_succeeds(world: World) -> None:
    missing = f"s3://no-such-bucket-{world.prefix}/out/"
    stack = world.stack(path=missing)
    with pytest.raises(auto.CommandError) as failed:
        stack.up()
    text = str(failed.value)
    assert "CREATE_FAILED" in text and "no-such-bucket" in text, text
    assert "The failed job was deleted" in text
    assert "Traceback" not in text
    assert world.jobs("ForecastExportJob") == []
    assert stack.resources("ForecastExportJob") == []

    stack.set_config("path", world.path())
    assert stack.up().changes == {"create": 1, "same": 1}
    destroy_and_check(world, stack)


def test_invalid_inputs_fail_at_preview_naming_the_property(world: World) -> None:
    stack = world.stack(
        parentArn=world.seeded.predictor_arn,
        path="s3://Bad_Bucket/x",
        name="9lives",
        format="xml",
        tags={"aws:team": "x"},
    )
    world.reset_calls()
    with pytest.raises(auto.CommandError) as invalid:
        stack.preview()
    text = str(invalid.value)
    for expected in (
        f"property forecast_arn value {{{world.seeded.predictor_arn}}} has a problem: "
        "must be the ARN of a forecast",
        "property destination.s3_config.path value {<nil>} has a problem: "
        "must satisfy regular expression pattern: ^s3://[a-z0-9].+$",
        "property name value {9lives} has a problem: "
        "must satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*$",
        "property format value {xml} has a problem: must satisfy enum value set: [CSV, PARQUET]",
        "property tags[\"aws:team\"] value {<nil>} has a problem: must not begin with 'aws:'",
    ):
        assert expected in text, text
    assert not any((world.calls() or {}).values())  # nothing was sent
    assert stack.resources() == []
