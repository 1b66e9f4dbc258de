"""CreateAutoPredictor's two extras: retraining (`ReferencePredictorArn`) and `ExplainPredictor`.

- Retraining: "When upgrading or retraining a predictor, only specify values for
  the ReferencePredictorArn and PredictorName" (API reference). The new
  predictor takes the reference's settings (horizon, frequency, dimensions,
  forecast types, data config, ...) and the dataset group's current data (its
  latest import, `series.py`); Describe shows `ReferencePredictorSummary`.
  A retrained predictor is a new predictor with a new name (AFS
  Predictor_Monitoring cell 29).
- `ExplainPredictor=True`: "Create an Explainability resource for the
  predictor" (API reference). The explainability (granularities ALL, named
  `<PredictorName>_explainability`: our choice, AWS's name is not recorded) is
  created with the predictor and finishes with it; DescribeAutoPredictor shows
  `ExplainabilityInfo {ExplainabilityArn, Status}`, the status read live.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from forecast_emulator import moto_bridge
from forecast_emulator.exceptions import ResourceAlreadyExistsException, ResourceInUseException
from forecast_emulator.store import Resource
from pulumi_aws_forecast.catalog import ACTIVE, CREATE_PENDING, KINDS

if TYPE_CHECKING:
    from forecast_emulator.models import ForecastBackend

Params = Mapping[str, Any]

#: What a retrained predictor takes from its reference, when the request leaves it out.
_FROM_REFERENCE = (
    "ForecastHorizon",
    "ForecastTypes",
    "ForecastDimensions",
    "ForecastFrequency",
    "DataConfig",
    "EncryptionConfig",
    "OptimizationMetric",
    "ExplainPredictor",
    "TimeAlignmentBoundary",
)


def create(backend: ForecastBackend, params: Params, region: str) -> Resource:
    """CreateAutoPredictor: a new predictor, or a retrained one, and its explainability if asked."""
    request = dict(params)
    reference_arn = params.get("ReferencePredictorArn")
    if reference_arn:
        reference = backend._find(str(reference_arn), region, KINDS["Predictor"])
        if reference.status != ACTIVE:
            raise ResourceInUseException(
                f"The predictor {reference.arn} must be ACTIVE to retrain it; "
                f"its status is {reference.status}."
            )
        for member in _FROM_REFERENCE:
            if request.get(member) is None and reference.doc.get(member) is not None:
                request[member] = copy.deepcopy(reference.doc[member])
    if request.get("ExplainPredictor"):
        arn = _explainability_arn(backend, str(params["PredictorName"]), region)
        if backend.state.store.get(arn) is not None:
            raise ResourceAlreadyExistsException(f"An explainability already exists with the arn: {arn}")
    predictor = backend._create(KINDS["Predictor"], request, region, "CreateAutoPredictor")
    if reference_arn:
        predictor.doc["ReferencePredictorSummary"] = {"Arn": str(reference_arn), "State": "Active"}
    if request.get("ExplainPredictor"):
        predictor.doc["ExplainabilityInfo"] = {"ExplainabilityArn": _explain(backend, predictor).arn}
    backend.state.store.save(predictor)
    return predictor


def describe(backend: ForecastBackend, params: Params, region: str) -> Resource:
    """DescribeAutoPredictor: the predictor, with its explainability's current status."""
    predictor = backend._find(str(params["PredictorArn"]), region, KINDS["Predictor"])
    info = predictor.doc.get("ExplainabilityInfo")
    if not info:
        return predictor
    doc = dict(predictor.doc)
    explainability = backend.state.store.get(str(info["ExplainabilityArn"]))
    if explainability is None:
        del doc["ExplainabilityInfo"]
    else:
        doc["ExplainabilityInfo"] = {**info, "Status": explainability.status}
    return dataclasses.replace(predictor, doc=doc)


def _explainability_arn(backend: ForecastBackend, predictor_name: str, region: str) -> str:
    name = f"{predictor_name}_explainability"
    return KINDS["Explainability"].arn(moto_bridge.partition_of(region), region, backend.account, name, None)


def _explain(backend: ForecastBackend, predictor: Resource) -> Resource:
    kind = KINDS["Explainability"]
    name = f"{predictor.name}_explainability"
    doc: dict[str, Any] = {
        "ExplainabilityName": name,
        "ResourceArn": predictor.arn,
        "ExplainabilityConfig": {"TimeSeriesGranularity": "ALL", "TimePointGranularity": "ALL"},
    }
    for member in (
        "ForecastTypes",
        "ForecastHorizon",
        "ForecastFrequency",
        "ForecastDimensions",
        "DataConfig",
    ):
        if predictor.doc.get(member) is not None:
            doc[member] = copy.deepcopy(predictor.doc[member])
    region = predictor.region
    now = backend.now()
    explainability = Resource(
        arn=_explainability_arn(backend, predictor.name, region),
        kind=kind.noun,
        name=name,
        account=predictor.account,
        region=region,
        parent_arn=predictor.arn,
        status=CREATE_PENDING,
        created=now,
        phase_started=now,
        modified=now,
        doc=doc,
    )
    backend.state.store.insert(explainability)
    return explainability
