"""check() and diff(): what a preview shows, without AWS."""

from __future__ import annotations

import base64
import json
import pickle
import re
from typing import Any

import dill
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from pulumi_aws_forecast._provider import (
    OWNER_TAG,
    JobProvider,
    Timeouts,
    _read_returns_inputs,
    parse_duration,
)

ACCOUNT = "123456789012"
FORECAST = f"arn:aws:forecast:us-east-1:{ACCOUNT}:forecast/demand"
PREDICTOR = f"arn:aws:forecast:us-east-1:{ACCOUNT}:predictor/demand"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/forecast"


def provider(kind: str = "ForecastExportJob", owner: str = "proj/dev/daily") -> JobProvider:
    return JobProvider(kind, owner)


def news(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "forecast_arn": FORECAST,
        "destination": {"s3_config": {"path": "s3://bucket/out/", "role_arn": ROLE, "kms_key_arn": None}},
        "format": None,
        "name": None,
        "tags": None,
        "adopt": None,
        "adopt_from": None,
    }
    props.update(overrides)
    return props


def failures(props: dict[str, Any], kind: str = "ForecastExportJob") -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in provider(kind).check({}, props).failures]


def test_check_normalises_defaults() -> None:
    result = provider().check({}, news(format="parquet", tags={"team": "demand"}))
    assert result.failures == []
    assert result.inputs["format"] == "PARQUET"
    assert result.inputs["destination"] == {"s3_config": {"path": "s3://bucket/out/", "role_arn": ROLE}}
    assert provider().check({}, news()).inputs["format"] == "CSV"
    assert provider().check({}, news()).inputs["tags"] == {}


def test_check_reports_every_failure_naming_the_property() -> None:
    bad = news(
        forecast_arn=PREDICTOR,
        name="1-bad",
        format="json",
        destination={"s3_config": {"path": "s3://Bucket", "role_arn": "arn:aws:iam::999999999999:role/r"}},
        tags={"aws:team": "x", "ok": "fine!"},
    )
    found = dict(failures(bad))
    assert set(found) == {
        "name",
        "forecast_arn",
        "format",
        "destination.s3_config.path",
        "destination.s3_config.role_arn",
        'tags["aws:team"]',
        'tags["ok"]',
    }
    assert found["name"] == 'must satisfy regular expression pattern: ^[a-zA-Z][a-zA-Z0-9_]*$ (got "1-bad")'
    assert found["format"] == 'must satisfy enum value set: [CSV, PARQUET] (got "json")'
    assert found["forecast_arn"].startswith("must be the ARN of a forecast")
    assert found['tags["aws:team"]'] == "must not begin with 'aws:' (reserved for AWS) (got \"aws:team\")"
    assert "cross-account" in found["destination.s3_config.role_arn"]


def test_check_requires_the_parent_and_destination() -> None:
    assert failures(news(forecast_arn=None, destination=None)) == [
        ("forecast_arn", "is required"),
        ("destination", "is required"),
    ]
    assert failures(news(destination={"s3_config": {"path": "s3://bucket/x"}})) == [
        ("destination.s3_config.role_arn", "is required")
    ]


def test_predictor_backtest_jobs_take_a_predictor() -> None:
    props = news()
    props["predictor_arn"] = props.pop("forecast_arn")
    assert failures(props, "PredictorBacktestExportJob") == [
        ("predictor_arn", failures(props, "PredictorBacktestExportJob")[0][1])
    ]
    props["predictor_arn"] = PREDICTOR
    assert failures(props, "PredictorBacktestExportJob") == []


def test_tag_count_includes_the_tags_the_provider_adds() -> None:
    tags = {f"k{i}": "v" for i in range(49)}
    assert failures(news(tags=tags)) == []  # 49 + the owner tag = 50
    [(prop, reason)] = failures(news(tags={**tags, "one_more": "v"}))
    assert prop == "tags"
    assert "at most 50 tags per resource" in reason and OWNER_TAG in reason and "got 51" in reason


def test_unknown_values_are_checked_once_known() -> None:
    unknown = Unknown()  # type: ignore[no-untyped-call]
    result = provider().check({}, news(forecast_arn=unknown, destination=unknown, tags=unknown))
    assert result.failures == []
    assert isinstance(result.inputs["name"], Unknown)  # the autoname needs the settings


NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{0,62}$")


@pytest.mark.parametrize(
    ("logical", "prefix"),
    [
        ("daily", "daily_"),
        ("daily-export.v2", "daily_export_v2_"),
        ("1st", "job_1st_"),
        ("x" * 100, "x" * 54 + "_"),
    ],
)
def test_autonames_are_valid_job_names(logical: str, prefix: str) -> None:
    name = provider(owner=f"proj/dev/{logical}").check({}, news()).inputs["name"]
    assert NAME.fullmatch(name), name
    assert name.startswith(prefix)
    assert len(name) == len(prefix) + 8


def test_autoname_is_stable_and_fresh_on_replacement() -> None:
    p = provider()
    first = p.check({}, news()).inputs
    assert first["__autonamed"] is True
    assert p.check({}, news()).inputs["name"] == first["name"]  # deterministic: preview == up
    # An update keeps the old name even when the settings it hashes change...
    assert p.check(first, news(format="PARQUET")).inputs["name"] == first["name"]
    # ... and the engine's re-check for the replacement (no olds) gets a fresh one.
    assert p.check({}, news(format="PARQUET")).inputs["name"] != first["name"]
    # Another stack or resource gets another name.
    assert provider(owner="proj/prod/daily").check({}, news()).inputs["name"] != first["name"]


def test_explicit_names_are_kept() -> None:
    inputs = provider().check({}, news(name="my_job")).inputs
    assert inputs["name"] == "my_job"
    assert "__autonamed" not in inputs


def outputs(props: dict[str, Any], p: JobProvider | None = None) -> dict[str, Any]:
    """What create() would have stored: the checked inputs echoed, plus output-only fields."""
    p = p or provider()
    inputs = p.check({}, props).inputs
    return {
        **inputs,
        "__provider": "old-provider",
        "arn": "arn:aws:forecast:us-east-1:123456789012:forecast-export-job/demand/x",
        "status": "ACTIVE",
        "message": None,
        "creation_time": "2026-11-22T10:00:00+00:00",
        "last_modification_time": "2026-11-22T10:05:00+00:00",
        "tags_all": p.tags_all(inputs["tags"]),
    }


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[bool | None, list[str], bool | None]:
    p = provider()
    checked = p.check(old, new).inputs
    checked["__provider"] = "new-provider"
    result = p.diff("id", old, checked)
    return result.changes, list(result.replaces or []), result.delete_before_replace


def test_no_changes() -> None:
    old = outputs(news(tags={"a": "1"}))
    assert diff(old, news(tags={"a": "1"})) == (False, [], False)
    assert diff(old, news(tags={"a": "1"}, format="csv")) == (False, [], False)  # omitted format == CSV


#: What diff() says of a change the engine can see between old and new inputs: "unknown", so that
#: the engine computes the detailed diff itself (SDKs whose refresh records inputs); else "changes".
CHANGED = None if _read_returns_inputs() else True


def test_tag_changes_update_in_place() -> None:
    old = outputs(news(tags={"a": "1"}))
    assert diff(old, news(tags={"a": "2"})) == (CHANGED, [], False)
    assert diff(old, news(tags={})) == (CHANGED, [], False)


def test_tags_all_is_an_input_so_previews_show_it() -> None:
    p = provider()
    assert p.check({}, news(tags={"a": "1"})).inputs["tags_all"] == {"a": "1", OWNER_TAG: "proj/dev/daily"}
    unknown = Unknown()  # type: ignore[no-untyped-call]
    assert isinstance(p.check({}, news(tags=unknown)).inputs["tags_all"], Unknown)


@pytest.mark.parametrize(
    ("change", "prop"),
    [
        ({"format": "PARQUET"}, "format"),
        ({"forecast_arn": FORECAST + "2"}, "forecast_arn"),
        ({"destination": {"s3_config": {"path": "s3://bucket/other/", "role_arn": ROLE}}}, "destination"),
        ({"name": "explicit_name"}, "name"),
    ],
)
def test_other_changes_replace(change: dict[str, Any], prop: str) -> None:
    changes, replaces, delete_first = diff(outputs(news()), news(**change))
    assert changes is CHANGED
    assert replaces == [prop]
    # The replacement has another name (a fresh autoname, or the new explicit one): create it first.
    assert delete_first is False


def test_named_jobs_are_deleted_before_replacement() -> None:
    old = outputs(news(name="fixed"))
    assert diff(old, news(name="fixed", format="PARQUET")) == (CHANGED, ["format"], True)


def test_a_failed_job_found_by_refresh_is_replaced_delete_first() -> None:
    # Same settings, so the same autoname: the failed job must be deleted to free it.
    old = {**outputs(news()), "status": "CREATE_FAILED"}
    assert diff(old, news()) == (True, ["status"], True)


def test_a_job_recreated_behind_our_back_with_other_settings_is_replaced_delete_first() -> None:
    declared = outputs(news())
    refreshed = {**declared, "format": "PARQUET"}  # what read() reports after someone recreated it
    assert diff(refreshed, news()) == (CHANGED, ["format"], True)


def test_default_tags_are_merged_under_the_resources_own() -> None:
    p = provider()
    p.configure(
        ConfigureRequest(
            Config({"aws:defaultTags": json.dumps({"tags": {"env": "dev", "team": "x"}})}, "proj")
        )
    )
    assert p.tags_all({"team": "demand"}) == {"env": "dev", "team": "demand", OWNER_TAG: "proj/dev/daily"}


def test_the_pickled_provider_is_a_small_reference() -> None:
    p = JobProvider("ForecastExportJob", "proj/dev/daily", Timeouts(create=60))
    p.configure(ConfigureRequest(Config({"aws:defaultTags": '{"tags": {"a": "b"}}'}, "proj")))
    serialized = serialize_provider(p)
    raw = base64.b64decode(serialized)
    assert len(raw) < 600
    assert b"pulumi_aws_forecast._provider" in raw and b"JobProvider" in raw  # by reference
    assert b"boto" not in raw and b"_default_tags" not in raw
    restored = dill.loads(raw)
    assert (restored.kind_key, restored.owner, restored.timeouts.create) == ("ForecastExportJob", p.owner, 60)
    assert pickle.loads(raw).owner == p.owner  # plain pickle can load it too: nothing dill-specific


@pytest.mark.parametrize(("text", "seconds"), [("2h", 7200), ("30m", 1800), ("1h30m", 5400), ("45s", 45)])
def test_custom_timeouts(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_bad_custom_timeouts_say_why() -> None:
    with pytest.raises(ValueError, match="invalid duration '2 hours'"):
        parse_duration("2 hours")


def test_the_resources_refuse_unknown_or_missing_keywords() -> None:
    from pulumi_aws_forecast import ForecastExportJob, PredictorBacktestExportJob

    with pytest.raises(
        TypeError, match="ForecastExportJob\\(\\) got an unexpected keyword argument 'fromat'"
    ):
        ForecastExportJob("x", forecast_arn=FORECAST, destination={}, fromat="CSV")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="missing required keyword argument: 'destination'"):
        PredictorBacktestExportJob("x", predictor_arn=PREDICTOR)  # type: ignore[call-overload]


def test_a_tag_without_a_value_is_an_error_not_dropped() -> None:
    assert failures(news(tags={"team": None})) == [('tags["team"]', "must be a string")]


def configured(config: dict[str, str]) -> JobProvider:
    p = provider()
    p.configure(ConfigureRequest(Config(config, "proj")))
    return p


def test_allowed_and_forbidden_accounts_refuse_the_parents_account_at_check() -> None:
    allowed = configured({"aws:allowedAccountIds": '["111122223333"]'}).check({}, news())
    assert [(f.property, f.reason) for f in allowed.failures] == [
        (
            "forecast_arn",
            f"AWS account {ACCOUNT} (the account of forecast_arn {FORECAST}) is not in "
            'aws:allowedAccountIds ["111122223333"]: nothing was done in it',
        )
    ]
    forbidden = configured({"aws:forbiddenAccountIds": f'["{ACCOUNT}"]'}).check({}, news())
    assert [f.property for f in forbidden.failures] == ["forecast_arn"]
    assert "is in aws:forbiddenAccountIds" in forbidden.failures[0].reason
    assert configured({"aws:allowedAccountIds": f'["{ACCOUNT}"]'}).check({}, news()).failures == []


def test_ignored_tags_are_neither_drift_nor_in_tags_all() -> None:
    p = configured({"aws:ignoreTags": '{"keys": ["cost-center"], "keyPrefixes": ["policy:"]}'})
    old = outputs(news(tags={"a": "1"}), p)
    # What refresh records after a tag policy tagged the job: the ignored tags are not there.
    record = {"Status": "ACTIVE", "ForecastExportJobArn": old["arn"]}
    live = {**old["tags_all"], "cost-center": "42", "policy:owner": "finance"}
    found = p.plan.refreshed(old, record, live)
    assert found[0]["tags_all"] == old["tags_all"] and found[1]["tags"] == {"a": "1"}
    checked = p.check(old, news(tags={"a": "1"})).inputs
    assert p.diff("id", {**old, "tags_all": live}, checked).changes is False
    assert p.plan.shown(live) == old["tags_all"]


def test_the_configured_secrets_stay_out_of_the_pickled_provider() -> None:
    p = configured({"aws:accessKey": "AKIAPICKLEEXAMPLE001", "aws:secretKey": "pickle-secret-example"})
    raw = base64.b64decode(serialize_provider(p))
    assert b"pickle-secret-example" not in raw and b"AKIAPICKLE" not in raw and b"AwsConfig" not in raw


def test_no_credentials_is_the_configurations_message_without_the_sdks_traceback(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pulumi_aws_forecast import _aws, _aws_config, _aws_session

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    empty = tmp_path / "credentials"
    empty.write_text("[other]\n")
    config = _aws_config.AwsConfig.from_mapping(
        {"aws:profile": "team", "aws:sharedCredentialsFiles": json.dumps([str(empty)])}
    )
    with pytest.raises(_aws_config.CredentialsNotFound) as expected:
        _aws_session.session(config)
    with pytest.raises(_aws.ForecastError) as raised:
        _aws.client("us-east-1", config)
    assert str(raised.value) == str(expected.value)
    assert "aws:profile" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
