"""What an export leaves in S3, and how a job fails when it cannot write there.

The layouts are AWS's as its recorded runs show them (emulator/README.md, "Export files"):
a header-only `_part0`, the series in further parts, `_SUCCESS` beside them.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pandas as pd
import pyarrow.parquet as pq
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from forecast_emulator.output import (
    ExportParent,
    ExportRequest,
    Writer,
    backtest_export,
    explainability_export,
    forecast_export,
    what_if_forecast_export,
)
from tests.emulator.support import (
    BACKTEST_EXPORT,
    FORECAST_EXPORT,
    JOB_SECONDS,
    create_export,
    create_job,
    destination,
    export_rows,
    file_stamp,
    object_keys,
    part_keys,
)


def _body(s3: S3Client, bucket: str, key: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def _layout(
    folder: str, name: str, stamp: str, parts: int, suffix: str = "csv", *, root: bool = True
) -> list[str]:
    """The keys of an export with `parts` parts (the header-only _part0 included), sorted: the parts,
    `_SUCCESS` beside them, and, when `folder` is the destination's root, the `_CHECK` the job left
    there when it started."""
    keys = [*(f"{folder}{name}_{stamp}_part{n}.{suffix}" for n in range(parts)), f"{folder}_SUCCESS"]
    return sorted([*keys, f"{folder}_CHECK"] if root else keys)


def test_files_appear_when_the_job_becomes_active(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = create_export(forecast, parents, "daily", path="exports/daily")
    assert object_keys(s3, parents.bucket, "exports/") == []  # CREATE_PENDING: nothing yet
    emu.advance_clock(JOB_SECONDS / 2)
    # CREATE_IN_PROGRESS: the job checked its location and left an empty _CHECK there.
    assert object_keys(s3, parents.bucket, "exports/") == ["exports/daily/_CHECK"]
    assert _body(s3, parents.bucket, "exports/daily/_CHECK") == b""
    emu.advance_clock(JOB_SECONDS / 2)
    # The S3 request itself moves the job on: the files are there as soon as the job is ACTIVE.
    # 5 series in 3 parts after the header-only part0, _SUCCESS, and the _CHECK left in place.
    keys = object_keys(s3, parents.bucket, "exports/")
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=arn)["Status"] == "ACTIVE"
    stamp = file_stamp(forecast, FORECAST_EXPORT, arn)
    assert keys == _layout("exports/daily/", "daily", stamp, 4)
    assert (
        _body(s3, parents.bucket, f"exports/daily/daily_{stamp}_part0.csv") == b"item_id,date,p10,p50,p90\n"
    )
    assert _body(s3, parents.bucket, "exports/daily/_SUCCESS") == b""

    rows = export_rows(s3, parents.bucket, "exports/daily/")
    assert list(rows[0]) == ["item_id", "date", "p10", "p50", "p90"]
    assert len(rows) == 5 * 14  # 5 items, the seeded predictor's horizon of 14 days
    assert [row["item_id"] for row in rows[::14]] == [
        f"item_00{i}" for i in range(1, 6)
    ]  # one series at a time
    assert [row["date"] for row in rows[:3]] == [
        "2024-01-01T00:00:00Z",
        "2024-01-02T00:00:00Z",
        "2024-01-03T00:00:00Z",
    ]
    assert all(0 < float(row["p10"]) < float(row["p50"]) < float(row["p90"]) for row in rows)
    # A series is never split between parts: 1, 2 and 2 series.
    parts = part_keys(s3, parents.bucket, "exports/daily/")[1:]
    per_part = [
        {r["item_id"] for r in csv.DictReader(io.StringIO(_body(s3, parents.bucket, k).decode()))}
        for k in parts
    ]
    assert per_part == [{"item_001"}, {"item_002", "item_003"}, {"item_004", "item_005"}]


def test_the_file_stamp_is_when_the_job_wrote_not_when_it_was_created(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = create_export(forecast, parents, "stamped")
    emu.advance_clock(JOB_SECONDS)
    job = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    written, created = (job[key].astimezone(UTC) for key in ("LastModificationTime", "CreationTime"))
    assert abs((written - created).total_seconds() - JOB_SECONDS) < 0.01
    stamp = written.strftime("%Y-%m-%dT%H-%M-%SZ")
    assert f"stamped/stamped_{stamp}_part0.csv" in object_keys(s3, parents.bucket, "stamped/")
    assert stamp != created.strftime("%Y-%m-%dT%H-%M-%SZ")


def test_content_is_deterministic(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    first = create_export(forecast, parents, "first")
    second = create_export(forecast, parents, "second")
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=second)["Status"] == "ACTIVE"
    bodies = [
        [_body(s3, parents.bucket, key) for key in object_keys(s3, parents.bucket, f"{name}/")]
        for name in ("first", "second")
    ]
    assert len(bodies[0]) == 6 and bodies[0] == bodies[1]
    assert first != second


def test_dimensions_forecast_types_and_parts(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    predictor = forecast.create_auto_predictor(
        PredictorName="by_store",
        ForecastHorizon=30,
        ForecastFrequency="W",
        ForecastDimensions=["store"],
        ForecastTypes=["0.1", "0.5", "mean"],
        DataConfig={"DatasetGroupArn": parents.dataset_group_arn},
    )["PredictorArn"]
    forecast_arn = forecast.create_forecast(ForecastName="by_store", PredictorArn=predictor)["ForecastArn"]
    assert forecast.describe_forecast(ForecastArn=forecast_arn)["ForecastTypes"] == ["0.1", "0.5", "mean"]
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="weekly", ForecastArn=forecast_arn, Destination=destination(parents, "weekly/")
    )["ForecastExportJobArn"]
    stamp = file_stamp(forecast, FORECAST_EXPORT, arn)
    assert object_keys(s3, parents.bucket, "weekly/") == _layout("weekly/", "weekly", stamp, 4)
    rows = export_rows(s3, parents.bucket, "weekly/")
    assert len(rows) == 5 * 30
    assert list(rows[0]) == ["item_id", "store", "date", "p10", "p50", "mean"]
    assert [row["date"] for row in rows[:2]] == ["2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z"]
    assert {row["store"] for row in rows} == {"store_1", "store_2"}


def test_a_backtest_export_writes_two_folders(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    arn = create_job(forecast, BACKTEST_EXPORT, parents, "backtest", path="bt")
    stamp = file_stamp(forecast, BACKTEST_EXPORT, arn)
    assert object_keys(s3, parents.bucket, "bt/") == [
        "bt/_CHECK",  # at the destination's root only
        *_layout("bt/accuracy-metrics-values/", "backtest", stamp, 4, root=False),
        *_layout("bt/forecasted-values/", "backtest", stamp, 4, root=False),
    ]
    values = export_rows(s3, parents.bucket, "bt/forecasted-values/")
    assert list(values[0]) == [
        "item_id",
        "timestamp",
        "target_value",
        "backtestwindow_start_time",
        "backtestwindow_end_time",
        "p10",
        "p50",
        "p90",
    ]
    assert len(values) == 5 * 14
    # One 14-day window before 2024-01-01: dates without a zone, the end time the window's last day.
    assert [values[0][c] for c in ("timestamp", "backtestwindow_start_time", "backtestwindow_end_time")] == [
        "2023-12-18T00:00:00",
        "2023-12-18T00:00:00",
        "2023-12-31T00:00:00",
    ]
    assert values[13]["timestamp"] == values[13]["backtestwindow_end_time"]
    metrics = export_rows(s3, parents.bucket, "bt/accuracy-metrics-values/")
    assert list(metrics[0]) == [
        "item_id",
        "backtest_window",
        "backtestwindow_start_time",
        "backtestwindow_end_time",
        "wQL[0.1]",
        "wQL[0.5]",
        "wQL[0.9]",
        "Average wQL",
        "RMSE",
        "WAPE",
        "MAPE",
        "MASE",
    ]
    # Per item a Computed row for the one window, then a Summary row across windows (the same numbers).
    assert [(row["item_id"], row["backtest_window"]) for row in metrics[:4]] == [
        ("item_001", "Computed"),
        ("item_001", "Summary"),
        ("item_002", "Computed"),
        ("item_002", "Summary"),
    ]
    assert len(metrics) == 5 * 2
    assert metrics[0] | {"backtest_window": "Summary"} == metrics[1]
    assert all(0 <= float(row["WAPE"]) < 1 for row in metrics)
    for row in metrics:
        wqls = [float(row[f"wQL[{q}]"]) for q in ("0.1", "0.5", "0.9")]
        assert abs(float(row["Average wQL"]) - sum(wqls) / 3) < 1e-4


def test_parquet_exports_are_real_parquet(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    create_export(forecast, parents, "as_csv")
    parquet_arn = create_export(forecast, parents, "as_parquet", Format="PARQUET")
    described = forecast.describe_forecast_export_job(ForecastExportJobArn=parquet_arn)
    assert (described["Status"], described["Format"]) == ("ACTIVE", "PARQUET")
    stamp = file_stamp(forecast, FORECAST_EXPORT, parquet_arn)
    assert object_keys(s3, parents.bucket, "as_parquet/") == _layout(
        "as_parquet/", "as_parquet", stamp, 4, "parquet"
    )
    parquet_keys = part_keys(s3, parents.bucket, "as_parquet/", ".parquet")
    tables = [pq.read_table(io.BytesIO(_body(s3, parents.bucket, key))) for key in parquet_keys]
    assert [table.num_rows for table in tables] == [0, 14, 28, 28]  # part0: the schema, no rows
    assert all(table.column_names == ["item_id", "date", "p10", "p50", "p90"] for table in tables)
    assert str(tables[0].schema.field("p50").type) == "double"

    from_parquet = pd.concat([table.to_pandas() for table in tables[1:]], ignore_index=True)
    from_csv = pd.DataFrame(export_rows(s3, parents.bucket, "as_csv/")).astype(
        {"p10": float, "p50": float, "p90": float}
    )
    pd.testing.assert_frame_equal(from_parquet, from_csv)


# --- The writers themselves: layouts no seeded resource produces ------------------------------------

_CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()


def _write(
    writer: Writer, doc: dict[str, object], *names: str, written: float | None = None
) -> dict[str, bytes]:
    """The files `writer` writes for a CSV export of the resources `names`, each with document `doc`."""
    parents = tuple(
        ExportParent(name, f"arn:aws:forecast:us-east-1:123456789012:x/{name}", doc) for name in names
    )
    job = ExportRequest("job", _CREATED, "CSV", parents, written=written)
    return {file.key: file.body for file in writer(job)}


def _table(files: dict[str, bytes]) -> list[list[str]]:
    """The header, then the rows of every part, in part order."""
    header: list[str] = []
    rows: list[list[str]] = []
    for key in sorted(k for k in files if k.endswith(".csv")):
        [header, *body] = list(csv.reader(io.StringIO(files[key].decode())))
        rows += body
    return [header, *rows]


def test_the_file_names_carry_the_write_time_when_the_caller_gives_it() -> None:
    doc: dict[str, object] = {"ForecastHorizon": 2}
    written = _CREATED + 173
    assert sorted(_write(forecast_export, doc, "f", written=written)) == _layout(
        "", "job", "2026-01-02T03-06-58Z", 4, root=False
    )
    assert sorted(_write(forecast_export, doc, "f")) == _layout(
        "", "job", "2026-01-02T03-04-05Z", 4, root=False
    )


def test_an_hourly_backtest_window_ends_at_its_last_hour_and_windows_are_summarised() -> None:
    doc: dict[str, object] = {
        "ForecastHorizon": 24,
        "ForecastFrequency": "H",
        "ForecastTypes": ["0.65", "0.9", "mean"],
        "EvaluationParameters": {"NumberOfBacktestWindows": 2},
    }
    files = _write(backtest_export, doc, "bike")
    [header, *values] = _table({k: v for k, v in files.items() if k.startswith("forecasted-values/")})
    assert header[-3:] == ["mean", "p65", "p90"]  # mean first, as AWS's recorded export
    windows = sorted({(row[3], row[4]) for row in values})
    assert windows == [
        ("2023-12-30T00:00:00", "2023-12-30T23:00:00"),
        ("2023-12-31T00:00:00", "2023-12-31T23:00:00"),
    ]
    [header, *metrics] = _table({k: v for k, v in files.items() if k.startswith("accuracy-metrics-values/")})
    assert header == [
        "item_id",
        "backtest_window",
        "backtestwindow_start_time",
        "backtestwindow_end_time",
        "wQL[0.65]",
        "wQL[0.9]",
        "Average wQL",
        "RMSE",
        "WAPE",
        "MAPE",
        "MASE",
    ]
    first = metrics[:3]
    assert [row[:4] for row in first] == [
        ["item_001", "Computed", "2023-12-30T00:00:00", "2023-12-30T23:00:00"],
        ["item_001", "Computed", "2023-12-31T00:00:00", "2023-12-31T23:00:00"],
        ["item_001", "Summary", "2023-12-30T00:00:00", "2023-12-31T23:00:00"],
    ]
    for column in range(4, len(header)):  # the Summary is each metric's mean over the windows
        assert abs(float(first[2][column]) - (float(first[0][column]) + float(first[1][column])) / 2) < 1e-4
    assert len(metrics) == 5 * 3
    assert files["forecasted-values/_SUCCESS"] == files["accuracy-metrics-values/_SUCCESS"] == b""


def test_a_what_if_export_puts_the_baseline_beside_each_what_if_forecast() -> None:
    doc: dict[str, object] = {
        "ForecastHorizon": 3,
        "ForecastFrequency": "M",
        "ForecastDimensions": ["store_id"],
        "ForecastTypes": ["0.1", "0.5"],
        "ForecastArn": "arn:aws:forecast:us-east-1:123456789012:forecast/base",
    }
    [header, *rows] = _table(_write(what_if_forecast_export, doc, "sim_10", "sim_20"))
    assert header == [
        "item_id",
        "store_id",
        "date",
        "Baseline_p10",
        "sim_10_p10",
        "sim_20_p10",
        "Baseline_p50",
        "sim_10_p50",
        "sim_20_p50",
    ]
    assert len(rows) == 5 * 3  # one row per series and date
    assert [row[:3] for row in rows[:3]] == [
        ["item_001", "store_id_1", "2024-01-01T00:00:00Z"],
        ["item_001", "store_id_1", "2024-02-01T00:00:00Z"],
        ["item_001", "store_id_1", "2024-03-01T00:00:00Z"],
    ]
    # The baseline is the forecast's own export, number for number.
    [_, *baseline] = _table(_write(forecast_export, doc, "base"))
    assert [[*row[:4], row[6]] for row in rows] == baseline


def test_an_additional_holiday_dataset_is_explained_as_holiday_and_its_country() -> None:
    # AWS's explainability notebook trains with the US holidays and reads `Holiday_US` scores
    # (AFS notebooks/advanced/Item_Level_Explainability/Item_Level_Explanability.ipynb, code cells
    # 71 and 155, markdown 91); the Quick Start trains the same way (Getting_Started, cell 21).
    of_predictor: dict[str, object] = {
        "ResourceArn": "arn:aws:forecast:us-east-1:123456789012:predictor/p",
        "ForecastHorizon": 3,
        "DataConfig": {
            "AdditionalDatasets": [
                {"Name": "holiday", "Configuration": {"CountryCode": ["US", "CA"]}},
                {"Name": "weather"},
            ]
        },
    }
    [header, aggregate] = _table(_write(explainability_export, of_predictor, "holidays"))
    assert header == [
        "item_id",
        "timestamp",
        "Holiday_US-NormalizedImpactScore",
        "Holiday_CA-NormalizedImpactScore",
        "weather-NormalizedImpactScore",
    ]
    assert aggregate[:2] == ["Aggregate", "Aggregate"]


def test_explainability_exports_are_one_wide_table_with_aggregate_rows() -> None:
    of_predictor: dict[str, object] = {
        "ResourceArn": "arn:aws:forecast:us-east-1:123456789012:predictor/p",
        "ForecastHorizon": 3,
        "DataConfig": {
            "AttributeConfigs": [{"AttributeName": "price"}],
            "AdditionalDatasets": [{"Name": "holiday"}],
        },
    }
    files = _write(explainability_export, of_predictor, "whole")
    assert sorted(files) == _layout("", "job", "2026-01-02T03-04-05Z", 2, root=False)
    assert _table(files) == [
        ["item_id", "timestamp", "price-NormalizedImpactScore", "holiday-NormalizedImpactScore"],
        ["Aggregate", "Aggregate", *_table(files)[1][2:]],
    ]

    of_forecast = of_predictor | {
        "ResourceArn": "arn:aws:forecast:us-east-1:123456789012:forecast/f",
        "ForecastDimensions": ["store"],
        "ExplainabilityConfig": {"TimeSeriesGranularity": "SPECIFIC", "TimePointGranularity": "SPECIFIC"},
        "StartDateTime": "2024-01-02T00:00:00",
        "EndDateTime": "2024-01-03T00:00:00",
    }
    [header, *rows] = _table(_write(explainability_export, of_forecast, "points"))
    assert header == [
        "item_id",
        "store",
        "timestamp",
        "price-NormalizedImpactScore",
        "price-RawImpactScore",
        "holiday-NormalizedImpactScore",
        "holiday-RawImpactScore",
    ]
    # Aggregated over every series and time point: normalized scores only.
    assert rows[0][:3] == ["Aggregate", "Aggregate", "Aggregate"] and rows[0][4] == rows[0][6] == ""
    # Per series: each time point in [StartDateTime, EndDateTime], then its aggregate over them.
    assert [row[:3] for row in rows[1:4]] == [
        ["item_001", "store_1", "2024-01-02T00:00:00Z"],
        ["item_001", "store_1", "2024-01-03T00:00:00Z"],
        ["item_001", "store_1", "Aggregate"],
    ]
    assert len(rows) == 1 + 5 * 3
    assert all(-1 <= float(row[3]) <= 1 and row[4] != "" for row in rows[1:])

    all_points = of_forecast | {
        "ExplainabilityConfig": {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"}
    }
    [_, *rows] = _table(_write(explainability_export, all_points, "series"))
    assert [row[2] for row in rows] == ["Aggregate"] * (1 + 5)


def test_a_kms_key_encrypts_the_files(emu: Emulator, forecast: ForecastServiceClient, s3: S3Client) -> None:
    parents = emu.seed(kms_key=True)
    assert parents.kms_key_arn is not None
    emu.configure(job_seconds=0)
    forecast.create_forecast_export_job(
        ForecastExportJobName="encrypted",
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, "encrypted/", kms_key_arn=parents.kms_key_arn),
    )
    keys = object_keys(s3, parents.bucket, "encrypted/")
    assert len(keys) == 6 and keys[:2] == ["encrypted/_CHECK", "encrypted/_SUCCESS"]  # _CHECK too
    for key in keys:
        head = s3.head_object(Bucket=parents.bucket, Key=key)
        assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", parents.kms_key_arn)


def _failure(emu: Emulator, forecast: ForecastServiceClient, arn: str) -> tuple[str, str]:
    emu.advance_clock(JOB_SECONDS)
    described = forecast.describe_forecast_export_job(ForecastExportJobArn=arn)
    return described["Status"], described.get("Message", "")


def test_a_missing_bucket_fails_the_job(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="no_bucket",
        ForecastArn=parents.forecast_arn,
        Destination={"S3Config": {"Path": "s3://no-such-bucket/out/", "RoleArn": parents.role_arn}},
    )["ForecastExportJobArn"]
    assert _failure(emu, forecast, arn) == (
        "CREATE_FAILED",
        "Amazon Forecast could not write to s3://no-such-bucket/out/: "
        "the S3 bucket no-such-bucket does not exist.",
    )
    forecast.delete_forecast_export_job(ForecastExportJobArn=arn)


def test_an_unknown_kms_key_fails_the_job(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    arn = forecast.create_forecast_export_job(
        ForecastExportJobName="no_key",
        ForecastArn=parents.forecast_arn,
        Destination=destination(parents, "no_key/", kms_key_arn=key),
    )["ForecastExportJobArn"]
    assert _failure(emu, forecast, arn) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not use the KMS key {key}: the key does not exist.",
    )


def test_the_role_must_exist_and_trust_forecast(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    iam = emu.client("iam")
    missing_role = "arn:aws:iam::123456789012:role/Missing"
    untrusting = iam.create_role(
        RoleName="Untrusting",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "s3.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    arns = [
        forecast.create_forecast_export_job(
            ForecastExportJobName=name,
            ForecastArn=parents.forecast_arn,
            Destination={"S3Config": {"Path": f"s3://{parents.bucket}/{name}/", "RoleArn": role}},
        )["ForecastExportJobArn"]
        for name, role in (("no_role", missing_role), ("untrusted", untrusting))
    ]
    assert _failure(emu, forecast, arns[0]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {missing_role}: the role does not exist.",
    )
    assert _failure(emu, forecast, arns[1]) == (
        "CREATE_FAILED",
        f"Amazon Forecast could not assume the IAM role {untrusting}: its trust policy does not allow "
        "the service principal forecast.amazonaws.com to call sts:AssumeRole.",
    )


def test_injected_failures(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.fail_jobs("flaky_", "Injected: the export timed out", times=1)
    first = create_export(forecast, parents, "flaky_1")
    second = create_export(forecast, parents, "flaky_2")
    emu.advance_clock(JOB_SECONDS)
    failed = forecast.describe_forecast_export_job(ForecastExportJobArn=first)
    assert (failed["Status"], failed["Message"]) == ("CREATE_FAILED", "Injected: the export timed out")
    assert (
        abs(failed["LastModificationTime"].timestamp() - (failed["CreationTime"].timestamp() + JOB_SECONDS))
        < 0.01
    )
    assert forecast.describe_forecast_export_job(ForecastExportJobArn=second)["Status"] == "ACTIVE"
    # The failed job had checked its location when it started: only that _CHECK is left.
    assert object_keys(s3, parents.bucket, "flaky_1/") == ["flaky_1/_CHECK"]
    assert len(part_keys(s3, parents.bucket, "flaky_2/")) == 4

    emu.fail_jobs("doomed", "Injected: always")
    emu.clear_failures()
    assert _failure(emu, forecast, create_export(forecast, parents, "doomed")) == ("ACTIVE", "")
