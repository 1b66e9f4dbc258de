"""ExplainabilityExport and WhatIfForecastExport at the same bar as the first two kinds, through the CLI.

test_basic (test_export_jobs.py) covers create, outputs, files and no-change runs for every kind;
here: tags in place with default tags, drift and disappearance, replacement order, adoption and
preview-time errors for the two newer kinds, and the what-if export's list of parents.
"""

from __future__ import annotations

import json

import pytest
from pulumi import automation as auto

from pulumi_aws_forecast._provider import OWNER_TAG
from tests.e2e.world import World, destroy_and_check

NEW_KINDS = ("ExplainabilityExport", "WhatIfForecastExport")


def test_lifecycle(world: World) -> None:
    """One stack with a job of each of the two kinds, through every step at once."""
    stack = world.stack(parentArns={kind: world.parent(kind) for kind in NEW_KINDS}, tags={"team": "demand"})
    stack.set_config("aws:defaultTags", json.dumps({"tags": {"env": "test"}}))
    out = stack.up().outputs
    arns = out["arns"]
    assert out["statuses"] == {kind: "ACTIVE" for kind in NEW_KINDS}
    for kind, arn in arns.items():
        assert world.tags(arn) == {"env": "test", "team": "demand", OWNER_TAG: f"e2e/test/{kind}"}

    # Tags update in place with exactly one Tag and one Untag call per job.
    stack.set_config("tags", json.dumps({"owner": "ml"}))
    world.reset_calls()
    up = stack.up()
    assert up.changes == {"update": 2, "same": 1}
    assert up.outputs["arns"] == arns
    for kind, arn in arns.items():
        tags = {"env": "test", "owner": "ml", OWNER_TAG: f"e2e/test/{kind}"}
        assert world.tags(arn) == up.outputs["tags_all"][kind] == tags
    counters = world.calls()
    if counters is not None:  # on the emulator: exactly the difference was sent
        assert counters.get("TagResource") == 2 and counters.get("UntagResource") == 2
        assert not any(counters.get(f"Create{kind}") for kind in NEW_KINDS)

    # Drift: refresh shows it, up repairs it.
    for arn in arns.values():
        world.forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "rogue", "Value": "x"}])
    assert stack.refresh().changes.get("update") == 2
    assert stack.up().changes == {"update": 2, "same": 1}
    assert not any("rogue" in world.tags(arn) for arn in arns.values())

    # A format change replaces, autonamed: the new job is created before the old one is deleted.
    stack.set_config("format", "PARQUET")
    up = stack.up()
    assert up.changes == {"replace": 2, "same": 1}
    for kind in NEW_KINDS:
        assert up.output.index(f"{kind} creating replacement") < up.output.index(f"{kind} deleting original")
        new_arn = up.outputs["arns"][kind]
        assert new_arn != arns[kind] and world.describe(kind, new_arn)["Format"] == "PARQUET"
        assert [j[f"{kind}Arn"] for j in world.jobs(kind)] == [new_arn]
        assert any(k.endswith(".parquet") for k in world.s3_keys(f"{kind}/"))

    # Deleted behind our back: refresh drops it, up creates it again.
    for kind in NEW_KINDS:
        world.delete(kind, up.outputs["arns"][kind])
    assert stack.refresh().changes.get("delete") == 2
    assert stack.up().changes == {"create": 2, "same": 1}
    stack.preview(expect_no_changes=True)
    destroy_and_check(world, stack)


def test_what_if_export_of_several_forecasts_replaces_when_the_list_changes(world: World) -> None:
    first = world.seeded.what_if_forecast_arn
    second = world.what_if_forecast("second")
    stack = world.stack("WhatIfForecastExport", name="what_ifs", parentArn=[first, second])
    out = stack.up().outputs
    [job] = world.jobs_named("WhatIfForecastExport", "what_ifs")
    assert job["WhatIfForecastArns"] == [first, second]
    assert out["arn"].endswith(":what-if-forecast-export/what_ifs")

    # A named job keeps its name, so the replacement deletes the old job first.
    stack.set_config("parentArn", json.dumps([second]))
    up = stack.up()
    assert up.changes == {"replace": 1, "same": 1}
    assert up.output.index("deleting original") < up.output.index("creating replacement")
    [job] = world.jobs_named("WhatIfForecastExport", "what_ifs")
    assert job["WhatIfForecastArns"] == [second]
    destroy_and_check(world, stack)


def test_invalid_what_if_parents_fail_at_preview_naming_the_item(world: World) -> None:
    other_region = world.seeded.what_if_forecast_arn.replace("us-east-1", "eu-west-1")
    stack = world.stack(
        "WhatIfForecastExport", parentArn=[world.seeded.what_if_forecast_arn, world.seeded.forecast_arn]
    )
    world.reset_calls()
    with pytest.raises(auto.CommandError) as invalid:
        stack.preview()
    text = str(invalid.value)
    assert "property what_if_forecast_arns[1] value" in text, text
    assert "must be the ARN of a what-if forecast" in text
    stack.set_config("parentArn", json.dumps([world.seeded.what_if_forecast_arn, other_region]))
    with pytest.raises(auto.CommandError, match="must name resources in one account and region"):
        stack.preview()
    assert not any((world.calls() or {}).values())  # nothing was sent
