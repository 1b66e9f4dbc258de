"""examples/gitops/workflow.yml: previews with a diff on pull requests, deploys on merge, never both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from examples.gitops import deploy
from pulumi_aws_forecast._aws_config import AwsConfig, account_of_arn

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "gitops" / "workflow.yml"
ENVIRONMENTS = WORKFLOW.parent / "environments.json"


def load() -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as True.
    document["on"] = document.pop(True, document.get("on"))
    return document


def pulumi_steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = document["jobs"]["pulumi"]["steps"]
    return [s for s in steps if str(s.get("uses", "")).startswith("pulumi/actions@")]


def test_triggers() -> None:
    document = load()
    assert document["on"] == {"pull_request": {"branches": ["main"]}, "push": {"branches": ["main"]}}


def test_pull_requests_preview_with_a_diff_and_a_comment_and_merges_deploy() -> None:
    document = load()
    install, up = pulumi_steps(document)
    assert "with" not in install and "if" not in install  # the CLI, for the preview step
    [preview] = [s for s in document["jobs"]["pulumi"]["steps"] if s.get("name") == "Preview (pull request)"]
    assert preview["if"] == "github.event_name == 'pull_request'"
    script = preview["run"]
    assert 'pulumi preview --stack "$STACK" --diff' in script
    assert 'pulumi preview --stack "$STACK" --json > preview.json' in script
    assert "python .github/pr_comment.py preview.json" in script and "gh pr comment" in script
    assert up["if"] == "github.event_name == 'push'"
    assert up["with"]["command"] == "up"


def test_environments_deploy_one_at_a_time_and_never_cancel_an_up() -> None:
    document = load()
    strategy = document["jobs"]["pulumi"]["strategy"]
    assert strategy["max-parallel"] == 1 and strategy["matrix"]["stack"] == ["dev", "staging", "prod"]
    assert document["concurrency"]["cancel-in-progress"] is False
    assert document["permissions"]["id-token"] == "write"  # OIDC to AWS, no long-lived keys


def test_ci_signs_in_with_oidc_and_leaves_the_account_to_the_stacks_configuration() -> None:
    document = load()
    steps = document["jobs"]["pulumi"]["steps"]
    [sign_in] = [
        s for s in steps if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")
    ]
    assert set(sign_in["with"]) == {"role-to-assume", "aws-region"}  # OIDC: no keys
    everywhere = json.dumps(document)
    for variable in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert variable not in everywhere


def test_each_environment_assumes_a_role_in_the_account_of_its_jobs_and_allows_only_it() -> None:
    environments = json.loads(ENVIRONMENTS.read_text())
    assert environments
    for env, settings in environments.items():
        config = AwsConfig.from_mapping(
            {
                k: v if isinstance(v, str) else json.dumps(v)
                for k, v in settings.items()
                if k.startswith("aws:")
            }
        )
        [role] = config.assume_roles
        account = account_of_arn(settings["forecastArn"])
        assert account_of_arn(role.role_arn) == account, env
        assert config.allowed_account_ids == (account,), env
        assert "aws:profile" not in settings, env  # CI has no shared files


def test_the_script_sets_structured_values_as_config_set_path_does() -> None:
    paths = deploy.config_paths(
        {
            "aws:region": "us-east-1",
            "aws:assumeRoles": [{"roleArn": "arn:aws:iam::111111111111:role/D", "sessionName": "s"}],
            "aws:allowedAccountIds": ["111111111111"],
            "aws:skipCredentialsValidation": True,
        }
    )
    assert paths == {
        "aws:region": "us-east-1",
        "aws:assumeRoles[0].roleArn": "arn:aws:iam::111111111111:role/D",
        "aws:assumeRoles[0].sessionName": "s",
        "aws:allowedAccountIds[0]": "111111111111",
        "aws:skipCredentialsValidation": "true",
    }
