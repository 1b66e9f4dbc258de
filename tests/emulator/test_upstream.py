"""The parents of exports: dataset groups, datasets, imports, predictors and forecasts."""

from __future__ import annotations

from mypy_boto3_forecast import ForecastServiceClient
from mypy_boto3_s3 import S3Client

from forecast_emulator import Emulator, Seeded
from tests.emulator.support import ACCOUNT, destination, error_of, export_rows, forecast_client


def test_the_seeded_chain_describes_like_forecast(parents: Seeded, forecast: ForecastServiceClient) -> None:
    arn = f"arn:aws:forecast:us-east-1:{ACCOUNT}"
    assert parents.dataset_import_job_arn == f"{arn}:dataset-import-job/demo_dataset/demo_import"
    group = forecast.describe_dataset_group(DatasetGroupArn=parents.dataset_group_arn)
    assert (group["Status"], group["Domain"], group["DatasetArns"]) == (
        "ACTIVE",
        "RETAIL",
        [parents.dataset_arn],
    )
    predictor = forecast.describe_auto_predictor(PredictorArn=parents.predictor_arn)
    assert predictor["DataConfig"] == {"DatasetGroupArn": parents.dataset_group_arn}
    assert (predictor["ForecastHorizon"], predictor["ForecastFrequency"]) == (14, "D")
    assert [p["IsAutoPredictor"] for p in forecast.list_predictors()["Predictors"]] == [True]
    described = forecast.describe_forecast(ForecastArn=parents.forecast_arn)
    assert described["DatasetGroupArn"] == parents.dataset_group_arn
    assert described["ForecastTypes"] == ["0.1", "0.5", "0.9"]
    summaries = forecast.list_forecasts(
        Filters=[{"Key": "PredictorArn", "Value": parents.predictor_arn, "Condition": "IS"}]
    )["Forecasts"]
    assert [(s["ForecastArn"], s["CreatedUsingAutoPredictor"]) for s in summaries] == [
        (parents.forecast_arn, True)
    ]
    groups = forecast.list_dataset_groups()["DatasetGroups"]
    assert [g["DatasetGroupName"] for g in groups] == ["demo_dataset_group"]


def test_upstream_resources_take_upstream_seconds(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(upstream_seconds=30)
    arn = forecast.create_forecast(ForecastName="slow", PredictorArn=parents.predictor_arn)["ForecastArn"]
    assert forecast.describe_forecast(ForecastArn=arn)["Status"] == "CREATE_PENDING"
    emu.advance_clock(10)
    in_progress = forecast.describe_forecast(ForecastArn=arn)
    assert (in_progress["Status"], in_progress["EstimatedTimeRemainingInMinutes"]) == (
        "CREATE_IN_PROGRESS",
        1,
    )
    forecast.stop_resource(ResourceArn=arn)
    emu.advance_clock(30)
    assert forecast.describe_forecast(ForecastArn=arn)["Status"] == "CREATE_STOPPED"


def test_parents_are_checked(parents: Seeded, forecast: ForecastServiceClient) -> None:
    missing = parents.dataset_arn + "_missing"
    assert error_of(
        lambda: forecast.create_dataset_group(DatasetGroupName="g", Domain="RETAIL", DatasetArns=[missing])
    ) == ("InvalidInputException", f"Dataset arns: [{missing}] are not found")
    assert error_of(
        lambda: forecast.create_auto_predictor(
            PredictorName="incomplete", DataConfig={"DatasetGroupArn": parents.dataset_group_arn}
        )
    ) == (
        "InvalidInputException",
        "CreateAutoPredictor needs ForecastHorizon, ForecastFrequency to create a new predictor.",
    )
    assert error_of(
        lambda: forecast.create_forecast(ForecastName="f", PredictorArn=parents.dataset_group_arn)
    ) == ("ResourceNotFoundException", f"No predictor found with the arn: {parents.dataset_group_arn}")
    assert error_of(
        lambda: forecast.create_forecast(ForecastName="demo_forecast", PredictorArn=parents.predictor_arn)
    ) == (
        "ResourceAlreadyExistsException",
        f"A forecast already exists with the arn: {parents.forecast_arn}",
    )


def test_a_legacy_predictor_and_its_hourly_export(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient, s3: S3Client
) -> None:
    emu.configure(job_seconds=0)
    predictor = forecast.create_predictor(
        PredictorName="hourly",
        ForecastHorizon=3,
        PerformAutoML=True,
        InputDataConfig={"DatasetGroupArn": parents.dataset_group_arn},
        FeaturizationConfig={"ForecastFrequency": "H"},
    )["PredictorArn"]
    described = forecast.describe_predictor(PredictorArn=predictor)
    assert (described["IsAutoPredictor"], described["InputDataConfig"]["DatasetGroupArn"]) == (
        False,
        parents.dataset_group_arn,
    )
    listed = forecast.list_predictors(
        Filters=[{"Key": "DatasetGroupArn", "Value": parents.dataset_group_arn, "Condition": "IS"}]
    )["Predictors"]
    assert sorted(p["PredictorName"] for p in listed) == ["demo_predictor", "hourly"]
    hourly = forecast.create_forecast(ForecastName="hourly", PredictorArn=predictor)["ForecastArn"]
    forecast.describe_forecast(ForecastArn=hourly)
    forecast.create_forecast_export_job(
        ForecastExportJobName="hourly", ForecastArn=hourly, Destination=destination(parents, "hourly/")
    )
    dates = [row["date"] for row in export_rows(s3, parents.bucket, "hourly/")][:3]
    assert dates == ["2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z", "2024-01-01T02:00:00Z"]


def test_a_dataset_is_busy_while_an_import_runs_and_groups_can_be_updated(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    emu.configure(upstream_seconds=60)
    job = forecast.create_dataset_import_job(
        DatasetImportJobName="again",
        DatasetArn=parents.dataset_arn,
        DataSource={"S3Config": {"Path": f"s3://{parents.bucket}/demo/", "RoleArn": parents.role_arn}},
    )["DatasetImportJobArn"]
    assert error_of(lambda: forecast.delete_dataset(DatasetArn=parents.dataset_arn)) == (
        "ResourceInUseException",
        f"The dataset {parents.dataset_arn} cannot be deleted while it has child resources: its dataset "
        f"import job {job} is CREATE_PENDING. Delete the child resources first, or the whole tree with "
        "DeleteResourceTree.",
    )
    emu.configure(upstream_seconds=0)
    second = forecast.create_dataset(
        DatasetName="related",
        Domain="RETAIL",
        DatasetType="RELATED_TIME_SERIES",
        Schema={"Attributes": [{"AttributeName": "price", "AttributeType": "float"}]},
    )["DatasetArn"]
    forecast.update_dataset_group(
        DatasetGroupArn=parents.dataset_group_arn, DatasetArns=[parents.dataset_arn, second]
    )
    group = forecast.describe_dataset_group(DatasetGroupArn=parents.dataset_group_arn)
    assert group["DatasetArns"] == [parents.dataset_arn, second]
    assert group["LastModificationTime"] > group["CreationTime"]


def test_another_account(emu: Emulator) -> None:
    with Emulator(account_id="210987654321", job_seconds=0, upstream_seconds=0) as other:
        parents = other.seed(bucket="other-account-exports")
        assert parents.role_arn == "arn:aws:iam::210987654321:role/ForecastExportRole"
        assert parents.forecast_arn == "arn:aws:forecast:us-east-1:210987654321:forecast/demo_forecast"
        forecast = forecast_client(other, parameter_validation=False)
        job = forecast.create_forecast_export_job(
            ForecastExportJobName="mine", ForecastArn=parents.forecast_arn, Destination=destination(parents)
        )["ForecastExportJobArn"]
        assert forecast.describe_forecast_export_job(ForecastExportJobArn=job)["Status"] == "ACTIVE"
        foreign_role = f"arn:aws:iam::{ACCOUNT}:role/ForecastExportRole"
        code, message = error_of(
            lambda: forecast.create_forecast_export_job(
                ForecastExportJobName="foreign",
                ForecastArn=parents.forecast_arn,
                Destination={"S3Config": {"Path": "s3://other-account-exports/x/", "RoleArn": foreign_role}},
            )
        )
        assert code == "InvalidInputException" and foreign_role in message


def test_everything_can_be_deleted_children_first(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    """The destroy check: delete in dependency order, and nothing is left."""
    emu.configure(job_seconds=0, delete_seconds=0)
    job = forecast.create_forecast_export_job(
        ForecastExportJobName="last", ForecastArn=parents.forecast_arn, Destination=destination(parents)
    )["ForecastExportJobArn"]
    forecast.describe_forecast_export_job(ForecastExportJobArn=job)
    forecast.delete_forecast_export_job(ForecastExportJobArn=job)
    forecast.delete_what_if_forecast(WhatIfForecastArn=parents.what_if_forecast_arn)
    forecast.delete_what_if_analysis(WhatIfAnalysisArn=parents.what_if_analysis_arn)
    forecast.delete_explainability(ExplainabilityArn=parents.explainability_arn)
    forecast.delete_forecast(ForecastArn=parents.forecast_arn)
    forecast.delete_predictor(PredictorArn=parents.predictor_arn)
    forecast.delete_dataset_import_job(DatasetImportJobArn=parents.dataset_import_job_arn)
    forecast.delete_dataset(DatasetArn=parents.dataset_arn)
    forecast.delete_dataset_group(DatasetGroupArn=parents.dataset_group_arn)
    assert forecast.list_forecast_export_jobs()["ForecastExportJobs"] == []
    assert forecast.list_forecasts()["Forecasts"] == []
    assert forecast.list_predictors()["Predictors"] == []
    assert forecast.list_dataset_import_jobs()["DatasetImportJobs"] == []
    assert forecast.list_datasets()["Datasets"] == []
    assert forecast.list_dataset_groups()["DatasetGroups"] == []
