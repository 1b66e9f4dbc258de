"""The `aws:` configuration: parsing every key in the forms the CLI hands over, the guards, and the
boto3 session it makes (credential precedence with temporary shared files, the assume-role chain
against the emulator's STS). No real AWS: every test runs with an empty, private environment."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config as BotocoreConfig
from pulumi.dynamic import Config as DynamicConfig

from forecast_emulator import Emulator
from pulumi_aws_forecast import _aws_config, _aws_session
from pulumi_aws_forecast._aws_config import (
    AccountNotAllowed,
    AssumeRole,
    AwsConfig,
    AwsConfigError,
    CredentialsNotFound,
    account_of_arn,
    check_account,
    ignored,
    without_ignored,
)
from pulumi_aws_forecast._aws_session import client, endpoint_url, session, verify_caller

ACCESS_KEY = "AKIAEXAMPLESECRETKEY1"
SECRET_KEY = "wJalrXUtnFEMI-secret-value-never-shown"
TOKEN = "FwoGZXIvYXdzE-session-token-never-shown"
SECRETS = (ACCESS_KEY, SECRET_KEY, TOKEN)
ROLE = "arn:aws:iam::123456789012:role/deploy"
ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def private_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No AWS_* variable from the machine, a home of our own, no instance metadata lookups."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return home


def parse(**values: Any) -> AwsConfig:
    """The config as a dynamic provider's configure() receives it: `aws:`-prefixed keys."""
    return AwsConfig.from_mapping({f"aws:{k}": v for k, v in values.items()})


def error_of(**values: Any) -> str:
    with pytest.raises(AwsConfigError) as caught:
        parse(**values)
    return str(caught.value)


# --- Parsing: the forms a dynamic provider receives ----------------------------------------------


def test_every_key_as_the_strings_a_dynamic_provider_receives() -> None:
    # What configure() gets: every value a string; lists and objects as JSON text.
    config = parse(
        region="eu-west-1",
        stsRegion="eu-central-1",
        profile="prod",
        sharedCredentialsFiles='["/etc/aws/credentials", "/srv/credentials"]',
        sharedConfigFiles='["/etc/aws/config"]',
        accessKey=ACCESS_KEY,
        secretKey=SECRET_KEY,
        token=TOKEN,
        assumeRoles=json.dumps(
            [
                {
                    "roleArn": ROLE,
                    "sessionName": "ci",
                    "externalId": "ext-1",
                    "duration": "1h30m",
                    "policy": '{"Version": "2012-10-17"}',
                    "policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    "sourceIdentity": "alice",
                    "tags": {"team": "data"},
                    "transitiveTagKeys": ["team"],
                },
                {"roleArn": "arn:aws:iam::210987654321:role/second"},
            ]
        ),
        allowedAccountIds='["123456789012", "210987654321"]',
        endpoints='[{"forecast": "http://127.0.0.1:4566"}, {"sts": "http://127.0.0.1:4567"}]',
        skipCredentialsValidation="true",
        maxRetries="7",
        retryMode="adaptive",
        defaultTags='{"tags": {"env": "prod", "team": "data"}}',
        ignoreTags='{"keys": ["owner"], "keyPrefixes": ["ops:", "aws:"]}',
    )
    assert config.region == "eu-west-1"
    assert config.sts_region == "eu-central-1"
    assert config.profile == "prod"
    assert config.shared_credentials_files == ("/etc/aws/credentials", "/srv/credentials")
    assert config.shared_config_files == ("/etc/aws/config",)
    assert (config.access_key, config.secret_key, config.token) == SECRETS
    first, second = config.assume_roles
    assert first == AssumeRole(
        role_arn=ROLE,
        session_name="ci",
        external_id="ext-1",
        duration_seconds=5400,
        policy='{"Version": "2012-10-17"}',
        policy_arns=("arn:aws:iam::aws:policy/ReadOnlyAccess",),
        source_identity="alice",
        tags={"team": "data"},
        transitive_tag_keys=("team",),
    )
    assert first.key == "aws:assumeRoles[0]"
    assert second.role_arn == "arn:aws:iam::210987654321:role/second"
    assert second.duration_seconds is None
    assert config.allowed_account_ids == ("123456789012", "210987654321")
    assert dict(config.endpoints) == {"forecast": "http://127.0.0.1:4566", "sts": "http://127.0.0.1:4567"}
    assert config.skip_credentials_validation is True
    assert config.max_retries == 7
    assert config.retry_mode == "adaptive"
    assert dict(config.default_tags) == {"env": "prod", "team": "data"}
    assert config.ignore_tag_keys == ("owner",)
    assert config.ignore_tag_key_prefixes == ("ops:", "aws:")


def test_nothing_set_is_the_defaults() -> None:
    config = parse()
    assert config == AwsConfig()
    assert (config.region, config.profile, config.access_key, config.max_retries) == (None, None, None, None)
    assert config.assume_roles == () and dict(config.endpoints) == {} and dict(config.default_tags) == {}
    assert config.skip_credentials_validation is False


def test_empty_strings_are_unset() -> None:
    assert parse(region="", profile="", assumeRoles="", maxRetries="", endpoints="") == AwsConfig()


def test_keys_of_other_namespaces_and_unknown_aws_keys_are_ignored() -> None:
    config = AwsConfig.from_mapping(
        {"aws:region": "us-east-2", "aws:skipMetadataApiCheck": "false", "proj:region": "x", "region": "y"}
    )
    assert config == AwsConfig(region="us-east-2")


def test_the_dynamic_providers_config_object_is_read_directly() -> None:
    # configure(req) gets req.config, a pulumi.dynamic.Config over the whole stack config.
    raw = {"aws:region": "us-west-2", "aws:allowedAccountIds": '["123456789012"]', "proj:x": "1"}
    config = AwsConfig.from_mapping(DynamicConfig(raw, "proj"))
    assert config == AwsConfig(region="us-west-2", allowed_account_ids=(ACCOUNT,))


def test_already_parsed_values_without_a_prefix() -> None:
    # The provider-plugin issue passes its own provider inputs: plain values, no `aws:`.
    config = AwsConfig.from_mapping(
        {
            "profile": "x",
            "sharedCredentialsFiles": ["/tmp/creds"],
            "assumeRoles": [{"roleArn": ROLE, "duration": "15m"}],
            "allowedAccountIds": [ACCOUNT],
            "endpoints": [{"forecast": "http://localhost:4566"}],
            "skipCredentialsValidation": True,
            "maxRetries": 3,
            "defaultTags": {"tags": {"a": "b"}},
            "ignoreTags": {"keys": ["k"], "keyPrefixes": ["p"]},
        },
        prefix="",
    )
    assert config.profile == "x"
    assert config.shared_credentials_files == ("/tmp/creds",)
    assert config.assume_roles == (AssumeRole(role_arn=ROLE, duration_seconds=900),)
    assert config.allowed_account_ids == (ACCOUNT,)
    assert dict(config.endpoints) == {"forecast": "http://localhost:4566"}
    assert config.skip_credentials_validation is True
    assert config.max_retries == 3
    assert dict(config.default_tags) == {"a": "b"}
    assert (config.ignore_tag_keys, config.ignore_tag_key_prefixes) == (("k",), ("p",))
    # Messages then name the keys as the caller knows them.
    with pytest.raises(AwsConfigError, match=r"^maxRetries must be a whole number; got \"many\"$"):
        AwsConfig.from_mapping({"maxRetries": "many"}, prefix="")


#: What a dynamic provider's configure() received (pulumi 3.259.0, the CLI built here) after:
#:   pulumi config set --path 'aws:assumeRoles[0].roleArn' arn:aws:iam::123456789012:role/deploy
#:   pulumi config set --path 'aws:assumeRoles[0].duration' 1h
#:   pulumi config set --secret --path 'aws:assumeRoles[0].externalId' ext-secret
#:   pulumi config set --path 'aws:allowedAccountIds[0]' 123456789012   (a YAML number)
#:   pulumi config set --path 'aws:allowedAccountIds[1]' 012345678901   (kept a string: leading 0)
#:   pulumi config set aws:forbiddenAccountIds '["1"]'                  (a string holding JSON)
#:   pulumi config set --path 'aws:ignoreTags.keyPrefixes[0]' 'ops:'
#:   pulumi config set --path 'aws:defaultTags.tags.critical' true      (a YAML boolean)
#:   pulumi config set --path aws:skipCredentialsValidation true        (top level: the string "true")
#:   pulumi config set aws:maxRetries 5
#:   pulumi config set --secret aws:secretKey super-secret-value
#: and, written by hand in Pulumi.<stack>.yaml, aws:endpoints (a list of maps),
#: aws:sharedCredentialsFiles (a list) and aws:assumeRole (a map with a number).
#: Every value is a string; objects are compact JSON with sorted keys; secrets arrive decrypted.
RECEIVED = {
    "aws:allowedAccountIds": '[123456789012,"012345678901"]',
    "aws:assumeRole": '{"durationSeconds":900,"roleArn":"arn:aws:iam::123456789012:role/old"}',
    "aws:assumeRoles": (
        '[{"duration":"1h","externalId":"ext-secret","roleArn":"arn:aws:iam::123456789012:role/deploy"}]'
    ),
    "aws:defaultTags": '{"tags":{"critical":true}}',
    "aws:endpoints": '[{"forecast":"http://127.0.0.1:4566","sts":"http://127.0.0.1:4566"}]',
    "aws:forbiddenAccountIds": '["1"]',
    "aws:ignoreTags": '{"keyPrefixes":["ops:"]}',
    "aws:maxRetries": "5",
    "aws:region": "us-east-1",
    "aws:secretKey": "super-secret-value",
    "aws:sharedCredentialsFiles": '["/tmp/creds"]',
    "aws:skipCredentialsValidation": "true",
}


def received(*left_out: str, **changed: str) -> DynamicConfig:
    values = {k: v for k, v in RECEIVED.items() if k not in left_out}
    values.update({f"aws:{k}": v for k, v in changed.items()})
    return DynamicConfig(values, "probe")


def test_the_forms_the_cli_hands_a_dynamic_provider() -> None:
    # (aws:secretKey needs aws:accessKey beside it; the older aws:assumeRole and the
    # forbidden list, which conflict with the others, are read in the next test.)
    config = AwsConfig.from_mapping(
        received("aws:assumeRole", "aws:forbiddenAccountIds", accessKey="AKIDPROBE")
    )
    assert config.assume_roles == (
        AssumeRole(role_arn=ROLE, external_id="ext-secret", duration_seconds=3600),
    )
    assert config.allowed_account_ids == (ACCOUNT, "012345678901")
    assert dict(config.default_tags) == {"critical": "true"}
    assert dict(config.endpoints) == {"forecast": "http://127.0.0.1:4566", "sts": "http://127.0.0.1:4566"}
    assert config.ignore_tag_key_prefixes == ("ops:",)
    assert config.max_retries == 5
    assert config.region == "us-east-1"
    assert config.secret_key == "super-secret-value"
    assert config.shared_credentials_files == ("/tmp/creds",)
    assert config.skip_credentials_validation is True
    assert "super-secret-value" not in repr(config) and "ext-secret" not in repr(config)


def test_the_cli_forms_that_break_a_rule() -> None:
    # `pulumi config set aws:forbiddenAccountIds '["1"]'` with an ID that is not one.
    with pytest.raises(
        AwsConfigError, match=r'^aws:forbiddenAccountIds\[0\] must be a 12-digit AWS account ID; got "1"$'
    ):
        AwsConfig.from_mapping(received("aws:allowedAccountIds", "aws:assumeRole", accessKey="AKIDPROBE"))
    # The older aws:assumeRole beside aws:assumeRoles.
    with pytest.raises(AwsConfigError, match=r"^aws:assumeRole and aws:assumeRoles are both set"):
        AwsConfig.from_mapping(received("aws:forbiddenAccountIds", accessKey="AKIDPROBE"))
    # The hand-written aws:assumeRole alone is read.
    (old,) = AwsConfig.from_mapping(
        received("aws:forbiddenAccountIds", "aws:assumeRoles", accessKey="AKIDPROBE")
    ).assume_roles
    assert old == AssumeRole(role_arn="arn:aws:iam::123456789012:role/old", duration_seconds=900)


def test_yaml_numbers_in_lists_and_maps() -> None:
    # Unquoted numbers in a hand-written YAML list or map arrive as JSON numbers.
    config = parse(
        allowedAccountIds="[123456789012, 12345678901]",
        defaultTags='{"tags":{"cost-center":1234,"ratio":0.5,"critical":false}}',
    )
    # An account ID written as a number loses its leading zero: IDs are 12 digits, so it comes back.
    assert config.allowed_account_ids == (ACCOUNT, "012345678901")
    assert dict(config.default_tags) == {"cost-center": "1234", "ratio": "0.5", "critical": "false"}


def test_the_older_single_assume_role() -> None:
    config = parse(assumeRole=json.dumps({"roleArn": ROLE, "durationSeconds": 900, "sessionName": "ci"}))
    assert config.assume_roles == (AssumeRole(role_arn=ROLE, session_name="ci", duration_seconds=900),)
    assert config.assume_roles[0].key == "aws:assumeRole"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("false", False),
        ("True", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        (True, True),
    ],
)
def test_booleans(value: Any, expected: bool) -> None:
    assert parse(skipCredentialsValidation=value).skip_credentials_validation is expected


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("25", 25), (25, 25), (25.0, 25), (" 3 ", 3)])
def test_whole_numbers(value: Any, expected: int) -> None:
    assert parse(maxRetries=value).max_retries == expected


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [("15m", 900), ("1h", 3600), ("1h30m", 5400), ("3600s", 3600), ("12h", 43200), ("0.5h", 1800)],
)
def test_role_durations_in_gos_notation(duration: str, seconds: int) -> None:
    config = parse(assumeRoles=json.dumps([{"roleArn": ROLE, "duration": duration}]))
    assert config.assume_roles[0].duration_seconds == seconds


def test_the_assume_role_request() -> None:
    (role,) = parse(
        assumeRoles=json.dumps(
            [
                {
                    "roleArn": ROLE,
                    "sessionName": "ci",
                    "externalId": "ext",
                    "duration": "1h",
                    "policy": {"Version": "2012-10-17", "Statement": []},  # an object in YAML
                    "policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    "sourceIdentity": "alice",
                    "tags": {"team": "data"},
                    "transitiveTagKeys": ["team"],
                }
            ]
        )
    ).assume_roles
    assert role.request() == {
        "RoleSessionName": "ci",
        "ExternalId": "ext",
        "DurationSeconds": 3600,
        "Policy": '{"Version": "2012-10-17", "Statement": []}',
        "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
        "SourceIdentity": "alice",
        "Tags": [{"Key": "team", "Value": "data"}],
        "TransitiveTagKeys": ["team"],
    }
    # Without a session name, one is made up (STS requires it).
    (plain,) = parse(assumeRoles=json.dumps([{"roleArn": ROLE}])).assume_roles
    assert plain.request()["RoleSessionName"].startswith("pulumi-aws-forecast-")
    assert set(plain.request()) == {"RoleSessionName"}


def test_home_in_shared_file_paths_is_expanded(private_environment: Path) -> None:
    config = parse(sharedCredentialsFiles='["~/creds"]', sharedConfigFiles='["~/conf"]')
    assert config.shared_credentials_files == (str(private_environment / "creds"),)
    assert config.shared_config_files == (str(private_environment / "conf"),)


def test_endpoints_of_services_we_do_not_call_are_left_to_pulumi_aws() -> None:
    config = parse(endpoints='[{"s3": "localhost:4566", "dynamodb": 5, "sts": "http://127.0.0.1:1"}]')
    assert dict(config.endpoints) == {"s3": "localhost:4566", "sts": "http://127.0.0.1:1"}
    assert error_of(endpoints='[{"sts": 5}]') == (
        'aws:endpoints[0].sts must be a URL such as http://localhost:4566; got "5"'
    )


def test_one_endpoints_object_and_the_forecast_alias() -> None:
    assert dict(parse(endpoints='{"sts": "http://localhost:1"}').endpoints) == {"sts": "http://localhost:1"}
    config = parse(endpoints='[{"forecastservice": "http://alias:1"}]')
    assert endpoint_url(config, "forecast") == "http://alias:1"
    config = parse(endpoints='[{"forecastservice": "http://alias:1", "forecast": "http://main:1"}]')
    assert endpoint_url(config, "forecast") == "http://main:1"
    assert endpoint_url(config, "sts") is None


# --- Parsing: bad values name the key and the rule -----------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"allowedAccountIds": "123456789012"},
            'aws:allowedAccountIds must be a list (JSON text such as ["123456789012"]); '
            'got a plain string "123456789012"',
        ),
        (
            {"allowedAccountIds": '["1234"]'},
            'aws:allowedAccountIds[0] must be a 12-digit AWS account ID; got "1234"',
        ),
        (
            {"forbiddenAccountIds": '{"a": 1}'},
            'aws:forbiddenAccountIds must be a list such as ["123456789012"]; got {"a": 1}',
        ),
        (
            {"allowedAccountIds": '["123456789012"]', "forbiddenAccountIds": '["210987654321"]'},
            "aws:allowedAccountIds and aws:forbiddenAccountIds conflict: set one of them",
        ),
        ({"maxRetries": "3.5"}, 'aws:maxRetries must be a whole number; got "3.5"'),
        ({"maxRetries": "-1"}, "aws:maxRetries must be at least 0; got -1"),
        ({"maxRetries": "true"}, 'aws:maxRetries must be a whole number; got "true"'),
        (
            {"skipCredentialsValidation": "yes"},
            'aws:skipCredentialsValidation must be true or false; got "yes"',
        ),
        ({"retryMode": "legacy"}, 'aws:retryMode must be standard or adaptive; got "legacy"'),
        ({"profile": ["a"]}, 'aws:profile must be a string; got ["a"]'),
        (
            {"assumeRoles": json.dumps([{"sessionName": "x"}])},
            "aws:assumeRoles[0].roleArn is required: the ARN of the IAM role to assume",
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": ROLE, "sessionName": "bad name"}])},
            "aws:assumeRoles[0].sessionName must be 2 to 64 letters, digits or +=,.@_- (STS's rule); "
            'got "bad name"',
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": "deploy"}])},
            "aws:assumeRoles[0].roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); "
            'got "deploy"',
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": ROLE, "rolearn": ROLE}])},
            'aws:assumeRoles[0] has no field "rolearn"; its fields are roleArn, sessionName, externalId, '
            "duration, durationSeconds, policy, policyArns, sourceIdentity, tags, transitiveTagKeys",
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": ROLE}, {"roleArn": ROLE, "duration": "10m"}])},
            "aws:assumeRoles[1].duration must be between 15 minutes and 12 hours; got 600 seconds",
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": ROLE, "duration": "1 hour"}])},
            'aws:assumeRoles[0].duration must be a duration such as "1h" or "15m" '
            '(units ns, us, ms, s, m, h); got "1 hour"',
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": ROLE, "durationSeconds": 50000}])},
            "aws:assumeRoles[0].durationSeconds must be between 15 minutes and 12 hours; got 50000 seconds",
        ),
        (
            {"assumeRoles": json.dumps({"roleArn": ROLE})},
            'aws:assumeRoles must be a list such as [{"roleArn": "arn:..."}]; '
            'got {"roleArn": "arn:aws:iam::123456789012:role/deploy"}',
        ),
        (
            {"assumeRoles": json.dumps([{"roleArn": ROLE}]), "assumeRole": json.dumps({"roleArn": ROLE})},
            "aws:assumeRole and aws:assumeRoles are both set: use aws:assumeRoles "
            "(a list; the older single assumeRole is its one-entry form)",
        ),
        (
            {"endpoints": '[{"forecast": "localhost:4566"}]'},
            'aws:endpoints[0].forecast must be a URL such as http://localhost:4566; got "localhost:4566"',
        ),
        (
            {"endpoints": '["http://x"]'},
            'aws:endpoints[0] must be an object such as {"forecast": "http://..."}',
        ),
        (
            {"defaultTags": '{"env": "prod"}'},
            'aws:defaultTags has no field "env"; its fields are tags',
        ),
        (
            {"defaultTags": '{"tags": {"env": null}}'},
            'aws:defaultTags.tags["env"] must be a string; got null',
        ),
        (
            {"ignoreTags": '{"keys": "owner"}'},
            'aws:ignoreTags.keys must be a list (JSON text such as ["owner"]); got a plain string "owner"',
        ),
        (
            {"ignoreTags": '{"key_prefixes": ["x"]}'},
            'aws:ignoreTags has no field "key_prefixes"; its fields are keys, keyPrefixes',
        ),
        (
            {"ignoreTags": "[1"},
            "aws:ignoreTags must be an object "
            '(JSON text such as {"keys": ["owner"], "keyPrefixes": ["aws:"]}); got a plain string "[1"',
        ),
    ],
)
def test_bad_values_name_the_key_and_the_rule(values: dict[str, Any], message: str) -> None:
    assert error_of(**values) == message


def test_a_scalar_that_looks_like_json_stays_a_string() -> None:
    assert parse(region='["us-east-1"]').region == '["us-east-1"]'


@pytest.mark.parametrize("key", _aws_config.KEYS)
def test_every_key_read_is_checked_and_named(key: str) -> None:
    # KEYS lists what this module reads: a wrong value under each is refused, naming it.
    assert error_of(**{key: [["x"]]}).startswith(f"aws:{key}")


def test_config_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        parse(maxRetries="x")


# --- Secrets never shown -------------------------------------------------------------------------


def test_the_repr_and_str_never_show_secrets() -> None:
    config = parse(
        accessKey=ACCESS_KEY,
        secretKey=SECRET_KEY,
        token=TOKEN,
        assumeRoles=json.dumps([{"roleArn": ROLE, "externalId": "external-id-secret"}]),
    )
    for text in (repr(config), str(config), f"{config}", repr(config.assume_roles)):
        for secret in (*SECRETS, "external-id-secret"):
            assert secret not in text
    assert "access_key=<secret>" in repr(config)
    assert "token=None" in repr(parse(accessKey=ACCESS_KEY, secretKey=SECRET_KEY))


@pytest.mark.parametrize(
    "values",
    [
        {"accessKey": ACCESS_KEY},
        {"secretKey": SECRET_KEY},
        {"token": TOKEN},
        {"accessKey": [ACCESS_KEY], "secretKey": SECRET_KEY},
        {"accessKey": ACCESS_KEY, "secretKey": {"value": SECRET_KEY}},
        {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY, "token": [TOKEN]},
        {"assumeRoles": json.dumps([{"roleArn": ROLE, "externalId": [SECRET_KEY]}])},
    ],
)
def test_errors_never_show_secrets(values: dict[str, Any]) -> None:
    text = error_of(**values)
    for secret in SECRETS:
        assert secret not in text


def test_the_messages_about_half_set_keys() -> None:
    assert error_of(accessKey=ACCESS_KEY) == (
        "aws:accessKey is set but aws:secretKey is not: static credentials need both "
        "(pulumi config set --secret aws:secretKey ...)"
    )
    assert error_of(token=TOKEN) == (
        "aws:token is set without aws:accessKey and aws:secretKey: "
        "a session token goes with the keys it was issued with"
    )
    assert error_of(accessKey=ACCESS_KEY, secretKey=7) == "aws:secretKey must be a string; got a int"


def test_equal_configurations_are_one_cache_key() -> None:
    one = parse(
        region="us-east-1", endpoints='[{"forecast": "http://x:1"}]', defaultTags='{"tags": {"a": "b"}}'
    )
    two = parse(
        region="us-east-1", endpoints='[{"forecast": "http://x:1"}]', defaultTags='{"tags": {"a": "b"}}'
    )
    assert one == two and hash(one) == hash(two)
    assert len({one: 1, two: 2}) == 1
    assert one != parse(region="us-east-1")


def test_parsing_does_not_import_botocore() -> None:
    # A preview parses the configuration and checks accounts: botocore's session stays unimported.
    import subprocess
    import sys

    code = (
        "import sys; from pulumi_aws_forecast import _aws_config as a;"
        "c = a.AwsConfig.from_mapping({'aws:allowedAccountIds': '[\"123456789012\"]'});"
        "a.check_account(c, '123456789012', 'x'); a.ignored(c, 'k');"
        "print('botocore' in sys.modules, 'boto3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- Guards --------------------------------------------------------------------------------------


def test_ignore_tags_keys_exact_and_prefixes() -> None:
    config = parse(ignoreTags='{"keys": ["owner"], "keyPrefixes": ["ops:", "aws:"]}')
    assert ignored(config, "owner")
    assert not ignored(config, "owner2") and not ignored(config, "Owner") and not ignored(config, "own")
    assert ignored(config, "ops:policy") and ignored(config, "ops:") and ignored(config, "aws:cloudformation")
    assert not ignored(config, "opsx") and not ignored(config, "team")
    tags = {"owner": "x", "ops:a": "1", "team": "data", "aws:x": "2"}
    assert without_ignored(config, tags) == {"team": "data"}
    assert without_ignored(parse(), tags) == tags
    assert not ignored(parse(), "owner")


def test_account_of_arn() -> None:
    assert account_of_arn("arn:aws:forecast:us-east-1:123456789012:forecast/f") == ACCOUNT
    assert account_of_arn("arn:aws-cn:forecast:cn-north-1:210987654321:forecast/f") == "210987654321"
    assert account_of_arn("arn:aws:s3:::bucket") is None
    assert account_of_arn("not-an-arn") is None


def test_allowed_accounts() -> None:
    config = parse(allowedAccountIds='["210987654321", "111111111111"]')
    check_account(config, "210987654321", "the forecast's ARN")
    with pytest.raises(AccountNotAllowed) as caught:
        check_account(
            config, ACCOUNT, "the forecast's ARN arn:aws:forecast:us-east-1:123456789012:forecast/f"
        )
    assert str(caught.value) == (
        "AWS account 123456789012 (the forecast's ARN arn:aws:forecast:us-east-1:123456789012:forecast/f) "
        'is not in aws:allowedAccountIds ["210987654321", "111111111111"]: nothing was done in it'
    )


def test_forbidden_accounts() -> None:
    config = parse(forbiddenAccountIds='["123456789012"]')
    check_account(config, "210987654321", "x")
    with pytest.raises(AccountNotAllowed) as caught:
        check_account(config, ACCOUNT, "the caller")
    assert str(caught.value) == (
        'AWS account 123456789012 (the caller) is in aws:forbiddenAccountIds ["123456789012"]: '
        "nothing was done in it"
    )


def test_no_account_lists_allow_every_account() -> None:
    check_account(parse(), ACCOUNT, "x")


# --- Clients: endpoints and retries --------------------------------------------------------------


def static(**values: Any) -> AwsConfig:
    return parse(accessKey=ACCESS_KEY, secretKey=SECRET_KEY, region="us-east-1", **values)


def test_the_forecast_endpoint_and_retries() -> None:
    config = static(endpoints='[{"forecast": "http://127.0.0.1:9"}]', maxRetries="4")
    forecast = client(config, "forecast")
    assert forecast.meta.endpoint_url == "http://127.0.0.1:9"
    assert forecast.meta.region_name == "us-east-1"
    # botocore counts the first attempt too: 4 retries are 5 attempts.
    assert forecast.meta.config.retries == {"total_max_attempts": 5, "mode": "standard"}


def test_aws_endpoint_url_applies_when_no_endpoint_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8")
    assert client(static(), "forecast").meta.endpoint_url == "http://127.0.0.1:8"
    monkeypatch.setenv("AWS_ENDPOINT_URL_FORECAST", "http://127.0.0.1:7")
    assert client(static(), "forecast").meta.endpoint_url == "http://127.0.0.1:7"
    # A configured endpoint wins over the environment, as in pulumi-aws.
    configured = static(endpoints='[{"forecast": "http://127.0.0.1:6"}]')
    assert client(configured, "forecast").meta.endpoint_url == "http://127.0.0.1:6"


def test_without_configuration_aws_endpoints_are_used() -> None:
    assert client(static(), "forecast", region_name="eu-west-1").meta.endpoint_url == (
        "https://forecast.eu-west-1.amazonaws.com"
    )


def test_no_region_anywhere() -> None:
    config = parse(accessKey=ACCESS_KEY, secretKey=SECRET_KEY)
    with pytest.raises(AwsConfigError) as caught:
        client(config, "forecast")
    assert str(caught.value) == (
        "No AWS region for forecast: set aws:region (pulumi config set aws:region us-east-1), "
        "AWS_REGION, or the profile's region"
    )
    assert client(config, "forecast", region_name="eu-west-1").meta.region_name == "eu-west-1"


def test_client_config_merges_the_callers() -> None:
    base = BotocoreConfig(
        user_agent_extra="pulumi-aws-forecast", retries={"mode": "standard", "max_attempts": 12}
    )
    merged = client(
        static(maxRetries="2", retryMode="adaptive"), "forecast", botocore_config=base
    ).meta.config
    assert merged.user_agent_extra == "pulumi-aws-forecast"
    assert merged.retries == {"total_max_attempts": 3, "mode": "adaptive"}
    # Without aws:maxRetries / aws:retryMode the caller's retries stay.
    kept = client(static(), "forecast", botocore_config=base).meta.config
    assert kept.retries == {"mode": "standard", "total_max_attempts": 13}


# --- Credentials: pulumi-aws's precedence with temporary shared files ----------------------------


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "credentials": write(
            tmp_path / "credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n"
            "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prod-secret\n",
        ),
        "config": write(
            tmp_path / "config",
            "[default]\nregion = ap-south-1\n\n"
            "[profile prod]\nregion = eu-north-1\n\n"
            "[profile fromconfig]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n"
            "region = sa-east-1\n",
        ),
    }


def access_key(config: AwsConfig) -> str:
    credentials = session(config).get_credentials()
    assert credentials is not None
    return str(credentials.get_frozen_credentials().access_key)


def files_config(files: dict[str, str], **values: Any) -> AwsConfig:
    return parse(
        sharedCredentialsFiles=json.dumps([files["credentials"]]),
        sharedConfigFiles=json.dumps([files["config"]]),
        **values,
    )


def test_static_keys_come_first(files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    config = files_config(files, profile="prod", accessKey=ACCESS_KEY, secretKey=SECRET_KEY, token=TOKEN)
    frozen = session(config).get_credentials().get_frozen_credentials()  # type: ignore[union-attr]
    assert (frozen.access_key, frozen.secret_key, frozen.token) == SECRETS


def test_the_configured_profile_beats_the_environment(
    files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_PROFILE", "default")
    config = files_config(files, profile="prod")
    assert access_key(config) == "AKIDPROD"
    assert session(config).region_name == "eu-north-1"  # the profile's region


def test_without_a_profile_the_environment_comes_before_the_files(
    files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    assert access_key(files_config(files)) == "AKIDENV"


def test_without_a_profile_the_default_profile_of_the_configured_files(files: dict[str, str]) -> None:
    config = files_config(files)
    assert access_key(config) == "AKIDDEFAULT"
    assert session(config).region_name == "ap-south-1"
    assert session(files_config(files, region="us-west-2")).region_name == "us-west-2"


def test_aws_profile_from_the_environment(files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "prod")
    assert access_key(files_config(files)) == "AKIDPROD"


def test_a_profile_in_the_shared_config_file(files: dict[str, str]) -> None:
    config = files_config(files, profile="fromconfig")
    assert access_key(config) == "AKIDCONFIG"
    assert session(config).region_name == "sa-east-1"


def test_aws_region_from_the_environment(files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "ca-central-1")
    assert session(files_config(files, profile="prod")).region_name == "ca-central-1"


def test_the_home_directorys_files_by_default(private_environment: Path) -> None:
    aws = private_environment / ".aws"
    aws.mkdir()
    write(aws / "credentials", "[team]\naws_access_key_id = AKIDHOME\naws_secret_access_key = home-secret\n")
    assert access_key(parse(profile="team")) == "AKIDHOME"


def test_several_shared_files_are_read_as_one(tmp_path: Path) -> None:
    first = write(
        tmp_path / "first",
        "[default]\naws_access_key_id = AKIDFIRST\naws_secret_access_key = s1\n\n"
        "[shared]\naws_access_key_id = AKIDOLD\naws_secret_access_key = s2\n",
    )
    second = write(
        tmp_path / "second",
        "[shared]\naws_access_key_id = AKIDNEW\naws_secret_access_key = s3\n\n"
        "[only-second]\naws_access_key_id = AKIDSECOND\naws_secret_access_key = s4\n",
    )
    conf_one = write(tmp_path / "conf-one", "[profile only-second]\nregion = eu-west-3\n")
    conf_two = write(
        tmp_path / "conf-two",
        "[profile viaconfig]\naws_access_key_id = AKIDCONF2\naws_secret_access_key = s5\n",
    )
    files = {
        "sharedCredentialsFiles": json.dumps([first, second]),
        "sharedConfigFiles": json.dumps([conf_one, conf_two]),
    }
    assert access_key(parse(profile="only-second", **files)) == "AKIDSECOND"
    assert session(parse(profile="only-second", **files)).region_name == "eu-west-3"
    assert access_key(parse(profile="shared", **files)) == "AKIDNEW"  # later files win
    assert access_key(parse(**files)) == "AKIDFIRST"
    assert access_key(parse(profile="viaconfig", **files)) == "AKIDCONF2"


def test_a_botocore_session_of_the_callers_is_used() -> None:
    import botocore.session

    core = botocore.session.Session()
    aws = session(static(), botocore_session=core)
    assert aws._session is core


# --- No credentials: where we looked and what to set ---------------------------------------------


def test_no_credentials_anywhere(private_environment: Path) -> None:
    with pytest.raises(CredentialsNotFound) as caught:
        session(parse(region="us-east-1"))
    message = str(caught.value)
    home = private_environment / ".aws"
    assert message == (
        "No AWS credentials found. Looked in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
        "AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_*), the default profile in the shared "
        f"credentials files [{home / 'credentials'}] and the shared config files [{home / 'config'}], and "
        "the container and EC2 instance metadata endpoints. Set aws:profile to a profile with credentials "
        "(and aws:sharedCredentialsFiles / aws:sharedConfigFiles if its files are elsewhere), or "
        "aws:accessKey and aws:secretKey (pulumi config set --secret), or the environment variables "
        "AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `aws configure` or `aws sso login` "
        "write the shared files."
    )
    assert "Unable to locate credentials" not in message


def test_a_configured_profile_that_is_not_in_the_files(files: dict[str, str]) -> None:
    with pytest.raises(CredentialsNotFound) as caught:
        session(files_config(files, profile="missing"))
    message = str(caught.value)
    assert message.startswith(
        'No AWS credentials found. Looked in the profile "missing" set by aws:profile, in the shared '
        f"credentials files [{files['credentials']}] and the shared config files [{files['config']}] "
        "(The config profile (missing) could not be found). Set aws:profile to a profile with credentials"
    )


def test_a_profile_without_credentials(tmp_path: Path) -> None:
    creds = write(tmp_path / "credentials", "[empty]\nregion = us-east-1\n")
    with pytest.raises(
        CredentialsNotFound, match=r'^No AWS credentials found\. Looked in the profile "empty"'
    ):
        session(parse(profile="empty", sharedCredentialsFiles=json.dumps([creds])))


def test_aws_profile_from_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "ghost")
    with pytest.raises(CredentialsNotFound) as caught:
        session(parse())
    assert 'the profile "ghost" from AWS_PROFILE' in str(caught.value)


# --- The assume-role chain against the emulator's STS --------------------------------------------


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.reset()
        yield emulator


def roles(emu: Emulator, *names: str) -> list[str]:
    iam = emu.client("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    return [iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"] for name in names]


def emulated(emu: Emulator, **values: Any) -> AwsConfig:
    endpoints = json.dumps([{"sts": emu.endpoint_url, "forecast": emu.endpoint_url}])
    return static(endpoints=endpoints, **values)


def test_the_caller_is_the_assumed_role(emu: Emulator) -> None:
    (deploy,) = roles(emu, "deploy")
    config = emulated(emu, assumeRoles=json.dumps([{"roleArn": deploy, "sessionName": "ci-run"}]))
    aws = session(config)
    identity = _aws_session.caller_identity(config, aws)
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/ci-run"
    assert identity["Account"] == ACCOUNT
    # Without roles, the caller is the static keys' user.
    plain = emulated(emu)
    assert "assumed-role" not in _aws_session.caller_identity(plain, session(plain))["Arn"]


def test_a_chain_of_roles_is_assumed_in_order(emu: Emulator) -> None:
    first, second = roles(emu, "first", "second")
    config = emulated(
        emu,
        assumeRoles=json.dumps(
            [{"roleArn": first, "sessionName": "one"}, {"roleArn": second, "duration": "1h"}]
        ),
    )
    emu.reset_counters()
    aws = session(config)
    assert emu.counters().get("sts", 0) == 0  # roles are assumed on first use
    identity = _aws_session.caller_identity(config, aws)
    assert identity["Arn"].startswith(f"arn:aws:sts::{ACCOUNT}:assumed-role/second/pulumi-aws-forecast-")
    assert emu.counters()["sts"] == 3  # AssumeRole, AssumeRole, GetCallerIdentity
    # The Forecast client signs with the last role's credentials, at the configured endpoint.
    forecast = client(config, "forecast", boto_session=aws)
    assert forecast.meta.endpoint_url == emu.endpoint_url
    forecast.list_forecast_export_jobs()
    frozen = aws.get_credentials().get_frozen_credentials()  # type: ignore[union-attr]
    assert frozen.access_key != ACCESS_KEY and frozen.token


def test_verify_caller_checks_the_account_once_per_process(emu: Emulator) -> None:
    (deploy,) = roles(emu, "checked")
    config = emulated(emu, assumeRoles=json.dumps([{"roleArn": deploy}]), allowedAccountIds=f'["{ACCOUNT}"]')
    aws = session(config)
    emu.reset_counters()
    assert verify_caller(config, aws) == ACCOUNT
    assert verify_caller(config, session(config)) == ACCOUNT
    assert emu.counters()["sts"] == 2  # one AssumeRole and one GetCallerIdentity, for both calls


def test_verify_caller_refuses_an_account_left_out(emu: Emulator) -> None:
    config = emulated(emu, allowedAccountIds='["210987654321"]')
    with pytest.raises(AccountNotAllowed) as caught:
        verify_caller(config, session(config))
    assert str(caught.value) == (
        "AWS account 123456789012 (the account of the credentials, from sts:GetCallerIdentity) is not in "
        'aws:allowedAccountIds ["210987654321"]: nothing was done in it'
    )


def test_skip_credentials_validation_makes_no_sts_call(emu: Emulator) -> None:
    config = emulated(emu, skipCredentialsValidation="true", allowedAccountIds='["210987654321"]')
    emu.reset_counters()
    assert verify_caller(config, session(config)) is None
    assert emu.counters().get("sts", 0) == 0


class _RefusingSts(http.server.BaseHTTPRequestHandler):
    """An STS endpoint that refuses every request as AWS does, with AccessDenied."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = (
            b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            b"<Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message>"
            b"</Error><RequestId>1</RequestId></ErrorResponse>"
        )
        self.send_response(403)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def refusing_sts() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RefusingSts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_refused_assume_role_names_the_entry_and_never_the_keys(refusing_sts: str) -> None:
    config = static(
        endpoints=json.dumps([{"sts": refusing_sts}]),
        maxRetries="0",
        assumeRoles=json.dumps([{"roleArn": ROLE}, {"roleArn": "arn:aws:iam::210987654321:role/second"}]),
    )
    aws = session(config)
    with pytest.raises(_aws_config.AssumeRoleFailed) as caught:
        _aws_session.caller_identity(config, aws)
    assert str(caught.value) == (
        f"aws:assumeRoles[0]: could not assume {ROLE}: AccessDenied: "
        "User is not authorized to perform: sts:AssumeRole"
    )
    for secret in SECRETS:
        assert secret not in str(caught.value)


def test_an_unreachable_sts_endpoint_names_the_entry() -> None:
    config = static(
        endpoints=json.dumps([{"sts": "http://127.0.0.1:9"}]),
        maxRetries="0",
        assumeRole=json.dumps({"roleArn": ROLE}),
    )
    with pytest.raises(_aws_config.AssumeRoleFailed) as caught:
        _aws_session.caller_identity(config, session(config))
    assert str(caught.value) == (
        f'aws:assumeRole: could not assume {ROLE}: Could not connect to the endpoint URL: "http://127.0.0.1:9/"'
    )


def test_credentials_aws_refuses_are_named_by_their_source(refusing_sts: str) -> None:
    config = static(endpoints=json.dumps([{"sts": refusing_sts}]), maxRetries="0")
    with pytest.raises(CredentialsNotFound) as caught:
        verify_caller(config, session(config))
    assert str(caught.value) == (
        "AWS refused the credentials found (aws:accessKey and aws:secretKey): AccessDenied: "
        "User is not authorized to perform: sts:AssumeRole"
    )
    for secret in SECRETS:
        assert secret not in str(caught.value)


def test_aws_endpoint_url_serves_sts_when_no_endpoint_is_configured(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    (deploy,) = roles(emu, "from-env")
    monkeypatch.setenv("AWS_ENDPOINT_URL", emu.endpoint_url)
    config = static(assumeRoles=json.dumps([{"roleArn": deploy, "sessionName": "env"}]))
    emu.reset_counters()
    identity = _aws_session.caller_identity(config, session(config))
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/from-env/env"
    assert emu.counters()["sts"] == 2
