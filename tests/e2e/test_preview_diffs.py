"""What reviewers read: `pulumi preview --diff` and `--json` show every change `up` will make.

Six cases through the real CLI: a default-tag change, out-of-band tag drift, an out-of-band
settings change (replace), a format change (replace), a tag change, and no change.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from examples.gitops import pr_comment
from pulumi_aws_forecast._provider import OWNER_TAG, _read_returns_inputs
from tests.e2e.world import KINDS, World, destroy_and_check
from tests.harness import PulumiStack

pytestmark = pytest.mark.skipif(
    not _read_returns_inputs(), reason="detailed previews need ReadResult inputs (pulumi>=3.216.0)"
)


def job_step(preview: PulumiStack | dict[str, Any]) -> dict[str, Any]:
    """The preview's step for the export job (not the stack), as `pulumi preview --json` gives it."""
    parsed = preview.preview_json() if isinstance(preview, PulumiStack) else preview
    steps = [s for s in parsed["steps"] if s["urn"].endswith("::job")]
    [step] = steps
    return dict(step)


def diff_text(stack: PulumiStack) -> str:
    """`pulumi preview --diff`, as a reviewer reads it (printed: pytest -rP shows it)."""
    text = stack.cli("preview", "--diff")
    print(text)
    return text


def shows(text: str, change: str) -> bool:
    """Whether the diff text has `change`, whatever the alignment (`~ team : "a" => "b"`)."""
    pattern = re.escape(change).replace(r"\ ", r"\s+").replace(":", r"\s*:")
    return re.search(pattern, text) is not None


def up(stack: PulumiStack) -> None:
    stack.up()
    stack.preview(expect_no_changes=True)


def test_default_tag_change(world: World) -> None:
    stack = world.stack(tags={"team": "demand"})
    up(stack)
    stack.set_config("aws:defaultTags", json.dumps({"tags": {"costCenter": "cc-42"}}))

    text = diff_text(stack)
    assert shows(text, "~ tags_all: {") and shows(text, '+ costCenter: "cc-42"'), text
    preview = stack.preview_json()
    step = job_step(preview)
    assert step["op"] == "update"
    assert "tags_all" in step["diffReasons"]
    assert step["detailedDiff"]["tags_all.costCenter"]["kind"] == "add"
    # The pull request comment (examples/gitops) says the same.
    comment = pr_comment.render(preview, "test")
    assert '| `job` | update | `tags_all.costCenter` | — | `"cc-42"` |  |' in comment, comment

    stack.up()
    assert world.tags(stack.outputs()["arn"])["costCenter"] == "cc-42"
    destroy_and_check(world, stack)


def test_tag_drift_that_up_will_revert(world: World) -> None:
    stack = world.stack(tags={"team": "demand"})
    up(stack)
    arn = stack.outputs()["arn"]
    world.forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "rogue", "Value": "x"}])
    world.forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "hijacked"}])
    stack.refresh()

    text = diff_text(stack)
    assert shows(text, '- rogue: "x"'), text
    assert shows(text, '~ team: "hijacked" => "demand"'), text
    preview = stack.preview_json()
    step = job_step(preview)
    assert step["op"] == "update"
    assert step["detailedDiff"]["tags_all.rogue"]["kind"] == "delete"
    assert step["detailedDiff"]["tags.team"]["kind"] == "update"
    comment = pr_comment.render(preview, "test")
    assert '| `job` | update | `tags_all.rogue` | `"x"` | — |  |' in comment, comment
    assert '| `job` | update | `tags.team` | `"hijacked"` | `"demand"` |  |' in comment, comment

    stack.up()
    assert world.tags(arn) == {"team": "demand", OWNER_TAG: "e2e/test/job"}
    stack.preview(expect_no_changes=True)
    destroy_and_check(world, stack)


def test_settings_changed_out_of_band_replace(world: World) -> None:
    stack = world.stack(name="drifted")
    up(stack)
    arn = stack.outputs()["arn"]
    world.forecast.delete_forecast_export_job(ForecastExportJobArn=arn)
    deadline = time.monotonic() + 30
    while world.jobs("ForecastExportJob"):
        assert time.monotonic() < deadline, "the out-of-band delete did not finish"
        time.sleep(0.05)
    world.forecast.create_forecast_export_job(
        ForecastExportJobName="drifted",
        ForecastArn=world.seeded.forecast_arn,
        Destination={"S3Config": {"Path": world.path(), "RoleArn": world.seeded.role_arn}},
        Format="PARQUET",
    )
    while world.describe("ForecastExportJob", arn)["Status"] != "ACTIVE":
        assert time.monotonic() < deadline, "the out-of-band create did not finish"
        time.sleep(0.05)
    stack.refresh()

    text = diff_text(stack)
    assert "+-" in text and shows(text, '~ format: "PARQUET" => "CSV"'), text
    step = job_step(stack)
    assert step["op"] == "replace"
    assert step["replaceReasons"] == ["format"]
    assert step["detailedDiff"]["format"]["kind"] == "update"

    stack.up()
    assert world.describe("ForecastExportJob", arn)["Format"] == "CSV"
    destroy_and_check(world, stack)


def test_format_change_replace(world: World) -> None:
    stack = world.stack()
    up(stack)
    stack.set_config("format", "PARQUET")
    text = diff_text(stack)
    assert "+-" in text and shows(text, '~ format: "CSV" => "PARQUET"'), text
    step = job_step(stack)
    assert step["op"] == "replace"
    assert step["replaceReasons"] == ["format"]
    assert "format" in step["diffReasons"]
    destroy_and_check(world, stack)


def test_tag_change(world: World) -> None:
    stack = world.stack(tags={"team": "demand"})
    up(stack)
    stack.set_config("tags", json.dumps({"team": "supply"}))
    text = diff_text(stack)
    assert shows(text, '~ team: "demand" => "supply"'), text
    step = job_step(stack)
    assert step["op"] == "update" and not step.get("replaceReasons")
    assert {"tags", "tags_all"} <= set(step["diffReasons"])
    destroy_and_check(world, stack)


def test_no_change_previews_clean_without_aws_calls(world: World) -> None:
    """A job of every kind in one stack: a preview of no change sends Forecast nothing."""
    stack = world.stack(parentArns={kind: world.parent(kind) for kind in KINDS}, tags={"team": "demand"})
    stack.set_config("aws:defaultTags", json.dumps({"tags": {"env": "test"}}))
    assert stack.up().changes == {"create": 1 + len(KINDS)}
    world.reset_calls()
    stack.preview(expect_no_changes=True)
    steps = stack.preview_json()["steps"]
    assert all(step["op"] == "same" for step in steps), steps
    assert "no changes" in diff_text(stack).lower() or "unchanged" in diff_text(stack)
    assert not any((world.calls() or {}).values())
    destroy_and_check(world, stack)
