"""The Pulumi package schema of the `aws-forecast` provider plugin, from `_schema.py` and the catalogue.

`tools/codegen.py` writes it to `provider/pulumi_aws_forecast/schema.json` (`make generate`, checked
by `make lint`); the plugin answers GetSchema with that file and `make sdk` generates the TypeScript,
Python and Go SDKs from it. Each export kind is one resource, `aws-forecast:forecast:<Noun>`, with
the inputs and outputs its description lists, in camelCase, its rules as descriptions, and
`replaceOnChanges` on the inputs whose change replaces the job. The provider's configuration keys are
named and shaped as pulumi-aws's own (`aws:region`, `aws:assumeRoles`, ...), so a stack's `aws:`
settings carry over to `aws-forecast:` unchanged.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pulumi_aws_forecast import _schema
from pulumi_aws_forecast._names import camel
from pulumi_aws_forecast._plugin_schema import MODULE, PACKAGE
from pulumi_aws_forecast.catalog import EXPORT_KINDS, ResourceKind
from tools.codegen import _nested

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "provider" / "pulumi_aws_forecast" / "schema.json"

#: The SDKs' names: the Python SDK is `pulumi_aws_forecast_sdk` so that it never shadows the
#: dynamic resources' `pulumi_aws_forecast`; the npm package and the Go module are the project's.
PYTHON_PACKAGE = "pulumi_aws_forecast_sdk"
NODE_PACKAGE = "@pulumi-aws-forecast/aws-forecast"
GO_IMPORT_BASE = "github.com/pulumi-aws-forecast/pulumi-aws-forecast/sdk/go/awsforecast"
#: The oldest Pulumi SDK the generated SDKs declare (the generators' own floor).
PULUMI_PYTHON = ">=3.142.0,<4.0.0"
PULUMI_NODE = "^3.142.0"

Spec = dict[str, Any]


def _token(name: str, module: str = MODULE) -> str:
    return f"{PACKAGE}:{module}:{name}"


def _ref(token: str) -> Spec:
    return {"$ref": f"#/types/{token}"}


_STRING: Spec = {"type": "string"}
_STRINGS: Spec = {"type": "array", "items": {"type": "string"}}
_STRING_MAP: Spec = {"type": "object", "additionalProperties": {"type": "string"}}


def _type(python_type: str) -> Spec:
    """The schema type of a description's Python type."""
    types: dict[str, Spec] = {
        "str": _STRING,
        "str | None": _STRING,
        "bool": {"type": "boolean"},
        "list[str]": _STRINGS,
        "dict[str, str]": _STRING_MAP,
    }
    return dict(types[python_type])


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _input_doc(item: _schema.Input) -> str:
    doc = _sentence(item.rule).replace("`True`", "`true`")  # the rules are written for Python
    if item.change == "replace" and "replaces" not in item.rule:
        doc += " A change replaces the job."
    elif item.change == "update":
        doc += " A change is made in place."
    return doc


def _object_name(kind: ResourceKind, path: tuple[str, ...]) -> str:
    """The type name of a nested input object: the botocore shape's name (`DataDestination`, `S3Config`)."""
    return _nested(kind)[path].removesuffix("Args")


def _object_types(kind: ResourceKind) -> dict[str, Spec]:
    """The nested input objects (`destination`, `destination.s3Config`), as schema types."""
    types: dict[str, Spec] = {}
    for prefix in sorted(_nested(kind), key=len):
        properties: Spec = {}
        required: list[str] = []
        for item in _schema.inputs(kind):
            if item.path[: len(prefix)] != prefix or len(item.path) <= len(prefix):
                continue
            child = item.path[len(prefix)]
            name = camel(child)
            if len(item.path) == len(prefix) + 1:
                properties[name] = {**_type(item.python_type), "description": _sentence(item.rule)}
                needed = item.required
            else:
                sub = _object_name(kind, item.path[: len(prefix) + 1])
                properties.setdefault(name, {**_ref(_token(sub)), "description": f"See `{sub}`."})
                below = item.path[: len(prefix) + 1]
                needed = any(i.required for i in _schema.inputs(kind) if i.path[: len(below)] == below)
            if needed and name not in required:
                required.append(name)
        types[_token(_object_name(kind, prefix))] = {
            "description": f"`{'.'.join(camel(p) for p in prefix)}`: where the job writes its files.",
            "type": "object",
            "properties": properties,
            "required": required,
        }
    return types


def _resource(kind: ResourceKind) -> Spec:
    inputs: Spec = {}
    required_inputs: list[str] = []
    replacing = set(_schema.replacing(kind))
    for top in _schema.tops(kind):
        items = [i for i in _schema.inputs(kind) if i.top == top]
        name = camel(top)
        if len(items) == 1 and len(items[0].path) == 1:
            [item] = items
            prop = {**_type(item.python_type), "description": _input_doc(item)}
        else:
            type_name = _object_name(kind, (top,))
            prop = {**_ref(_token(type_name)), "description": f"Where the files go: see `{type_name}`."}
            if top in replacing:
                prop["description"] += " A change of any of it replaces the job."
        if top in replacing:
            prop["replaceOnChanges"] = True
        inputs[name] = prop
        if any(i.required for i in items):
            required_inputs.append(name)
    outputs: Spec = {
        camel(o.name): {**_type(o.python_type), "description": _sentence(o.doc)}
        for o in _schema.outputs(kind)
    }
    # The state always holds the parent and destination, the format (defaulted), the name (autonamed)
    # and every output but the service's message.
    always = [*required_inputs, "format", "name", *(k for k in outputs if k != "message")]
    return {
        "description": (
            f"{kind.summary} Forecast API: `{kind.create_operation}`. The id is the job's ARN. "
            "A job cannot change once created: a change of any input but `tags` replaces it; "
            "`pulumi up` waits until it is `ACTIVE`."
        ),
        "inputProperties": inputs,
        "requiredInputs": required_inputs,
        "properties": {**inputs, **outputs},
        "required": always,
    }


# --- Provider configuration: pulumi-aws's keys and shapes -----------------------------------------

_ASSUME_ROLE = _token("ProviderAssumeRole", "index")
_DEFAULT_TAGS = _token("ProviderDefaultTags", "index")
_IGNORE_TAGS = _token("ProviderIgnoreTags", "index")
_ENDPOINT = _token("ProviderEndpoint", "index")


def _config_types() -> dict[str, Spec]:
    def obj(description: str, properties: dict[str, tuple[Spec, str]]) -> Spec:
        return {
            "description": description,
            "type": "object",
            "properties": {name: {**spec, "description": doc} for name, (spec, doc) in properties.items()},
        }

    return {
        _ASSUME_ROLE: obj(
            "A role to assume before calling AWS, as pulumi-aws's `assumeRoles` entries.",
            {
                "duration": (_STRING, "How long the session lasts, 15 minutes to 12 hours (`1h`, `90m`)."),
                "externalId": (_STRING, "The external id the role's trust policy may require."),
                "policy": (_STRING, "An IAM policy (JSON) that narrows the session's permissions."),
                "policyArns": (_STRINGS, "ARNs of IAM policies that narrow the session's permissions."),
                "roleArn": (_STRING, "The ARN of the role to assume."),
                "sessionName": (_STRING, "The role session's name."),
                "sourceIdentity": (_STRING, "The source identity of the session."),
                "tags": (_STRING_MAP, "Session tags."),
                "transitiveTagKeys": (_STRINGS, "Keys of the session tags passed on to later role chains."),
            },
        ),
        _DEFAULT_TAGS: obj(
            "Tags put on every job the provider creates, as pulumi-aws's `defaultTags`.",
            {"tags": (_STRING_MAP, "The tags; a job's own `tags` win over these.")},
        ),
        _IGNORE_TAGS: obj(
            "Tags the provider leaves alone (neither read nor changed), as pulumi-aws's `ignoreTags`.",
            {
                "keys": (_STRINGS, "Tag keys to ignore."),
                "keyPrefixes": (_STRINGS, "Prefixes of tag keys to ignore."),
            },
        ),
        _ENDPOINT: obj(
            "Service endpoints to use instead of AWS's, as pulumi-aws's `endpoints` entries "
            "(a local Forecast emulator, a VPC endpoint).",
            {
                "forecast": (_STRING, "The Amazon Forecast endpoint URL."),
                "sts": (_STRING, "The AWS STS endpoint URL (account checks, assumed roles)."),
            },
        ),
    }


def _config_variables() -> Spec:
    def var(spec: Spec, doc: str, secret: bool = False) -> Spec:
        return {**spec, "description": doc, **({"secret": True} if secret else {})}

    return {
        "region": var(_STRING, "The AWS region of the jobs (else `AWS_REGION`, the profile's region)."),
        "profile": var(_STRING, "The profile of the shared config and credentials files to use."),
        "sharedCredentialsFiles": var(_STRINGS, "Shared credentials files (default `~/.aws/credentials`)."),
        "sharedConfigFiles": var(_STRINGS, "Shared config files (default `~/.aws/config`)."),
        "accessKey": var(_STRING, "An AWS access key id."),
        "secretKey": var(_STRING, "The secret access key of `accessKey`.", secret=True),
        "token": var(_STRING, "A session token, for temporary credentials.", secret=True),
        "assumeRoles": var(
            {"type": "array", "items": _ref(_ASSUME_ROLE)},
            "Roles to assume, in order, before calling AWS.",
        ),
        "allowedAccountIds": var(_STRINGS, "The only AWS accounts the provider may act in."),
        "forbiddenAccountIds": var(_STRINGS, "AWS accounts the provider must not act in."),
        "endpoints": var(
            {"type": "array", "items": _ref(_ENDPOINT)},
            'Service endpoints to use instead of AWS\'s, e.g. `[{"forecast": "http://localhost:4566"}]`.',
        ),
        "skipCredentialsValidation": var(
            {"type": "boolean"}, "Do not check the credentials with STS GetCallerIdentity."
        ),
        "maxRetries": var({"type": "integer"}, "How many times an AWS request is tried before it fails."),
        "defaultTags": var(_ref(_DEFAULT_TAGS), "Tags put on every job the provider creates."),
        "ignoreTags": var(_ref(_IGNORE_TAGS), "Tags the provider neither reads nor changes."),
    }


def _version() -> str:
    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


_PLUGIN = (
    "It drives the `aws-forecast` provider plugin, which `pip install pulumi-aws-forecast` puts on the "
    "virtualenv's PATH as `pulumi-resource-aws-forecast`."
)
_PYTHON_README = f"""# {PYTHON_PACKAGE}

The Python SDK of the `aws-forecast` Pulumi provider plugin, generated from its schema like the
TypeScript and Go SDKs: `{PYTHON_PACKAGE}.forecast.ForecastExportJob` and the other export resources
(type tokens `aws-forecast:forecast:*`), explicit providers (`{PYTHON_PACKAGE}.Provider`) and
`pulumi import`. {_PLUGIN}

Python programs that want no plugin use `pulumi_aws_forecast` instead: the same four resources as
dynamic resources, with zero setup, over the same lifecycle.
"""
_NODE_README = f"""# {NODE_PACKAGE}

The TypeScript SDK of the `aws-forecast` Pulumi provider plugin, generated from its schema:
`forecast.ForecastExportJob` and the other export resources (type tokens `aws-forecast:forecast:*`),
explicit providers (`Provider`) and `pulumi import`. {_PLUGIN}
"""


def render_schema() -> Spec:
    """The package schema, as a JSON-ready dict."""
    config = _config_variables()
    types: dict[str, Spec] = dict(_config_types())
    for kind in EXPORT_KINDS:
        types.update(_object_types(kind))
    return {
        "name": PACKAGE,
        "displayName": "AWS Forecast exports",
        "version": _version(),
        "description": (
            "Amazon Forecast export jobs (forecast, predictor backtest, explainability and what-if "
            "forecast exports) as Pulumi resources."
        ),
        "keywords": ["pulumi", "aws", "forecast", "category/cloud", "kind/native"],
        "license": "Apache-2.0",
        "publisher": "pulumi-aws-forecast",
        # supportPack: the Go SDK gets its own go.mod, the SDKs take their version from here.
        "meta": {"moduleFormat": "(.*)", "supportPack": True},
        "config": {"variables": config},
        "provider": {
            "description": (
                "The aws-forecast provider: one AWS account, region and set of credentials. "
                "Its inputs are the `aws-forecast:` configuration keys, named as pulumi-aws's."
            ),
            "inputProperties": config,
            "properties": {"region": config["region"], "profile": config["profile"]},
        },
        "types": dict(sorted(types.items())),
        "resources": {_token(kind.noun): _resource(kind) for kind in EXPORT_KINDS},
        "language": {
            "python": {
                "packageName": PYTHON_PACKAGE,
                "readme": _PYTHON_README,
                "requires": {"pulumi": PULUMI_PYTHON},
                "pyproject": {"enabled": True},
                "respectSchemaVersion": True,
            },
            "nodejs": {
                "packageName": NODE_PACKAGE,
                "readme": _NODE_README,
                "dependencies": {"@pulumi/pulumi": PULUMI_NODE},
                "respectSchemaVersion": True,
            },
            "go": {
                "importBasePath": GO_IMPORT_BASE,
                "generateResourceContainerTypes": True,
                "respectSchemaVersion": True,
            },
        },
    }


def render() -> str:
    """schema.json's text."""
    return json.dumps(render_schema(), indent=2) + "\n"
