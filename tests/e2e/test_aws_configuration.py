"""The stack's `aws:` configuration governs our jobs through the real CLI, with no AWS credentials
in the program's environment: a profile in a shared credentials file, static keys set as secrets,
the allowed accounts (refused at preview, with no AWS call) and the ignored tags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.program import PROGRAM
from tests.e2e.world import World, destroy_and_check, text
from tests.harness import PulumiStack

pytestmark = pytest.mark.emulator

#: Emulator credentials (moto accepts any); never in the program's environment here.
_KEY_ID = "AKIAPROFILEEXAMPLE01"
_SECRET = "profile-secret-example-0123456789abcdef"


def _stack(world: World, tmp_path: Path, **config: Any) -> PulumiStack:
    """The e2e program's stack, with the emulator's endpoint but no credentials in the environment."""
    env = {k: v for k, v in world.env.items() if not k.startswith("AWS_ACCESS_KEY") and "SECRET" not in k}
    # Empty values hide whatever the test process has: botocore treats them as unset.
    env |= {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": ""}
    settings = {
        "kind": "ForecastExportJob",
        "parentArn": world.parent("ForecastExportJob"),
        "path": world.path(),
        "roleArn": world.seeded.role_arn,
        **config,
    }
    return world.make_stack(PROGRAM, stack="test", env=env, config={k: text(v) for k, v in settings.items()})


_SECRET_SIG = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret value in state


def _places(node: Any, values: tuple[str, ...], resource_type: str = "", secret: bool = False) -> Any:
    """(resource type, inside a secret) of every string holding one of `values`."""
    if isinstance(node, dict):
        resource_type = str(node.get("type", resource_type)) if "urn" in node else resource_type
        secret = secret or _SECRET_SIG in node
        for value in node.values():
            yield from _places(value, values, resource_type, secret)
    elif isinstance(node, list):
        for value in node:
            yield from _places(value, values, resource_type, secret)
    elif isinstance(node, str) and any(v in node for v in values):
        yield resource_type, secret


def test_a_profile_from_a_shared_credentials_file_deploys_and_ignored_tags_are_left_alone(
    world: World, tmp_path: Path
) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text(f"[team]\naws_access_key_id = {_KEY_ID}\naws_secret_access_key = {_SECRET}\n")
    stack = _stack(world, tmp_path, tags={"team": "demand"})
    stack.set_config("aws:profile", "team")
    stack.set_config("aws:sharedCredentialsFiles", json.dumps([str(credentials)]))
    stack.set_config("aws:ignoreTags", json.dumps({"keyPrefixes": ["policy:"], "keys": ["cost-center"]}))
    stack.up()
    arn = stack.outputs()["arn"]
    assert world.tags(arn)["team"] == "demand"

    # Another system tags the job behind the stack's back: neither drift nor removed.
    world.forecast.tag_resource(
        ResourceArn=arn,
        Tags=[{"Key": "policy:owner", "Value": "finance"}, {"Key": "cost-center", "Value": "42"}],
    )
    stack.refresh()
    stack.preview(expect_no_changes=True)
    assert "policy:owner" not in stack.outputs()["tags_all"]

    stack.set_config("tags", json.dumps({"team": "supply"}))
    stack.up()
    tags = world.tags(arn)
    assert tags["team"] == "supply"
    assert tags["policy:owner"] == "finance" and tags["cost-center"] == "42"
    assert stack.outputs()["tags_all"] == {
        k: v for k, v in tags.items() if k not in ("policy:owner", "cost-center")
    }
    destroy_and_check(world, stack)


def test_assumed_roles_make_the_jobs_as_the_role(world: World, tmp_path: Path) -> None:
    from moto.sts.models import sts_backends

    credentials = tmp_path / "credentials"
    credentials.write_text(f"[team]\naws_access_key_id = {_KEY_ID}\naws_secret_access_key = {_SECRET}\n")
    stack = _stack(world, tmp_path)
    stack.set_config("aws:profile", "team")
    stack.set_config("aws:sharedCredentialsFiles", json.dumps([str(credentials)]))
    role = world.seeded.role_arn
    stack.set_config("aws:assumeRoles", json.dumps([{"roleArn": role, "sessionName": "team-deploy"}]))
    world.reset_calls()
    stack.up()

    signers = set(world.emulator.callers()["CreateForecastExportJob"])
    assert _KEY_ID not in signers and len(signers) == 1, signers
    assumed = {r.access_key_id: r for r in sts_backends[world.seeded.account_id]["global"].assumed_roles}
    session = assumed[signers.pop()]  # the Create was signed with the assumed role's credentials
    assert (session.role_arn, session.session_name) == (role, "team-deploy")
    destroy_and_check(world, stack)


def test_secret_keys_stay_out_of_the_state_and_allowed_accounts_refuse_at_preview(
    world: World, tmp_path: Path
) -> None:
    stack = _stack(world, tmp_path)
    stack.set_config("aws:accessKey", _KEY_ID, secret=True)
    stack.set_config("aws:secretKey", _SECRET, secret=True)
    stack.up()
    assert _SECRET not in stack.cli("stack", "export")
    assert _SECRET not in (stack.project_dir / "Pulumi.test.yaml").read_text()  # encrypted there
    # Decrypted, the values show only where the engine keeps the stack's configuration for the
    # dynamic provider, as secrets: never in a job's properties or anywhere in plain text.
    shown = json.loads(stack.cli("stack", "export", "--show-secrets"))
    places = list(_places(shown["deployment"], (_SECRET, _KEY_ID)))
    assert places, "the engine no longer records the configuration: tighten this test"
    for resource_type, secret in places:
        assert resource_type.startswith("pulumi:providers:") and secret, places

    # An allowed list without the parent's account: the preview fails, naming it, and calls nothing.
    account = world.seeded.account_id
    other = "111122223333" if account != "111122223333" else "444455556666"
    stack.set_config("aws:allowedAccountIds", json.dumps([other]))
    world.reset_calls()
    with pytest.raises(Exception) as failed:
        stack.preview()
    message = str(failed.value)
    assert "property forecast_arn value" in message, message
    assert f"AWS account {account} (the account of forecast_arn" in message
    assert f'is not in aws:allowedAccountIds ["{other}"]' in message
    assert not any((world.calls() or {}).values()), world.calls()

    stack.set_config("aws:allowedAccountIds", json.dumps([account]))
    destroy_and_check(world, stack)


GET_PROGRAM = """
import pulumi
from pulumi_aws_forecast import ForecastExportJob

job = ForecastExportJob.get("existing", pulumi.Config().require("arn"))
for output in ("arn", "name", "status", "forecast_arn", "tags"):
    pulumi.export(output, getattr(job, output))
"""


def test_get_reads_an_existing_job_without_managing_it(world: World, tmp_path: Path) -> None:
    owner = world.stack(tags={"team": "demand"})
    owner.up()
    made = owner.outputs()
    reader = world.make_stack(GET_PROGRAM, stack="reader", env=world.env, config={"arn": made["arn"]})
    reader.up()
    read = reader.outputs()
    assert (read["arn"], read["name"], read["status"]) == (made["arn"], made["name"], "ACTIVE")
    assert read["forecast_arn"] == world.parent("ForecastExportJob") and read["tags"] == {"team": "demand"}
    reader.destroy()  # forgets the reference; the job stays
    assert world.describe("ForecastExportJob", made["arn"])["Status"] == "ACTIVE"
    destroy_and_check(world, owner)
