"""botocore's Forecast service model, as the rules (and through them the emulator) read it.

botocore keeps each service's model as `botocore/data/<service>/<api version>/service-2.json[.gz]`;
reading it there skips importing `botocore.loaders` and, through it, botocore's HTTP stack (about
70 ms of every preview's provider start-up). That folder's layout is botocore's own business, so
the read is guarded as every use of another library's internals is (`_versions`): only with the
botocore versions the compatibility matrix tests, and only when nothing can add models to
botocore's search path. Otherwise, or when the folder does not hold what it should, the model is
loaded by `botocore.loaders` (public API): the same document, later, after one warning line.

This module imports nothing from Pulumi and, like `catalog` and `rules`, may be used by the
emulator.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._versions import tested_range, untested, warn_once

if TYPE_CHECKING:  # botocore's model classes are imported when a model is first asked for
    from botocore.model import OperationModel, ServiceModel


def botocore_service_data(service: str) -> dict[str, Any]:
    """botocore's model of `service`: the `service-2` document `botocore.loaders` would return.

    Inside the tested botocore versions, when nothing can add models to botocore's search path
    (AWS_DATA_PATH, ~/.aws/models/<service>), it reads the newest API version's file from
    botocore's own data folder, as the loader would find it. Otherwise, or when that folder does
    not hold what it should, it asks `botocore.loaders`.
    """
    outside = untested("botocore")
    if outside:
        warn_once(
            "botocore-data",
            f"{outside[0]} not tested with reading its data folder "
            f"(tested: {tested_range('botocore')}); "
            f"loading the {service} model through botocore's loader",
        )
        return _loaded_by_botocore(service)
    customer = Path(os.path.expanduser("~/.aws/models")) / service  # as the loader expands it
    if os.environ.get("AWS_DATA_PATH") or customer.exists():
        return _loaded_by_botocore(service)  # the loader's search path may hold another model
    import botocore

    folder = Path(botocore.__file__).parent / "data" / service
    try:
        versions = sorted(
            entry.name
            for entry in folder.iterdir()
            if any((entry / f"service-2.json{suffix}").is_file() for suffix in ("", ".gz"))
        )
        newest = folder / versions[-1]
        if any(newest.glob("service-2.sdk-extras.json*")):
            return _loaded_by_botocore(service)  # extras the loader would merge in
        plain, packed = newest / "service-2.json", newest / "service-2.json.gz"
        text = plain.read_bytes() if plain.is_file() else gzip.decompress(packed.read_bytes())
        data: dict[str, Any] = json.loads(text)
        if not isinstance(data.get("shapes"), dict) or not isinstance(data.get("operations"), dict):
            raise LookupError("no shapes or operations in it")
        return data
    except Exception as error:  # degrade to the loader, never fail over an optimisation
        warn_once(
            "botocore-data",
            f"could not read the {service} model from {folder} ({error}); "
            "loading it through botocore's loader",
        )
        return _loaded_by_botocore(service)


def _loaded_by_botocore(service: str) -> dict[str, Any]:
    from botocore.loaders import create_loader

    data: dict[str, Any] = create_loader(os.environ.get("AWS_DATA_PATH")).load_service_model(
        service, "service-2"
    )
    return data


@functools.cache
def document() -> dict[str, Any]:
    """botocore's Forecast model as the document botocore loads (once per process)."""
    return botocore_service_data("forecast")


@functools.cache
def service_model() -> ServiceModel:
    """botocore's Forecast model, as botocore's `ServiceModel` over the same document."""
    from botocore.model import ServiceModel

    return ServiceModel(document(), service_name="forecast")


def operation_model(operation: str) -> OperationModel:
    return service_model().operation_model(operation)
