"""The provider plugin through the real CLI, as a team writing Pulumi YAML uses it.

One stack lives through what a user does to it: a first preview that names their mistakes in the
schema's names, `up` of all four export kinds (one through an explicit provider with its own
default tags and account guard), an edit that updates one job's tags in place and replaces another
for its format, `refresh` after a tag was changed behind the stack's back, and `destroy`, after
which the emulator has no job of the stack's. Beside it: `pulumi import` of a job made with boto3
(and of one that does not exist), and a Python program over the generated SDK.

The parents (forecast, predictor, explainability, what-if forecast) are seeded once for the module.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forecast_emulator import Emulator
from forecast_emulator.seed import Seeded
from pulumi_aws_forecast._plan import OWNER_TAG
from tests.conftest import StackFactory
from tests.e2e.world import KINDS, World, seed
from tests.e2e.yaml_project import PLUGIN_DIR, YamlProject, requires_yaml_host
from tests.harness import PULUMI, kill_everything_under, poll

# Steers the emulator (its clock and settings): not part of `make acceptance`.
pytestmark = [pytest.mark.emulator, requires_yaml_host]

#: Every stack of this file: the plugin from the folder `plugins.providers` names.
_HEADER = """
name: plugin-yaml
runtime: yaml
plugins:
  providers:
    - name: aws-forecast
      path: {plugin_dir}
"""

_STACK = (
    _HEADER
    + """resources:
  prod:
    type: pulumi:providers:aws-forecast
    properties:
      allowedAccountIds: ["{account}"]
      defaultTags:
        tags:
          env: prod
  daily:
    type: aws-forecast:forecast:ForecastExportJob
    properties:
      forecastArn: {forecast}
      destination:
        s3Config:
          path: s3://{bucket}/yaml/daily/
          roleArn: {role}
      tags:
        team: {team}
  backtest:
    type: aws-forecast:forecast:PredictorBacktestExportJob
    properties:
      predictorArn: {predictor}
      destination:
        s3Config:
          path: s3://{bucket}/yaml/backtest/
          roleArn: {role}
      format: {backtest_format}
  impacts:
    type: aws-forecast:forecast:ExplainabilityExport
    properties:
      explainabilityArn: {explainability}
      destination:
        s3Config:
          path: s3://{bucket}/yaml/impacts/
          roleArn: {role}
  scenarios:
    type: aws-forecast:forecast:WhatIfForecastExport
    properties:
      whatIfForecastArns: ["{what_if}"]
      destination:
        s3Config:
          path: {scenarios_path}
          roleArn: {role}
    options:
      provider: ${{prod}}
"""
)

_OTHER_ACCOUNT = "111111111111"


@pytest.fixture(scope="module")
def parents(emulator: Emulator | None) -> Seeded:
    if emulator is None:
        pytest.skip("runs against the emulator only")
    return seed(emulator, bucket="plugin-yaml", prefix="py", role_name="PluginYamlExports")


@pytest.fixture
def plugin_world(emulator: Emulator, parents: Seeded, pulumi_stack: StackFactory) -> World:
    return World(emulator, parents, pulumi_stack, prefix="yaml")


@pytest.fixture
def project(plugin_world: World, tmp_path: Path) -> Iterator[YamlProject]:
    """A YAML project of the test's own; whatever its stack still holds is destroyed afterwards."""
    made = YamlProject(tmp_path / "project", tmp_path, plugin_world.env)
    yield made
    made.destroy_leftovers("dev")


def _stack(seeded: Seeded, **changes: str) -> str:
    settings = {
        "plugin_dir": str(PLUGIN_DIR),
        "account": seeded.account_id,
        "forecast": seeded.forecast_arn,
        "predictor": seeded.predictor_arn,
        "explainability": seeded.explainability_arn,
        "what_if": seeded.what_if_forecast_arn,
        "bucket": seeded.bucket,
        "role": seeded.role_arn,
        "scenarios_path": f"s3://{seeded.bucket}/yaml/scenarios/",
        "team": "demand",
        "backtest_format": "PARQUET",
        **changes,
    }
    return _STACK.format(**settings)


def _problems(shown: str, token: str, name: str) -> dict[str, str]:
    """The check failures the CLI printed for one resource: property -> reason."""
    where = rf"error: {re.escape(token)} resource '{name}': "
    pattern = where + r"property (\S+) value \{.*?\} has a problem: (.*)"
    return {found[1]: found[2] for found in re.finditer(pattern, shown)}


def test_a_yaml_stack_of_every_kind_lives_through_edits_drift_and_destroy(
    plugin_world: World, project: YamlProject
) -> None:
    seeded = plugin_world.seeded
    assert isinstance(seeded, Seeded)
    elsewhere = seeded.what_if_forecast_arn.replace(seeded.account_id, _OTHER_ACCOUNT)
    project.write(_stack(seeded, scenarios_path="s3://Bad_Bucket/scenarios/", what_if=elsewhere))
    project.ok("stack", "init", "dev")

    # Mistakes are reported at preview, before any AWS call, in the names the user wrote, all at once.
    plugin_world.reset_calls()
    mistaken = project.run("preview")
    assert mistaken.returncode != 0
    shown = mistaken.stdout + mistaken.stderr
    problems = _problems(shown, "aws-forecast:forecast:WhatIfForecastExport", "scenarios")
    assert problems == {
        "destination.s3Config.path": (
            'must satisfy regular expression pattern: ^s3://[a-z0-9].+$ (got "s3://Bad_Bucket/scenarios/")'
        ),
        "destination.s3Config.roleArn": (
            f"must be a role in the job's account {_OTHER_ACCOUNT} (cross-account roles are not supported) "
            f'(got "{seeded.role_arn}")'
        ),
        "whatIfForecastArns": (
            f"AWS account {_OTHER_ACCOUNT} (the account of whatIfForecastArns {elsewhere}) is not in "
            f'allowedAccountIds ["{seeded.account_id}"]: nothing was done in it'
        ),
    }, shown
    for python_name in ("s3_config", "role_arn", "what_if_forecast_arns"):
        assert python_name not in shown, shown
    assert "Exception calling application" not in shown and "Traceback" not in shown, shown
    assert plugin_world.calls() == {}

    # Fixed, all four kinds go ACTIVE; the explicit provider's default tags are on its job only.
    project.write(_stack(seeded))
    event_log = project.folder / "events.jsonl"
    project.env["PULUMI_DEBUG_COMMANDS"] = "true"  # what enables --event-log (as the Automation API does)
    up = project.ok("up", "--yes", "--skip-preview", "--event-log", str(event_log))
    # While it waited, each resource's line said how its job was doing (the engine's status messages,
    # which the event log records as ephemeral diagnostics); none of them is a diagnostic.
    said = [
        e["diagnosticEvent"]
        for e in map(json.loads, event_log.read_text().splitlines())
        if "diagnosticEvent" in e
    ]
    status = [d for d in said if d.get("ephemeral") and d.get("urn", "").endswith("ForecastExportJob::daily")]
    assert status and status[-1]["message"].strip().startswith("ACTIVE for "), said
    assert not [d for d in said if not d.get("ephemeral") and " for " in d["message"]], said
    # The non-interactive output prints the resource's line again with each; the Diagnostics section,
    # printed at the end, has nothing of the resource.
    assert re.search(r"ForecastExportJob daily creating \(\d+s\) .*ACTIVE for \d+s", up), up
    assert "ForecastExportJob (daily):" not in up, up
    first = project.resources()
    assert {name: r["outputs"]["status"] for name, r in first.items()} == dict.fromkeys(
        ("daily", "backtest", "impacts", "scenarios"), "ACTIVE"
    )
    for resource in first.values():
        kind = resource["type"].rsplit(":", 1)[-1]
        assert plugin_world.describe(kind, resource["id"])["Status"] == "ACTIVE"
    assert first["scenarios"]["outputs"]["tagsAll"] == {"env": "prod", OWNER_TAG: "plugin-yaml/dev/scenarios"}
    assert first["daily"]["outputs"]["tagsAll"] == {"team": "demand", OWNER_TAG: "plugin-yaml/dev/daily"}

    # One edit: a tag updates in place, a format change replaces (the new job first: autonamed).
    project.write(_stack(seeded, team="supply", backtest_format="CSV"))
    edit_log = project.folder / "edit-events.jsonl"
    edited = project.ok("up", "--yes", "--diff", "--event-log", str(edit_log))  # previews, then performs
    preview = edited[: edited.index("Updating (dev)")]
    assert "~ aws-forecast:forecast:ForecastExportJob: (update)" in preview, edited
    assert '~ team: "demand" => "supply"' in preview, edited
    assert "+-aws-forecast:forecast:PredictorBacktestExportJob: (replace)" in preview, edited
    assert '~ format: "PARQUET" => "CSV"' in preview, edited
    # Autonamed: the new backtest job is created before the old one is deleted (the engine's steps).
    steps = [json.loads(line).get("resourcePreEvent") for line in edit_log.read_text().splitlines()]
    ops = [
        step["metadata"]["op"]
        for step in steps
        if step and not step.get("planning") and step["metadata"]["urn"].endswith("::backtest")
    ]
    assert ops.index("create-replacement") < ops.index("delete-replaced"), ops
    second = project.resources()
    assert second["daily"]["id"] == first["daily"]["id"]
    assert plugin_world.tags(first["daily"]["id"]) == {"team": "supply", OWNER_TAG: "plugin-yaml/dev/daily"}
    old_backtest, new_backtest = first["backtest"]["id"], second["backtest"]["id"]
    assert new_backtest != old_backtest
    assert plugin_world.describe("PredictorBacktestExportJob", new_backtest)["Format"] == "CSV"
    backtests = plugin_world.jobs("PredictorBacktestExportJob")
    assert [job["PredictorBacktestExportJobArn"] for job in backtests] == [new_backtest]  # the old: gone

    # A tag changed behind the stack's back: refresh shows it and records it.
    impacts = second["impacts"]["id"]
    plugin_world.forecast.tag_resource(ResourceArn=impacts, Tags=[{"Key": "rogue", "Value": "x"}])
    refreshed = project.ok("refresh", "--yes", "--diff", "--skip-preview")
    assert "~ aws-forecast:forecast:ExplainabilityExport: (update)" in refreshed, refreshed
    assert '+ rogue: "x"' in refreshed, refreshed
    assert project.resources()["impacts"]["outputs"]["tagsAll"] == {
        "rogue": "x",
        OWNER_TAG: "plugin-yaml/dev/impacts",
    }

    project.ok("destroy", "--yes", "--skip-preview")
    assert project.resources() == {}
    for kind in KINDS:
        assert plugin_world.jobs(kind) == [], f"{kind} jobs left behind"


def test_pulumi_import_adopts_a_job_and_refuses_one_that_does_not_exist(
    plugin_world: World, project: YamlProject
) -> None:
    seeded = plugin_world.seeded
    forecast = plugin_world.forecast
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="by_hand",
        ForecastArn=seeded.forecast_arn,
        Destination={"S3Config": {"Path": plugin_world.path("hand/"), "RoleArn": seeded.role_arn}},
        Tags=[{"Key": "team", "Value": "demand"}],
    )["ForecastExportJobArn"]
    plugin_world.emulator.advance_clock(120)
    try:
        project.write(_HEADER.format(plugin_dir=PLUGIN_DIR))
        project.ok("stack", "init", "dev")

        missing = arn.replace("/by_hand", "/missing")
        refused = project.run(
            "import", "aws-forecast:forecast:ForecastExportJob", "gone", missing, "--yes", "--skip-preview"
        )
        assert refused.returncode != 0
        assert (
            f"cannot import ForecastExportJob {missing}: there is no such forecast export job"
            in refused.stdout
        )
        assert "Unexpected" not in refused.stdout + refused.stderr

        imported = project.ok(
            "import", "aws-forecast:forecast:ForecastExportJob", "hand", arn, "--yes", "--skip-preview"
        )
        assert "forecastArn: " + seeded.forecast_arn in imported  # the code pulumi-yaml generates
        job = project.resources()["hand"]
        assert job["id"] == arn and job["outputs"]["status"] == "ACTIVE"
        assert job["inputs"]["name"] == "by_hand" and job["inputs"]["tags"] == {"team": "demand"}
        # Imported resources are protected; the job stays on AWS whatever the stack does next.
        assert plugin_world.describe("ForecastExportJob", arn)["Status"] == "ACTIVE"
    finally:  # the module's parents are shared: leave no job behind
        forecast.delete_forecast_export_job(ForecastExportJobArn=arn)
        plugin_world.emulator.advance_clock(60)
        assert plugin_world.jobs("ForecastExportJob") == []


_SDK_PROGRAM = """
import pulumi
from pulumi_aws_forecast_sdk.forecast import ForecastExportJob

config = pulumi.Config()
job = ForecastExportJob(
    "daily",
    forecast_arn=config.require("forecastArn"),
    destination={"s3_config": {"path": config.require("path"), "role_arn": config.require("roleArn")}},
    tags={"team": "demand"},
)
pulumi.export("arn", job.arn)
pulumi.export("status", job.status)
pulumi.export("tagsAll", job.tags_all)
"""


def test_a_python_program_over_the_generated_sdk_deploys(plugin_world: World) -> None:
    seeded = plugin_world.seeded
    stack = plugin_world.make_stack(
        _SDK_PROGRAM,
        project="plugin-sdk",
        stack="dev",
        # The SDK is installed in .venv (`make bootstrap`), the plugin's executable is on PATH there.
        env=plugin_world.env,
        config={
            "forecastArn": seeded.forecast_arn,
            "path": plugin_world.path("sdk/"),
            "roleArn": seeded.role_arn,
        },
    )
    up = stack.up()
    outputs: dict[str, Any] = up.outputs
    assert outputs["status"] == "ACTIVE"
    assert outputs["tagsAll"] == {"team": "demand", OWNER_TAG: "plugin-sdk/dev/daily"}
    assert [r["type"] for r in stack.resources("ForecastExportJob")] == [
        "aws-forecast:forecast:ForecastExportJob"
    ]
    assert plugin_world.describe("ForecastExportJob", outputs["arn"])["Status"] == "ACTIVE"
    stack.destroy()
    assert plugin_world.jobs("ForecastExportJob") == []


_JOB = """
  job{i}:
    type: aws-forecast:forecast:ForecastExportJob
    properties:
      forecastArn: {forecast}
      destination:
        s3Config:
          path: s3://{bucket}/yaml/crash/job{i}/
          roleArn: {role}
"""


def _jobs(world: World, count: int, options: str = "") -> str:
    """A stack of `count` forecast export jobs, job0, job1, ..., each with `options` (YAML lines)."""
    seeded = world.seeded
    jobs = "".join(
        _JOB.format(i=i, forecast=seeded.forecast_arn, bucket=seeded.bucket, role=seeded.role_arn) + options
        for i in range(count)
    )
    return _HEADER.format(plugin_dir=PLUGIN_DIR) + "resources:" + jobs


def test_a_killed_up_recovers_as_documented_and_waits_out_the_quota(
    plugin_world: World, project: YamlProject
) -> None:
    """SIGKILL `pulumi up` (CLI, language host, plugin) while creates wait; then the README's recovery:
    `pulumi cancel`, `pulumi refresh --clear-pending-creates`, `pulumi up`, here with one free slot."""
    emulator = plugin_world.emulator
    assert emulator is not None
    emulator.configure(job_seconds=8.0, export_quota=3)
    project.write(_jobs(plugin_world, 6))
    project.ok("stack", "init", "dev")
    up = ["up", "--yes", "--skip-preview", "--parallel", "6", "--non-interactive"]
    process = subprocess.Popen(
        [str(PULUMI), *up],
        cwd=project.folder,
        env=project.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:  # three are created; the other three wait for a slot under the quota of 3
        poll(lambda: len(plugin_world.jobs("ForecastExportJob")) >= 3, 60, "creates to be under way")
    finally:
        kill_everything_under(project.folder.parent, process)

    locked = project.run("refresh", "--yes", "--skip-preview")
    assert locked.returncode != 0 and "the stack is currently locked" in locked.stdout + locked.stderr
    project.ok("cancel", "--yes")
    project.ok("refresh", "--yes", "--skip-preview", "--clear-pending-creates")
    emulator.configure(export_quota=1, job_seconds=2.0)  # the recovery's creates queue, one at a time
    recovered = project.ok(*up)
    assert "waiting for a free slot, the account is at its limit of export jobs in progress" in recovered
    # Every declared job exists exactly once, each is in the state, and nothing else is in the emulator.
    state = project.resources()
    arns = sorted(r["id"] for r in state.values())
    assert sorted(state) == [f"job{i}" for i in range(6)] and len(set(arns)) == 6
    assert sorted(j["ForecastExportJobArn"] for j in plugin_world.jobs("ForecastExportJob")) == arns
    assert all(plugin_world.describe("ForecastExportJob", arn)["Status"] == "ACTIVE" for arn in arns)
    emulator.configure(export_quota=3)
    project.ok("destroy", "--yes", "--skip-preview")
    assert plugin_world.jobs("ForecastExportJob") == []


def test_a_job_slower_than_its_custom_timeout_is_stopped_and_deleted(
    plugin_world: World, project: YamlProject
) -> None:
    emulator = plugin_world.emulator
    assert emulator is not None
    emulator.configure(job_seconds=120.0, export_quota=3)
    project.write(_jobs(plugin_world, 1, options="    options:\n      customTimeouts:\n        create: 5s\n"))
    project.ok("stack", "init", "dev")
    failed = project.run("up", "--yes", "--skip-preview")
    shown = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "was not ACTIVE within the create timeout of 5s; it was stopped and deleted" in shown, shown
    assert "Exception calling application" not in shown and "Traceback" not in shown, shown
    assert project.resources() == {}
    assert plugin_world.jobs("ForecastExportJob") == []


def test_the_providers_secret_keys_stay_secret(plugin_world: World, project: YamlProject) -> None:
    """`aws-forecast:accessKey`/`secretKey` set with --secret sign the calls, and neither the state
    nor anything printed holds them in the clear."""
    emulator = plugin_world.emulator
    assert emulator is not None
    key, secret = "AKIAPLUGINCONFIGKEY1", "plugin-config-secret-key-example"
    project.write(_jobs(plugin_world, 1))
    project.ok("stack", "init", "dev")
    project.ok("config", "set", "--secret", "aws-forecast:accessKey", key)
    project.ok("config", "set", "--secret", "aws-forecast:secretKey", secret)
    emulator.reset_counters()
    printed = [project.ok("up", "--yes"), project.ok("refresh", "--yes")]
    assert set(emulator.callers()["CreateForecastExportJob"]) == {key}  # the configured key signed it
    printed += [project.ok("stack", "export"), (project.folder / "Pulumi.dev.yaml").read_text()]
    printed.append(project.ok("destroy", "--yes", "--skip-preview"))
    for text in printed:
        assert secret not in text and key not in text, text


_IMPORTED = """
resources:
  adopted:
    type: aws-forecast:forecast:ForecastExportJob
    properties:
      forecastArn: {forecast}
      name: by_option
      destination:
        s3Config:
          path: {path}
          roleArn: {role}
      tags:
        team: {team}
    options:
      import: {arn}
"""


def test_the_import_option_adopts_a_job_then_manages_it(plugin_world: World, project: YamlProject) -> None:
    """`options: import:` takes over a job made by hand when the declaration matches it (no Create);
    the stack then manages it as its own: tags in place, and destroy deletes it."""
    seeded, emulator = plugin_world.seeded, plugin_world.emulator
    assert emulator is not None
    path = plugin_world.path("by-option/")
    arn = plugin_world.forecast.create_forecast_export_job(
        ForecastExportJobName="by_option",
        ForecastArn=seeded.forecast_arn,
        Destination={"S3Config": {"Path": path, "RoleArn": seeded.role_arn}},
        Tags=[{"Key": "team", "Value": "demand"}],
    )["ForecastExportJobArn"]
    emulator.advance_clock(120)

    def declare(team: str) -> None:
        body = _IMPORTED.format(
            forecast=seeded.forecast_arn, path=path, role=seeded.role_arn, team=team, arn=arn
        )
        project.write(_HEADER.format(plugin_dir=PLUGIN_DIR) + body)

    declare("demand")
    project.ok("stack", "init", "dev")
    emulator.reset_counters()
    imported = project.ok("up", "--yes")
    assert "1 imported" in imported, imported
    assert not emulator.counters().get("CreateForecastExportJob")
    assert project.resources()["adopted"]["id"] == arn

    declare("supply")
    project.ok("up", "--yes", "--skip-preview")
    assert plugin_world.tags(arn)["team"] == "supply"
    project.ok("destroy", "--yes", "--skip-preview")
    assert plugin_world.jobs("ForecastExportJob") == []
