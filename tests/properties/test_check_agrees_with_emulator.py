"""One source of truth: check() and the emulator accept and reject exactly the same inputs.

Thousands of generated inputs (names, ARNs, S3 paths, KMS ARNs, formats, tags with Unicode,
lengths at and around every limit) go through the provider's check(); whatever it accepts
must pass the emulator's validation, and whatever it rejects must be refused with
ValidationException (the service model's rules) or InvalidInputException (the service's own).
check() itself must never raise.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from forecast_emulator import Emulator, Seeded
from pulumi_aws_forecast._provider import JobProvider, _request

ACCOUNT = "123456789012"
OTHER = "999999999999"


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Emulator, Seeded, Any]]:
    # Jobs never finish and the quota never binds: only validation is under test.
    with Emulator(job_seconds=3600, upstream_seconds=0.05, export_quota=10**9) as emu:
        seeded = emu.seed(bucket="property-tests", prefix="prop")
        forecast = emu.client(
            "forecast", config=Config(parameter_validation=False, retries={"max_attempts": 1})
        )
        yield emu, seeded, forecast


def around(n: int) -> st.SearchStrategy[int]:
    return st.sampled_from([0, 1, max(n - 1, 0), n, n + 1]) | st.integers(0, n + 2)


LETTERS = string.ascii_letters + string.digits + "_"
ODD = "-. !#/:=+@é日ٍ\t"


def names() -> st.SearchStrategy[str | None]:
    valid = st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(string.ascii_letters),
        st.text(LETTERS, max_size=64),
    )
    return st.none() | st.just("") | valid | st.text(LETTERS + ODD, max_size=66)


def arns(seeded: Seeded) -> st.SearchStrategy[str | None]:
    region = seeded.region
    return st.one_of(
        st.just(seeded.forecast_arn),
        st.just(seeded.predictor_arn),
        st.builds(
            lambda n: f"arn:aws:forecast:{region}:{ACCOUNT}:forecast/{n}",
            st.text(LETTERS, min_size=1, max_size=230),
        ),
        st.just(f"arn:aws:forecast:{region}:{OTHER}:forecast/elsewhere"),
        st.text(LETTERS + ":/-", max_size=40),
        st.none(),
    )


def paths(seeded: Seeded) -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.builds(lambda p: f"s3://{seeded.bucket}/{p}", st.text(LETTERS + "/-.", max_size=20)),
        st.builds(lambda n: "s3://b/" + "x" * n, around(4089)),
        st.builds(lambda n: "s3://" + "b" * n, around(2)),
        st.sampled_from(["s3://Bucket/x", "s3://-b/x", "https://b/x", "s3:/b/x", ""]),
        st.none(),
    )


def roles() -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.builds(
            lambda n: f"arn:aws:iam::{ACCOUNT}:role/{n}", st.text(LETTERS + "/", min_size=1, max_size=30)
        ),
        st.just(f"arn:aws:iam::{OTHER}:role/r"),
        st.just(f"arn:aws:iam::{ACCOUNT}:user/u"),
        st.builds(lambda n: f"arn:aws:iam::{ACCOUNT}:role/" + "r" * n, around(236)),
        st.none(),
    )


def kms_keys() -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.none(),
        st.just(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        st.builds(lambda n: f"arn:aws:kms:us-east-1:{ACCOUNT}:key/" + "k" * n, around(213)),
        st.sampled_from([f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/a", "key/x", ""]),
    )


TAG_TEXT = st.text(
    st.characters(categories=["L", "N", "Zs", "P", "S"]) | st.sampled_from("_.:/=+-@ "), max_size=8
)


VALID_TAG_TEXT = st.text(st.characters(categories=["L", "N", "Zs"]) | st.sampled_from("_.:/=+-@"), max_size=8)


def tag_keys() -> st.SearchStrategy[str]:
    return st.one_of(
        TAG_TEXT,
        st.builds(lambda p, k: p + k, st.sampled_from(["aws:", "AWS:", "Aws:", "aws", "x:aws:"]), TAG_TEXT),
        st.builds(lambda n: "k" * n, around(128)),
        st.builds(lambda n: "ключ" * n, st.integers(0, 33)),
    )


def tag_values() -> st.SearchStrategy[str]:
    return st.one_of(TAG_TEXT, st.builds(lambda n: "v" * n, around(256)), st.just("aws:reserved-is-fine"))


def tag_maps() -> st.SearchStrategy[dict[str, str] | None]:
    many = st.builds(lambda n: {f"k{i}": "v" for i in range(n)}, around(49))
    return st.none() | st.dictionaries(tag_keys(), tag_values(), max_size=6) | many


FIELDS = ["forecast_arn", "path", "role_arn", "kms_key_arn", "format", "name", "tags"]
FORMATS = st.none() | st.sampled_from(["CSV", "csv", "PARQUET", "Parquet", "JSON", "", "CSVX", " CSV"])
VALID_TAGS = st.dictionaries(
    VALID_TAG_TEXT.filter(lambda k: bool(k) and not k.lower().startswith("aws:")), VALID_TAG_TEXT, max_size=3
)


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_check_and_the_emulator_agree(world: tuple[Emulator, Seeded, Any], data: st.DataObject) -> None:
    _, seeded, forecast = world
    provider = JobProvider("ForecastExportJob", "props/test/job")
    # Which fields to draw from anywhere; the others get valid values, so accepted inputs are common.
    broken = data.draw(st.sets(st.sampled_from(FIELDS), max_size=3), "broken")

    def draw(field: str, valid: st.SearchStrategy[Any], anything: st.SearchStrategy[Any]) -> Any:
        return data.draw(anything if field in broken else valid, field)

    news = {
        "forecast_arn": draw("forecast_arn", st.just(seeded.forecast_arn), arns(seeded)),
        "destination": {
            "s3_config": {
                "path": draw("path", st.just(f"s3://{seeded.bucket}/out/"), paths(seeded)),
                "role_arn": draw("role_arn", st.just(seeded.role_arn), roles()),
                "kms_key_arn": draw("kms_key_arn", st.none(), kms_keys()),
            }
        },
        "format": draw("format", st.sampled_from([None, "CSV", "csv", "PARQUET", "Parquet", ""]), FORMATS),
        "name": draw("name", st.none(), names()),
        "tags": draw("tags", VALID_TAGS, tag_maps()),
    }

    result = provider.check({}, news)  # must not raise, whatever the input
    request = _request(provider.kind, result.inputs, provider.tags_all(result.inputs["tags"]))
    try:
        forecast.create_forecast_export_job(**request)
        refused = None
    except ClientError as error:
        refused = error.response["Error"]["Code"]

    failures = [(f.property, f.reason) for f in result.failures]
    event(f"check {'rejects' if failures else 'accepts'}; the emulator answers {refused or 'OK'}")
    if failures:
        assert refused in ("ValidationException", "InvalidInputException"), (failures, request)
    else:
        # Not refused for its content; a clash or an unknown parent is the emulator's state speaking.
        assert refused in (None, "ResourceAlreadyExistsException", "ResourceNotFoundException"), request
