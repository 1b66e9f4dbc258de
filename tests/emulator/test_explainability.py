"""Explainabilities and their exports: lifecycle, files, rules, lists and tags (names, the quota,
stop, delete and the parent's guard, for every export kind: test_export_kinds.py).

Time is moved with the emulator's clock (`advance_clock`), never by sleeping.
"""

from __future__ import annotations

import io

import pyarrow.parquet as pq
from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_forecast.literals import AttributeTypeType, DatasetTypeType
from mypy_boto3_forecast.type_defs import ExplainabilityConfigTypeDef, SchemaTypeDef
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from pulumi_aws_forecast.catalog import KINDS
from tests.emulator.support import (
    ACCOUNT,
    JOB_SECONDS,
    create_job,
    destination,
    error_of,
    export_rows,
    file_stamp,
    object_keys,
    part_keys,
    status,
)

EXPORT = KINDS["ExplainabilityExport"]
ALL: ExplainabilityConfigTypeDef = {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"}


def _of_forecast(forecast: ForecastServiceClient, parents: Seeded, name: str = "by_series") -> str:
    return forecast.create_explainability(
        ExplainabilityName=name, ResourceArn=parents.forecast_arn, ExplainabilityConfig=ALL
    )["ExplainabilityArn"]


def test_an_export_runs_then_writes_the_aggregated_impact_scores(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    arn = create_job(forecast, EXPORT, parents, "scores", Tags=[{"Key": "team", "Value": "demand"}])
    assert arn == (f"arn:aws:forecast:us-east-1:{ACCOUNT}:explainability-export/demo_explainability/scores")
    described = forecast.describe_explainability_export(ExplainabilityExportArn=arn)
    assert described["Status"] == "CREATE_PENDING"
    assert (described["ExplainabilityArn"], described["Format"]) == (parents.explainability_arn, "CSV")
    assert described["Destination"] == destination(parents, "scores/")
    emu.advance_clock(0.2 * JOB_SECONDS + 1)
    assert status(forecast, EXPORT, arn) == "CREATE_IN_PROGRESS"
    assert object_keys(s3, parents.bucket, "scores/") == ["scores/_CHECK"]  # the location checked
    emu.advance_clock(JOB_SECONDS)
    assert status(forecast, EXPORT, arn) == "ACTIVE"

    # A predictor's explainability: one wide table of the scores aggregated over every series and
    # time point, after the header-only part0; _SUCCESS beside the parts.
    stamp = file_stamp(forecast, EXPORT, arn)
    assert object_keys(s3, parents.bucket, "scores/") == [
        "scores/_CHECK",
        "scores/_SUCCESS",
        f"scores/scores_{stamp}_part0.csv",
        f"scores/scores_{stamp}_part1.csv",
    ]
    [row] = export_rows(s3, parents.bucket, "scores/")
    assert list(row) == [
        "item_id",
        "timestamp",
        "price-NormalizedImpactScore",
        "promotion-NormalizedImpactScore",
    ]
    assert (row["item_id"], row["timestamp"]) == ("Aggregate", "Aggregate")
    assert all(-1 <= float(row[f"{name}-NormalizedImpactScore"]) <= 1 for name in ("price", "promotion"))
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "demand"}]


def test_a_forecast_explainability_exports_per_series_scores_as_parquet(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    explainability = _of_forecast(forecast, parents)
    described = forecast.describe_explainability(ExplainabilityArn=explainability)
    assert (described["Status"], described["ResourceArn"]) == ("ACTIVE", parents.forecast_arn)
    assert described["ExplainabilityConfig"] == ALL
    arn = create_job(forecast, EXPORT, parents, "series", ExplainabilityArn=explainability, Format="PARQUET")
    assert arn.endswith(":explainability-export/by_series/series")
    assert status(forecast, EXPORT, arn) == "ACTIVE"

    stamp = file_stamp(forecast, EXPORT, arn)
    assert object_keys(s3, parents.bucket, "series/") == [
        "series/_CHECK",
        "series/_SUCCESS",
        *(f"series/series_{stamp}_part{n}.parquet" for n in range(4)),
    ]
    tables = [
        pq.read_table(io.BytesIO(s3.get_object(Bucket=parents.bucket, Key=key)["Body"].read()))
        for key in part_keys(s3, parents.bucket, "series/", ".parquet")
    ]
    assert [table.num_rows for table in tables] == [0, 2, 2, 2]  # part0: the schema only
    assert all(
        table.column_names
        == [
            "item_id",
            "timestamp",
            "price-NormalizedImpactScore",
            "price-RawImpactScore",
            "promotion-NormalizedImpactScore",
            "promotion-RawImpactScore",
        ]
        for table in tables
    )
    assert str(tables[1].schema.field("price-RawImpactScore").type) == "double"
    rows = [row for table in tables for row in table.to_pylist()]
    # The scores aggregated over every series (normalized only), then each series over all time points.
    assert [(row["item_id"], row["timestamp"]) for row in rows] == [
        ("Aggregate", "Aggregate"),
        *((f"item_00{i}", "Aggregate") for i in range(1, 6)),
    ]
    assert rows[0]["price-RawImpactScore"] is None and rows[1]["price-RawImpactScore"] is not None


def test_explainability_content_is_deterministic(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    first, second = (create_job(forecast, EXPORT, parents, name) for name in ("first", "second"))
    assert status(forecast, EXPORT, second) == "ACTIVE"
    bodies = [
        s3.get_object(Bucket=parents.bucket, Key=key)["Body"].read()
        for key in object_keys(s3, parents.bucket, "first/") + object_keys(s3, parents.bucket, "second/")
    ]
    assert len(bodies) == 2 * 4 and bodies[:4] == bodies[4:] and first != second


def test_what_an_explainability_needs(parents: Seeded, forecast: ForecastServiceClient) -> None:
    group = parents.dataset_group_arn
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="of_a_group", ResourceArn=group, ExplainabilityConfig=ALL
        )
    ) == ("ResourceNotFoundException", f"No predictor or forecast found with the arn: {group}")
    # A predictor's explainability covers all series and time points, and there is one per predictor.
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="specific",
            ResourceArn=parents.predictor_arn,
            ExplainabilityConfig={"TimeSeriesGranularity": "SPECIFIC", "TimePointGranularity": "ALL"},
        )
    ) == (
        "InvalidInputException",
        "An explainability of a predictor needs ExplainabilityConfig.TimeSeriesGranularity set to ALL.",
    )
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="another", ResourceArn=parents.predictor_arn, ExplainabilityConfig=ALL
        )
    ) == (
        "ResourceAlreadyExistsException",
        f"The predictor {parents.predictor_arn} already has an explainability, "
        f"{parents.explainability_arn}; it can have only one.",
    )
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="demo_explainability",
            ResourceArn=parents.forecast_arn,
            ExplainabilityConfig=ALL,
        )
    ) == (
        "ResourceAlreadyExistsException",
        f"An explainability already exists with the arn: {parents.explainability_arn}",
    )
    # Only AutoPredictors (and their forecasts) are explainable.
    legacy = forecast.create_predictor(
        PredictorName="legacy",
        ForecastHorizon=3,
        PerformAutoML=True,
        InputDataConfig={"DatasetGroupArn": group},
        FeaturizationConfig={"ForecastFrequency": "D"},
    )["PredictorArn"]
    assert error_of(
        lambda: forecast.create_explainability(
            ExplainabilityName="of_legacy", ResourceArn=legacy, ExplainabilityConfig=ALL
        )
    ) == (
        "InvalidInputException",
        f"An explainability needs a predictor created with CreateAutoPredictor; {legacy} was not.",
    )


def test_the_exported_explainability_must_exist_and_be_active(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    missing = parents.explainability_arn + "_gone"
    assert error_of(lambda: create_job(forecast, EXPORT, parents, "orphan", ExplainabilityArn=missing)) == (
        "ResourceNotFoundException",
        f"No explainability found with the arn: {missing}",
    )
    emu.configure(upstream_seconds=JOB_SECONDS)
    slow = _of_forecast(forecast, parents, "slow")
    assert error_of(lambda: create_job(forecast, EXPORT, parents, "early", ExplainabilityArn=slow)) == (
        "ResourceInUseException",
        f"The explainability {slow} must be ACTIVE to create an explainability export from it; "
        "its status is CREATE_PENDING.",
    )


def test_lists_filter_by_the_documented_keys(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(job_seconds=0)
    by_series = _of_forecast(forecast, parents)
    of_predictor = create_job(forecast, EXPORT, parents, "of_predictor")
    of_forecast = create_job(forecast, EXPORT, parents, "of_forecast", ExplainabilityArn=by_series)

    def exports(key: str, value: str, condition: str = "IS") -> list[str]:
        listed = forecast.list_explainability_exports(
            Filters=[{"Key": key, "Value": value, "Condition": condition}]  # type: ignore[typeddict-item]
        )
        return [summary["ExplainabilityExportArn"] for summary in listed["ExplainabilityExports"]]

    # ResourceArn names the exported explainability (the API reference's keys: ResourceArn, Status).
    assert exports("ResourceArn", by_series) == [of_forecast]
    assert exports("ResourceArn", by_series, "IS_NOT") == [of_predictor]
    assert exports("Status", "ACTIVE") == [of_forecast, of_predictor]  # newest first
    assert error_of(lambda: exports("ExplainabilityArn", by_series)) == (
        "InvalidInputException",
        "Invalid filter key 'ExplainabilityArn' for ListExplainabilityExports; "
        "valid keys are ResourceArn and Status.",
    )
    listed = forecast.list_explainabilities(
        Filters=[{"Key": "ResourceArn", "Value": parents.predictor_arn, "Condition": "IS"}]
    )["Explainabilities"]
    assert [(e["ExplainabilityArn"], e["ResourceArn"]) for e in listed] == [
        (parents.explainability_arn, parents.predictor_arn)
    ]
    summary = forecast.list_explainability_exports(MaxResults=1)
    assert [s["ExplainabilityExportName"] for s in summary["ExplainabilityExports"]] == ["of_forecast"]
    assert "ExplainabilityArn" not in summary["ExplainabilityExports"][0]  # not in the summary shape
    assert "NextToken" in summary


def test_tags_on_explainabilities_and_their_exports(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = create_job(forecast, EXPORT, parents, "tagged", Tags=[{"Key": "a", "Value": "1"}])
    forecast.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "2"}, {"Key": "b", "Value": ""}])
    forecast.untag_resource(ResourceArn=arn, TagKeys=["b"])
    assert forecast.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "2"}]
    forecast.tag_resource(ResourceArn=parents.explainability_arn, Tags=[{"Key": "x", "Value": "y"}])
    assert forecast.list_tags_for_resource(ResourceArn=parents.explainability_arn)["Tags"] == [
        {"Key": "x", "Value": "y"}
    ]


def test_a_missing_bucket_fails_the_export_with_a_message(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    arn = create_job(
        forecast,
        EXPORT,
        parents,
        "nowhere",
        Destination={"S3Config": {"Path": "s3://no-such-bucket/x/", "RoleArn": parents.role_arn}},
    )
    emu.advance_clock(JOB_SECONDS)
    described = forecast.describe_explainability_export(ExplainabilityExportArn=arn)
    assert (described["Status"], described["Message"]) == (
        "CREATE_FAILED",
        "Amazon Forecast could not write to s3://no-such-bucket/x/: "
        "the S3 bucket no-such-bucket does not exist.",
    )


def test_the_groups_related_and_item_metadata_attributes_are_explained(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    # AWS's explainability notebook adds a related time series (Loss_Rate, Customer_Request) and item
    # metadata (Model_Type) to the group, trains without AttributeConfigs, and reads their scores
    # (AFS notebooks/advanced/Item_Level_Explainability/Item_Level_Explanability.ipynb, cells 33,
    # 40, 71, 155; markdown 68: "impact scores will be generated for RTS columns, IM and Holidays").
    def dataset(name: str, kind: DatasetTypeType, attributes: list[tuple[str, AttributeTypeType]]) -> str:
        schema: SchemaTypeDef = {
            "Attributes": [{"AttributeName": n, "AttributeType": t} for n, t in attributes]
        }
        return forecast.create_dataset(
            DatasetName=name, Domain="CUSTOM", DatasetType=kind, DataFrequency="D", Schema=schema
        )["DatasetArn"]

    related = dataset(
        "demo_rts",
        "RELATED_TIME_SERIES",
        [
            ("timestamp", "timestamp"),
            ("item_id", "string"),
            ("Loss_Rate", "float"),
            ("Customer_Request", "float"),
        ],
    )
    metadata = dataset("demo_im", "ITEM_METADATA", [("item_id", "string"), ("Model_Type", "string")])
    forecast.update_dataset_group(
        DatasetGroupArn=parents.dataset_group_arn, DatasetArns=[parents.dataset_arn, related, metadata]
    )
    create_job(forecast, EXPORT, parents, "related")
    emu.advance_clock(JOB_SECONDS)
    [aggregate] = export_rows(s3, parents.bucket, "related/")
    assert list(aggregate) == [
        "item_id",
        "timestamp",
        "Loss_Rate-NormalizedImpactScore",
        "Customer_Request-NormalizedImpactScore",
        "Model_Type-NormalizedImpactScore",
    ]
    assert (aggregate["item_id"], aggregate["timestamp"]) == ("Aggregate", "Aggregate")
