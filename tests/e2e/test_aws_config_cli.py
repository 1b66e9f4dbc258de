"""The `aws:` configuration as the real CLI hands it to a dynamic provider's configure().

`pulumi config set --path`, a JSON string, `--secret` and hand-written YAML, read by
`AwsConfig.from_mapping(req.config)` inside the provider process, at preview (no AWS call)."""

from __future__ import annotations

import json
from pathlib import Path

from pulumi import automation as auto

from tests.conftest import StackFactory

PROBE = """\
import json
import os

from pulumi.dynamic import CheckResult, ConfigureRequest, CreateResult, Resource, ResourceProvider


class Probe(ResourceProvider):
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        from pulumi_aws_forecast._aws_config import AwsConfig, AwsConfigError

        try:
            c = AwsConfig.from_mapping(req.config)
            seen = {
                "region": c.region,
                "profile": c.profile,
                "shared_credentials_files": list(c.shared_credentials_files),
                "secret_key_set": c.secret_key is not None,
                "assume_roles": [
                    [r.role_arn, r.duration_seconds, r.external_id is not None, dict(r.tags)]
                    for r in c.assume_roles
                ],
                "allowed_account_ids": list(c.allowed_account_ids),
                "endpoints": dict(c.endpoints),
                "skip_credentials_validation": c.skip_credentials_validation,
                "max_retries": c.max_retries,
                "default_tags": dict(c.default_tags),
                "ignore_tag_keys": list(c.ignore_tag_keys),
                "ignore_tag_key_prefixes": list(c.ignore_tag_key_prefixes),
                "repr": repr(c),
            }
        except AwsConfigError as error:
            seen = {"error": str(error)}
        with open(os.environ["PROBE_OUT"], "w") as out:
            json.dump(seen, out)

    def check(self, olds, news):
        return CheckResult(news, [])

    def create(self, props):
        return CreateResult("probe", {})


class ProbeResource(Resource):
    pass


ProbeResource(Probe(), "probe", {})
"""

ROLE = "arn:aws:iam::123456789012:role/deploy"


def test_config_set_path_json_secret_and_yaml_forms(pulumi_stack: StackFactory, tmp_path: Path) -> None:
    out = tmp_path / "seen.json"
    stack = pulumi_stack(PROBE, env={"PROBE_OUT": str(out)})

    def set_path(key: str, value: str, secret: bool = False) -> None:
        stack.stack.set_config(key, auto.ConfigValue(value=value, secret=secret), path=True)

    set_path("aws:assumeRoles[0].roleArn", ROLE)
    set_path("aws:assumeRoles[0].duration", "1h")
    set_path("aws:assumeRoles[0].externalId", "external-id-secret", secret=True)
    set_path("aws:assumeRoles[0].tags.team", "data")
    set_path("aws:allowedAccountIds[0]", "123456789012")  # stored as a YAML number
    set_path("aws:allowedAccountIds[1]", "012345678901")  # kept a string (leading zero)
    set_path("aws:ignoreTags.keys[0]", "owner")
    set_path("aws:ignoreTags.keyPrefixes[0]", "ops:")
    set_path("aws:defaultTags.tags.critical", "true")  # stored as a YAML boolean
    set_path("aws:skipCredentialsValidation", "true")
    stack.set_config("aws:maxRetries", "5")
    stack.set_config("aws:region", "eu-west-1")
    stack.set_config("aws:accessKey", "AKIDPROBEACCESSKEY", secret=True)
    stack.set_config("aws:secretKey", "secret-key-never-shown", secret=True)
    stack_file = stack.project_dir / "Pulumi.test.yaml"
    stack_file.write_text(
        stack_file.read_text()
        + "  aws:endpoints:\n"
        + "    - forecast: http://127.0.0.1:4566\n"
        + "      sts: http://127.0.0.1:4567\n"
        + "  aws:sharedCredentialsFiles:\n"
        + "    - /srv/aws/credentials\n"
    )

    result = stack.preview()

    seen = json.loads(out.read_text())
    assert seen == {
        "region": "eu-west-1",
        "profile": None,
        "shared_credentials_files": ["/srv/aws/credentials"],
        "secret_key_set": True,
        "assume_roles": [[ROLE, 3600, True, {"team": "data"}]],
        "allowed_account_ids": ["123456789012", "012345678901"],
        "endpoints": {"forecast": "http://127.0.0.1:4566", "sts": "http://127.0.0.1:4567"},
        "skip_credentials_validation": True,
        "max_retries": 5,
        "default_tags": {"critical": "true"},
        "ignore_tag_keys": ["owner"],
        "ignore_tag_key_prefixes": ["ops:"],
        "repr": seen["repr"],
    }
    for secret in ("AKIDPROBEACCESSKEY", "secret-key-never-shown", "external-id-secret"):
        assert secret not in seen["repr"]
        assert secret not in result.output


def test_a_bad_value_set_with_the_cli_is_named(pulumi_stack: StackFactory, tmp_path: Path) -> None:
    out = tmp_path / "seen.json"
    stack = pulumi_stack(PROBE, env={"PROBE_OUT": str(out)})
    stack.set_config("aws:allowedAccountIds", "123456789012")  # not a list
    stack.preview()
    assert json.loads(out.read_text()) == {
        "error": 'aws:allowedAccountIds must be a list (JSON text such as ["123456789012"]); '
        'got a plain string "123456789012"'
    }
