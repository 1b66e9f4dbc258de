"""DeleteResourceTree: a resource and everything made from it, as the developer guide's
delete-resource.md describes the trees; a parent with children is not deleted alone."""

from __future__ import annotations

import functools

from mypy_boto3_forecast import ForecastServiceClient

from forecast_emulator import Emulator, Seeded
from forecast_emulator.trees import TREE_ROOTS
from pulumi_aws_forecast.catalog import KINDS
from tests.emulator.support import (
    BACKTEST_EXPORT,
    FORECAST_EXPORT,
    JOB_SECONDS,
    SETTLE_SECONDS,
    create_job,
    describe,
    error_of,
    status,
)

EXPLAINABILITY_EXPORT = KINDS["ExplainabilityExport"]
WHAT_IF_EXPORT = KINDS["WhatIfForecastExport"]


def test_the_kinds_with_a_tree_are_the_catalogues_parents() -> None:
    # The guide's parents (dataset, dataset group, predictor, forecast, explainability), and the
    # what-if parents (our choice: no public record places them).
    assert {
        "Dataset",
        "DatasetGroup",
        "Predictor",
        "Forecast",
        "Explainability",
        "WhatIfAnalysis",
        "WhatIfForecast",
    } == TREE_ROOTS


def test_a_dataset_groups_tree_goes_and_its_datasets_stay(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    exports = {
        kind: create_job(forecast, kind, parents, "leaf")
        for kind in (FORECAST_EXPORT, BACKTEST_EXPORT, EXPLAINABILITY_EXPORT, WHAT_IF_EXPORT)
    }
    emu.advance_clock(JOB_SECONDS)
    response = forecast.delete_resource_tree(ResourceArn=parents.dataset_group_arn)
    # AWS answered 200 with an empty body (AFS legacy Tutorial 1.Importing_Your_Data, cell 51).
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-length"] == "0"
    tree = [
        (KINDS["DatasetGroup"], parents.dataset_group_arn),
        (KINDS["Predictor"], parents.predictor_arn),
        (KINDS["Forecast"], parents.forecast_arn),
        (KINDS["Explainability"], parents.explainability_arn),
        (KINDS["WhatIfAnalysis"], parents.what_if_analysis_arn),
        (KINDS["WhatIfForecast"], parents.what_if_forecast_arn),
        *exports.items(),
    ]
    assert {status(forecast, kind, arn) for kind, arn in tree} == {"DELETE_PENDING"}
    # Asking again while it is being deleted is not an error (samples call it until NotFound).
    forecast.delete_resource_tree(ResourceArn=parents.dataset_group_arn)
    emu.advance_clock(SETTLE_SECONDS)
    for kind, arn in tree:
        assert error_of(functools.partial(describe, forecast, kind, arn)) == (
            "ResourceNotFoundException",
            f"No {kind.label} found with the arn: {arn}",
        )
    assert error_of(lambda: forecast.delete_resource_tree(ResourceArn=parents.dataset_group_arn)) == (
        "ResourceNotFoundException",
        f"No resource found with the arn: {parents.dataset_group_arn}",
    )
    # "Neither datasets or dataset import jobs are part of the dataset group resource tree."
    assert status(forecast, KINDS["Dataset"], parents.dataset_arn) == "ACTIVE"
    assert status(forecast, KINDS["DatasetImportJob"], parents.dataset_import_job_arn) == "ACTIVE"
    forecast.delete_resource_tree(ResourceArn=parents.dataset_arn)
    emu.advance_clock(SETTLE_SECONDS)
    assert forecast.list_datasets()["Datasets"] == []
    assert forecast.list_dataset_import_jobs()["DatasetImportJobs"] == []


def test_a_forecasts_tree_leaves_its_predictor(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    export = create_job(forecast, FORECAST_EXPORT, parents, "leaf")
    emu.advance_clock(JOB_SECONDS)
    forecast.delete_resource_tree(ResourceArn=parents.forecast_arn)
    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: describe(forecast, FORECAST_EXPORT, export))[0] == "ResourceNotFoundException"
    assert [p["PredictorArn"] for p in forecast.list_predictors()["Predictors"]] == [parents.predictor_arn]
    assert [e["ExplainabilityArn"] for e in forecast.list_explainabilities()["Explainabilities"]] == [
        parents.explainability_arn
    ]
    assert forecast.list_what_if_analyses()["WhatIfAnalyses"] == []


def test_a_tree_with_work_going_on_is_refused_whole(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    running = create_job(forecast, BACKTEST_EXPORT, parents, "running")
    assert error_of(lambda: forecast.delete_resource_tree(ResourceArn=parents.dataset_group_arn)) == (
        "ResourceInUseException",
        f"The dataset group {parents.dataset_group_arn} cannot be deleted while its predictor backtest "
        f"export job {running} is CREATE_PENDING.",
    )
    assert status(forecast, KINDS["Forecast"], parents.forecast_arn) == "ACTIVE"  # nothing was deleted


def test_a_resource_without_children_is_deleted_with_its_own_operation(
    parents: Seeded, forecast: ForecastServiceClient
) -> None:
    job = parents.dataset_import_job_arn
    assert error_of(lambda: forecast.delete_resource_tree(ResourceArn=job)) == (
        "InvalidInputException",
        f"DeleteResourceTree does not apply to a dataset import job ({job}), which has no child "
        "resources; delete it with DeleteDatasetImportJob.",
    )


def test_a_delete_asked_again_while_it_runs_is_accepted_until_the_resource_is_gone(
    emu: Emulator, parents: Seeded, forecast: ForecastServiceClient
) -> None:
    # AWS's samples delete with util.wait_till_delete: the Delete call itself every 5 s until
    # ResourceNotFoundException, any other error raised (AFS notebooks/common/util/fcst_utils.py);
    # that routine ran to its end over DeleteDatasetImportJob then DeleteDataset on AWS (AFS issue
    # 105), where a delete takes minutes.
    job, dataset = parents.dataset_import_job_arn, parents.dataset_arn
    forecast.delete_dataset_import_job(DatasetImportJobArn=job)
    # The dataset waits for its import job to be gone ("It will take a few minutes to delete the
    # dataset import jobs. Once that is complete, the dataset can be deleted", AFS
    # Forecast_Selected_TimeSeries_Introduction.ipynb, markdown cell 43).
    assert error_of(lambda: forecast.delete_dataset(DatasetArn=dataset)) == (
        "ResourceInUseException",
        f"The dataset {dataset} cannot be deleted while it has child resources: its dataset import "
        f"job {job} is DELETE_PENDING. Delete the child resources first, or the whole tree with "
        "DeleteResourceTree.",
    )
    forecast.delete_dataset_import_job(DatasetImportJobArn=job)
    emu.advance_clock(0.5 * SETTLE_SECONDS)
    response = forecast.delete_dataset_import_job(DatasetImportJobArn=job)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert status(forecast, KINDS["DatasetImportJob"], job) == "DELETE_IN_PROGRESS"
    # Asking again does not start the delete over: it ends when the first one was due to.
    emu.advance_clock(0.5 * SETTLE_SECONDS)
    assert error_of(lambda: forecast.delete_dataset_import_job(DatasetImportJobArn=job)) == (
        "ResourceNotFoundException",
        f"No dataset import job found with the arn: {job}",
    )
    forecast.delete_dataset(DatasetArn=dataset)
    forecast.delete_dataset(DatasetArn=dataset)
    emu.advance_clock(SETTLE_SECONDS)
    assert error_of(lambda: forecast.delete_dataset(DatasetArn=dataset)) == (
        "ResourceNotFoundException",
        f"No dataset found with the arn: {dataset}",
    )
