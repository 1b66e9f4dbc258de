"""Local Amazon Forecast emulator: export jobs and their parents, with S3, IAM, STS and KMS by moto.

Run it with `forecast-emulator serve` and point clients at it with
`AWS_ENDPOINT_URL`, or from Python with `Emulator` (see `emulator.py` and
`emulator/README.md`).
"""

from forecast_emulator.emulator import Emulator, RemoteEmulator
from forecast_emulator.seed import Seeded
from forecast_emulator.settings import DEFAULT_ACCOUNT_ID, Settings

# `forecast_emulator.seed` stays the module (seed(), client(), Seeded): no function shadows it here.
__all__ = ["DEFAULT_ACCOUNT_ID", "Emulator", "RemoteEmulator", "Seeded", "Settings"]
