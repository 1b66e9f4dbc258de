"""examples/gitops/workflow.yml: previews with a diff on pull requests, deploys on merge, never both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "gitops" / "workflow.yml"


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
