"""What the emulator adds to the catalogue: per-kind behaviour, as data.

The kinds themselves (nouns, operation names, ARN layout, parents, filter keys,
which kinds are exports) are `pulumi_aws_forecast.catalog`'s, shared with the
provider. What only the emulator needs is here, keyed by the catalogue's noun:
how long creation takes, defaults, values a resource takes from its parent,
request members that sit deeper in some create operation, the rules a few kinds
add (AutoPredictor only, one per parent), where a List filter looks, and the
writer of an export's files.

The backend (`models.ForecastBackend`) applies these generically; a new kind is
one catalogue entry and one `Behaviour` here (plus a writer if it exports).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from forecast_emulator import output
from pulumi_aws_forecast.catalog import DEFAULT_FORMAT, KINDS

DEFAULT_FORECAST_TYPES = ("0.1", "0.5", "0.9")

#: The duration of kinds that are ACTIVE as soon as they are created (datasets, dataset groups: every
#: recorded Describe right after Create says ACTIVE, AFS Forecast_Selected_TimeSeries cells 16, 20).
INSTANT = "instant"

#: The kinds StopResource stops, as its documentation lists them (botocore's model, DG
#: API_StopResource): no dataset or dataset group, and none of the what-if kinds.
STOP_RESOURCE_KINDS = (
    "DatasetImportJob",
    "Predictor",
    "Forecast",
    "ForecastExportJob",
    "PredictorBacktestExportJob",
    "Explainability",
    "ExplainabilityExport",
)

#: Where a List filter's value is looked for besides the document member of the key's name.
OWN_ARN = "@arn"


@dataclass(frozen=True)
class CreateVariant:
    """How one create operation's request maps onto the resource's document."""

    #: Document fields whose value sits deeper in this operation's request: field -> request path.
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Fixed document fields this operation sets.
    extras: Mapping[str, Any] = field(default_factory=dict)
    #: Request members the service requires although the model marks them optional.
    requires: tuple[str, ...] = ()
    #: Request members the emulator does not implement (rejected with InvalidInputException).
    unsupported: tuple[str, ...] = ()
    #: The ARN ends `<name>_<id>`, a 26-character id (`resource_id`), as AutoPredictors' do.
    arn_has_id: bool = False


_PLAIN = CreateVariant()

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def resource_id(name: str, account: str, region: str, created: float) -> str:
    """A ULID-like id, as AWS's AutoPredictor ARNs carry (`01G4GJTP6HNPNVRQ0QVVTPR0T1`): 26
    characters of Crockford base32, 10 of them the creation time in milliseconds, 16 from a hash
    of the resource's name, account, region and time (the same inputs give the same id)."""
    digest = hashlib.sha256(f"{account}:{region}:{name}:{created!r}".encode()).digest()
    value = (int(created * 1000) % (1 << 48)) << 80 | int.from_bytes(digest[:10], "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


@dataclass(frozen=True)
class Behaviour:
    """What the emulator does for one kind, beyond what the catalogue says."""

    #: Settings field holding how long creation takes (INSTANT: none).
    duration: str = "upstream_seconds"
    #: Document fields set when the request leaves them out.
    defaults: Mapping[str, Any] = field(default_factory=dict)
    #: Document fields copied from the (first) parent's document when absent: field -> parent field.
    inherit: Mapping[str, str] = field(default_factory=dict)
    #: Create operations whose request differs from the plain Create<noun>, by operation name.
    variants: Mapping[str, CreateVariant] = field(default_factory=dict)
    #: An export's files (the catalogue says which kinds are exports).
    writer: output.Writer | None = None
    #: Datasets the document lists by ARN (dataset groups): each must exist.
    dataset_list_field: str | None = None
    #: Where a filter key's value is looked for, when not (only) in the document member of that name:
    #: document members, or OWN_ARN for the resource's own ARN.
    filter_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The parent must come from an AutoPredictor (explainability, what-if analysis).
    auto_predictor_only: bool = False
    #: Request values a parent of a given kind requires: parent noun -> request path -> value.
    parent_requires: Mapping[str, Mapping[tuple[str, ...], str]] = field(default_factory=dict)
    #: Parent kinds that may have only one resource of this kind (not counting deleted ones).
    one_per_parent: tuple[str, ...] = ()

    def variant(self, operation: str) -> CreateVariant:
        return self.variants.get(operation, _PLAIN)


_EXPORT_DEFAULTS = MappingProxyType({"Format": DEFAULT_FORMAT})
#: What a resource downstream of a predictor needs to shape its numbers.
_SERIES_FIELDS = ("ForecastTypes", "ForecastHorizon", "ForecastFrequency", "ForecastDimensions", "DataConfig")


def _same(*fields: str) -> Mapping[str, str]:
    return MappingProxyType({name: name for name in fields})


BEHAVIOUR: Mapping[str, Behaviour] = MappingProxyType(
    {
        "DatasetGroup": Behaviour(
            duration=INSTANT, defaults=MappingProxyType({"DatasetArns": []}), dataset_list_field="DatasetArns"
        ),
        "Dataset": Behaviour(duration=INSTANT),
        "DatasetImportJob": Behaviour(defaults=MappingProxyType({"Format": "CSV", "ImportMode": "FULL"})),
        "Predictor": Behaviour(
            defaults=MappingProxyType({"ForecastTypes": list(DEFAULT_FORECAST_TYPES)}),
            variants=MappingProxyType(
                {
                    "CreatePredictor": CreateVariant(
                        aliases=MappingProxyType(
                            {
                                "DatasetGroupArn": ("InputDataConfig", "DatasetGroupArn"),
                                "ForecastFrequency": ("FeaturizationConfig", "ForecastFrequency"),
                                "ForecastDimensions": ("FeaturizationConfig", "ForecastDimensions"),
                            }
                        ),
                        extras=MappingProxyType({"IsAutoPredictor": False}),
                    ),
                    "CreateAutoPredictor": CreateVariant(
                        aliases=MappingProxyType({"DatasetGroupArn": ("DataConfig", "DatasetGroupArn")}),
                        # `predictor/TAXI_TIME_FORECAST_SUBSET_DEMO_01G4GJTP6HNPNVRQ0QVVTPR0T1` (AFS
                        # Forecast_Selected_TimeSeries_Introduction.ipynb, cell 22).
                        arn_has_id=True,
                        extras=MappingProxyType({"IsAutoPredictor": True}),
                        # A new predictor needs these; a retrained one takes them from its reference
                        # (`auto_predictor.py`).
                        requires=("DataConfig", "ForecastHorizon", "ForecastFrequency"),
                    ),
                }
            ),
        ),
        # What the forecast's exports, explainabilities and what-if analyses need from its predictor
        # travels with the forecast.
        "Forecast": Behaviour(
            inherit=MappingProxyType(
                {"DatasetGroupArn": "DatasetGroupArn", "CreatedUsingAutoPredictor": "IsAutoPredictor"}
                | dict(_same(*_SERIES_FIELDS))
            ),
        ),
        "Explainability": Behaviour(
            inherit=_same(*_SERIES_FIELDS),
            auto_predictor_only=True,
            # "CreateExplainability with a Predictor ARN": both granularities must be ALL, and a
            # predictor has at most one explainability (API reference, CreateExplainability).
            parent_requires=MappingProxyType(
                {
                    "Predictor": MappingProxyType(
                        {
                            ("ExplainabilityConfig", "TimeSeriesGranularity"): "ALL",
                            ("ExplainabilityConfig", "TimePointGranularity"): "ALL",
                        }
                    )
                }
            ),
            one_per_parent=("Predictor",),
        ),
        "WhatIfAnalysis": Behaviour(
            inherit=_same(*_SERIES_FIELDS),
            auto_predictor_only=True,
            filter_fields=MappingProxyType({"WhatIfAnalysisArn": (OWN_ARN, "ForecastArn")}),
        ),
        "WhatIfForecast": Behaviour(
            inherit=_same("ForecastArn", *_SERIES_FIELDS),
            filter_fields=MappingProxyType({"WhatIfForecastArn": (OWN_ARN, "WhatIfAnalysisArn")}),
        ),
        "ForecastExportJob": Behaviour(
            duration="job_seconds", defaults=_EXPORT_DEFAULTS, writer=output.forecast_export
        ),
        "PredictorBacktestExportJob": Behaviour(
            duration="job_seconds", defaults=_EXPORT_DEFAULTS, writer=output.backtest_export
        ),
        "ExplainabilityExport": Behaviour(
            duration="job_seconds",
            defaults=_EXPORT_DEFAULTS,
            writer=output.explainability_export,
            filter_fields=MappingProxyType({"ResourceArn": ("ExplainabilityArn",)}),
        ),
        "WhatIfForecastExport": Behaviour(
            duration="job_seconds",
            defaults=_EXPORT_DEFAULTS,
            writer=output.what_if_forecast_export,
            filter_fields=MappingProxyType({"WhatIfForecastExportArn": (OWN_ARN, "WhatIfForecastArns")}),
        ),
    }
)

if set(BEHAVIOUR) != set(KINDS) or any(
    (BEHAVIOUR[noun].writer is not None) != kind.export for noun, kind in KINDS.items()
):  # pragma: no cover - a catalogue change without its emulator behaviour
    raise RuntimeError("kinds.BEHAVIOUR must describe every catalogue kind, with writers for exports")
