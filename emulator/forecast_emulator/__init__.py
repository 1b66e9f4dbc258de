"""Local Amazon Forecast emulator: Forecast export jobs and their parents, with S3, IAM, STS and KMS.

forecast-emulator serve --port 4566          # then AWS_ENDPOINT_URL=http://127.0.0.1:4566

from forecast_emulator import Emulator
with Emulator(job_seconds=0.5) as emu:
    emu.endpoint_url, emu.seed(), emu.counters(), emu.configure(export_quota=1)
"""

from forecast_emulator.emulator import Emulator, RemoteEmulator
from forecast_emulator.seed import Seeded, seed
from forecast_emulator.settings import DEFAULT_ACCOUNT_ID, Settings

__all__ = ["DEFAULT_ACCOUNT_ID", "Emulator", "RemoteEmulator", "Seeded", "Settings", "seed"]
