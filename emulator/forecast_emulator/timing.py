"""AWS's timing (`timing="aws"`, `--timing aws`): how long creation took in recorded runs.

The default timing (`timing="test"`) uses the `*_seconds` settings, made for
tests. With `aws`, each resource's creation takes a duration drawn, from a
hash of its ARN (the same resource, the same duration), between the shortest
and the longest seen in public records, and CREATE_PENDING lasts at most
`PENDING_SECONDS` (recorded 10 s polls show 0 to 2 polls of it, often one).
Stop and delete keep `stop_seconds` and `delete_seconds`.

Sources (AFS: aws-samples/amazon-forecast-samples notebooks with saved
outputs; cloudsploit: aquasecurity/cloudsploit
`plugins/aws/forecast/datasetExportEncrypted.spec.js`): datasets and dataset
groups ACTIVE at once (AFS Forecast_Selected_TimeSeries cells 16, 20);
imports 2-10 min (AFS WhatIf_Analysis cell 24, legacy Tutorial cell 44,
no_code_workshop cell 52); AutoPredictors 10-60 min (Predictor_Monitoring,
Forecast_Selected cell 22, WhatIf cell 26); forecasts 3-27 min (WhatIf cell
28, no_code cell 75, Forecast_Selected cell 26); what-if analyses 10-20 s and
what-if forecasts about 27 min (WhatIf cells 33, 40); exports 2-15 min
(cloudsploit 7 min 38 s and 14 min 39 s; Forecast_Selected cell 28, WhatIf
cell 47, Item_Level_Accuracy cell 20). Explainabilities: no record (our
choice, 5-20 min).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import MappingProxyType

TIMINGS = ("test", "aws")
#: The longest CREATE_PENDING under AWS's timing.
PENDING_SECONDS = 10.0

_MINUTE = 60.0
#: Shortest and longest creation, in seconds, per kind (the catalogue's nouns).
AWS_SECONDS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "DatasetGroup": (0.0, 0.0),
        "Dataset": (0.0, 0.0),
        "DatasetImportJob": (2 * _MINUTE, 10 * _MINUTE),
        "Predictor": (10 * _MINUTE, 60 * _MINUTE),
        "Forecast": (3 * _MINUTE, 27 * _MINUTE),
        "Explainability": (5 * _MINUTE, 20 * _MINUTE),
        "WhatIfAnalysis": (10.0, 20.0),
        "WhatIfForecast": (15 * _MINUTE, 30 * _MINUTE),
        "ForecastExportJob": (2 * _MINUTE, 15 * _MINUTE),
        "PredictorBacktestExportJob": (2 * _MINUTE, 15 * _MINUTE),
        "ExplainabilityExport": (2 * _MINUTE, 15 * _MINUTE),
        "WhatIfForecastExport": (2 * _MINUTE, 15 * _MINUTE),
    }
)


def aws_creation_seconds(noun: str, arn: str) -> float:
    """How long the resource `arn` of kind `noun` takes to create under AWS's timing."""
    low, high = AWS_SECONDS[noun]
    fraction = int.from_bytes(hashlib.sha256(arn.encode()).digest()[:8], "big") / 2**64
    return low + (high - low) * fraction
