"""N dynamic resources that do nothing: the engine's own cost for a stack of that size."""

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class Noop(ResourceProvider):
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("noop", dict(props))


class Thing(Resource):
    def __init__(self, name: str) -> None:
        super().__init__(Noop(), name, {"value": name})


for i in range(pulumi.Config().require_int("count")):
    Thing(f"thing{i}")
