"""The package schema the plugin answers GetSchema with.

The schema (descriptions, provider configuration types, language settings) is generated from the
resources' descriptions into `schema.json` beside this module by `make generate`
(`tools/schema.py`), committed, and shipped in the wheel; the plugin serves that file.
"""

from __future__ import annotations

import functools
from importlib import metadata, resources

#: The Pulumi package name: resource tokens are `aws-forecast:forecast:<Noun>`, the plugin's
#: executable `pulumi-resource-aws-forecast`, the configuration keys `aws-forecast:<key>`.
PACKAGE = "aws-forecast"
MODULE = "forecast"


@functools.cache
def schema_text() -> str:
    """schema.json's text."""
    return resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")


def version() -> str:
    """The installed distribution's version: the plugin's and the schema's."""
    try:
        return metadata.version("pulumi-aws-forecast")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "0.0.0"
