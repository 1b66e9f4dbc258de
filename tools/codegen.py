"""Generate the resource classes, the package's names, the README's tables and the plugin's schema.

    python -m tools.codegen           # rewrite _generated.py, __init__.py's names, the README tables
                                      # and schema.json (the provider plugin's package schema)
    python -m tools.codegen --check   # exit 1 when any is out of date

All of them come from `_schema.py` and the catalogue; schema.json is rendered by `tools/schema.py`.

`make generate` runs it and `make lint` checks it; a unit test fails when the committed
files and the descriptions disagree. It is a development tool, not part of the shipped
package: it reads botocore's model classes and formats its output with ruff, so the
generated module passes `ruff format --check` as it is.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from botocore.model import Shape, StructureShape

from pulumi_aws_forecast import _schema
from pulumi_aws_forecast.catalog import EXPORT_KINDS, ResourceKind
from pulumi_aws_forecast.model import operation_model

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "provider" / "pulumi_aws_forecast"
GENERATED = PACKAGE / "_generated.py"
INIT = PACKAGE / "__init__.py"
README = REPO / "README.md"
BEGIN = "<!-- generated from _schema.py by `make generate`: {name} -->"
END = "<!-- end of generated {name} -->"


def _shape_name(kind: ResourceKind, api: tuple[str, ...]) -> str:
    """The botocore shape name of a nested API member: ("Destination",) -> "DataDestination"."""
    shape: Shape | None = operation_model(kind.create_operation).input_shape
    for member in api:
        assert isinstance(shape, StructureShape)
        shape = shape.members[member]
    assert shape is not None
    return str(shape.name)


def _nested(kind: ResourceKind) -> dict[tuple[str, ...], str]:
    """Every Pulumi path prefix that is an object -> the Args class describing it."""
    found: dict[tuple[str, ...], str] = {}
    for item in _schema.inputs(kind):
        if item.api is None:
            continue
        for n in range(1, len(item.path)):
            found[item.path[:n]] = _shape_name(kind, item.api[:n]) + "Args"
    return found


def _input_type(python_type: str) -> str:
    if python_type.startswith("list["):
        inner = python_type[5:-1]
        return f"pulumi.Input[Sequence[pulumi.Input[{inner}]]]"
    if python_type.startswith("dict["):
        return "pulumi.Input[Mapping[str, pulumi.Input[str]]]"
    return f"pulumi.Input[{python_type}]"


def _doc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _docstring(text: str, indent: str = "    ") -> list[str]:
    """A docstring, wrapped to the line length (the closing quotes on a line of their own when long)."""
    lines = textwrap.wrap(_doc(text), width=100 - len(indent), break_on_hyphens=False)
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" for line in lines[1:]), f'{indent}"""']


def _code_docstring(paragraphs: list[str | list[str]], indent: str = "    ") -> list[str]:
    """A docstring of wrapped text paragraphs and verbatim blocks (lists of lines, such as code)."""
    lines = [f'{indent}"""']
    for n, paragraph in enumerate(paragraphs):
        if n:
            lines.append("")
        if isinstance(paragraph, list):
            lines += [f"{indent}{line}".rstrip() for line in paragraph]
        else:
            wrapped = textwrap.wrap(_doc(paragraph), width=100 - len(indent), break_on_hyphens=False)
            lines += [f"{indent}{line}" for line in wrapped]
    lines[0] += lines.pop(1).lstrip()
    return [*lines, f'{indent}"""']


def _example(kind: ResourceKind) -> list[str]:
    """The class docstring's Example Usage: a program that runs (a unit test runs it with mocks)."""
    parent_arn = f'"arn:aws:forecast:us-east-1:123456789012:{kind.parent_arn_types[0]}/demand"'
    parent = f"[{parent_arn}]" if kind.parent_is_list else parent_arn
    return [
        "```python",
        "import pulumi",
        "from pulumi_aws_forecast import (",
        "    DataDestinationArgs,",
        f"    {kind.noun},",
        f"    {kind.noun}Args,",
        "    S3ConfigArgs,",
        ")",
        "",
        f"job = {kind.noun}(",
        '    "example",',
        f"    {kind.noun}Args(",
        f"        {kind.parent_property}={parent},",
        "        destination=DataDestinationArgs(",
        "            s3_config=S3ConfigArgs(",
        '                path="s3://example-bucket/exports/",',
        '                role_arn="arn:aws:iam::123456789012:role/forecast-export",',
        "            ),",
        "        ),",
        '        tags={"team": "demand"},',
        "    ),",
        ")",
        'pulumi.export("arn", job.arn)',
        "```",
    ]


def _resource_doc(kind: ResourceKind) -> list[str]:
    outputs = ", ".join(f"`{o.name}`" for o in _schema.outputs(kind))
    return _code_docstring(
        [
            f"{kind.summary} Forecast API: {kind.create_operation}. Inputs: `{kind.noun}Args` (or "
            f"`{kind.noun}ArgsDict`, or the same names as keyword arguments). Outputs: every input, "
            f"and {outputs}. The type token is `pulumi-python:dynamic/forecast:{kind.noun}`; the id "
            "is the job's ARN.",
            "## Example Usage",
            _example(kind),
            "## Import and Adoption",
            "`pulumi import` does not work for dynamic resources (the engine has no provider for the "
            "`pulumi-python:dynamic` type to read it with). To take an existing job over, declare it "
            "with its `name` and settings and `adopt=True` (or `adopt_from=<owner>` when another "
            "stack manages it): see the README's Adoption section. To reference an existing job "
            f'without managing it, `{kind.noun}.get("name", arn)` reads it by its ARN.',
        ]
    )


def _fields(children: dict[str, tuple[str, str, bool]], dataclass_: bool) -> list[str]:
    """The fields of a nested Args class or Dict, the required ones first."""
    lines: list[str] = []
    for required in (True, False):
        for child, (annotation, rule, needed) in children.items():
            if needed is not required:
                continue
            if dataclass_:
                default = "" if needed else " | None = None"
                lines += [f"    {child}: {annotation}{default}", *_docstring(rule)]
            else:
                typed = f"Required[{annotation}]" if needed else f"{annotation} | None"
                lines += [f"    {child}: {typed}", *_docstring(rule)]
    return lines


def render_module() -> str:
    lines = [
        "# Generated from _schema.py by `make generate`: do not edit.",
        '"""The export resources and their Args, generated from their descriptions in `_schema.py`.',
        "",
        "Each input type comes in two forms, as in pulumi-aws's SDK: `XArgs`, a class (positional or",
        "keyword fields), and `XArgsDict`, a TypedDict (a dict literal).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping, Sequence",
        "from dataclasses import dataclass",
        "from typing import Any, Required, TypedDict, Unpack, overload",
        "",
        "import pulumi",
        "",
        "from ._resources import ExportJob, resource_args_opts",
        "",
    ]
    # Nested Args classes (the same shapes for every kind: the first kind's are generated).
    kind = EXPORT_KINDS[0]
    nested = _nested(kind)
    for prefix in sorted(nested, key=len, reverse=True):
        name = nested[prefix]
        children: dict[str, tuple[str, str, bool]] = {}
        for item in _schema.inputs(kind):
            if item.path[: len(prefix)] != prefix or len(item.path) <= len(prefix):
                continue
            child = item.path[len(prefix)]
            if len(item.path) == len(prefix) + 1:
                children[child] = (_input_type(item.python_type), item.rule, item.required)
            else:
                sub = nested[item.path[: len(prefix) + 1]]
                children.setdefault(
                    child,
                    (f"pulumi.Input[{sub}] | pulumi.Input[{sub}Dict]", f"see `{sub}`", True),
                )
        path = ".".join(prefix)
        lines += ["", f"class {name}Dict(TypedDict, total=False):", f'    """`{path}`, as a dict."""', ""]
        lines += _fields(children, dataclass_=False)
        lines += ["", "", "@dataclass", f"class {name}:", f'    """`{path}`."""', ""]
        lines += _fields(children, dataclass_=True)
        lines.append("")
    for kind in EXPORT_KINDS:
        nested = _nested(kind)
        fields: dict[str, tuple[str, str, bool]] = {}
        for top in _schema.tops(kind):
            items = [i for i in _schema.inputs(kind) if i.top == top]
            if (top,) in nested:
                cls = nested[(top,)]
                annotation = f"pulumi.Input[{cls}] | pulumi.Input[{cls}Dict]"
                rule = f"where the files go: see `{cls}`"
                required = any(i.required for i in items)
            else:
                [item] = items
                annotation, rule, required = _input_type(item.python_type), item.rule, item.required
                if item.change == "replace" and "replaces" not in rule:
                    rule += ". A change replaces the job."
                elif item.change == "update":
                    rule += ". A change is made in place."
            fields[top] = (annotation, rule, required)
        noun = kind.noun
        lines += [
            "",
            f"class {noun}ArgsDict(TypedDict, total=False):",
            f'    """The inputs of `{noun}`, as a dict."""',
            "",
        ]
        for top, (annotation, rule, required) in fields.items():
            typed = f"Required[{annotation}]" if required else f"{annotation} | None"
            lines += [f"    {top}: {typed}", *_docstring(rule)]
        lines += [
            "",
            "",
            "@dataclass(kw_only=True)",
            f"class {noun}Args:",
            *_docstring(
                f"The inputs of `{noun}`: `{noun}(resource_name, {noun}Args(...), opts)`. "
                "The same names are accepted as keyword arguments of the resource."
            ),
            "",
        ]
        lines += _fields(fields, dataclass_=True)
        parent = kind.parent_property
        parent_type = _schema.inputs(kind)[0].python_type
        lines += [
            "",
            "",
            f'class {noun}(ExportJob, module="forecast", name="{noun}"):',
            *_resource_doc(kind),
            "",
            f"    {parent}: pulumi.Output[{parent_type}]",
            "",
            "    @overload",
            "    def __init__(",
            "        self,",
            "        resource_name: str,",
            f"        args: {noun}Args | {noun}ArgsDict,",
            "        opts: pulumi.ResourceOptions | None = None,",
            "    ) -> None: ...",
            "",
            "    @overload",
            "    def __init__(",
            "        self,",
            "        resource_name: str,",
            "        *,",
            "        opts: pulumi.ResourceOptions | None = None,",
            f"        **args: Unpack[{noun}ArgsDict],",
            "    ) -> None: ...",
            "",
            "    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:",
            f'        inputs, opts = resource_args_opts("{noun}", {noun}Args, args, kwargs)',
            f'        super().__init__("{noun}", resource_name, inputs, opts)',
            "",
        ]
    return "\n".join(lines) + "\n"


def _names() -> list[str]:
    """What the package exports: every export kind's resource and Args, and the nested Args."""
    nested = _nested(EXPORT_KINDS[0]).values()
    args = [f"{k.noun}Args" for k in EXPORT_KINDS]
    return sorted(
        {
            *nested,
            *(f"{n}Dict" for n in nested),
            *(k.noun for k in EXPORT_KINDS),
            *args,
            *(f"{a}Dict" for a in args),
        }
    )


def render_init(init: str) -> str:
    """The package's `__init__.py` with its lazily imported names, from the catalogue."""
    begin = "# Generated from the catalogue by `make generate` (tools/codegen.py): do not edit the names.\n"
    end = "# End of the generated names."
    found = re.search(re.escape(begin) + r".*?" + re.escape(end), init, re.S)
    if found is None:
        raise SystemExit(f"__init__.py has no generated section (marker {begin!r})")
    names = _names()
    block = [
        begin + "if TYPE_CHECKING:",
        "    from ._generated import (",
        *(f"        {name}," for name in names),
        "    )",
        "",
        "__all__ = [",
        *(f'    "{name}",' for name in names),
        "]",
        end,
    ]
    return init[: found.start()] + "\n".join(block) + init[found.end() :]


def format_python(text: str) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run(
        [str(ruff), "format", "--stdin-filename", str(GENERATED), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _source(api: str | None) -> str:
    if api is None:
        return "ListTagsForResource"
    return "`<Resource>Arn`" if api == EXPORT_KINDS[0].arn_member else f"`{api}`"


def render_tables() -> dict[str, str]:
    """The README's generated tables, by name."""
    kinds = [
        "| resource | exports | parent input | Forecast API |",
        "|---|---|---|---|",
        *(
            f"| `{k.noun}` | {_cell(k.summary)} | `{k.parent_property}` | `{k.create_operation}` |"
            for k in EXPORT_KINDS
        ),
    ]
    change = {"replace": "replace", "update": "update in place", "none": "none"}
    rows = [
        "| input | required | rule (checked at preview) | on change |",
        "|---|---|---|---|",
    ]
    for kind in EXPORT_KINDS:
        parent = _schema.inputs(kind)[0]
        rows.append(
            f"| `{parent.name}` ({kind.noun}) | yes | {_cell(parent.rule)} | {change[parent.change]} |"
        )
    for item in _schema.inputs(EXPORT_KINDS[0])[1:]:
        required = "yes" if item.required else "no"
        rows.append(f"| `{item.name}` | {required} | {_cell(item.rule)} | {change[item.change]} |")
    outs = [
        "| output | from | meaning |",
        "|---|---|---|",
        *(f"| `{o.name}` | {_source(o.api)} | {_cell(o.doc)} |" for o in _schema.outputs(EXPORT_KINDS[0])),
    ]
    return {"resources": "\n".join(kinds), "inputs": "\n".join(rows), "outputs": "\n".join(outs)}


def render_readme(readme: str) -> str:
    for name, table in render_tables().items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        found = re.search(re.escape(begin) + r".*?" + re.escape(end), readme, re.S)
        if found is None:
            raise SystemExit(f"README.md has no generated section {name!r} (markers {begin!r})")
        readme = f"{readme[: found.start()]}{begin}\n{table}\n{end}{readme[found.end() :]}"
    return readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a generated file is out of date")
    args = parser.parse_args(argv)
    from tools import schema  # it reads this module's helpers: imported here, not at the top

    module = format_python(render_module())
    files = {
        GENERATED: module,
        README: render_readme(README.read_text()),
        INIT: render_init(INIT.read_text()),
        schema.SCHEMA: schema.render(),
    }
    stale = [path for path, new in files.items() if not path.exists() or path.read_text() != new]
    if args.check:
        for path in stale:
            print(f"{path.name} is out of date: run `make generate`")
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path])
        print(f"rewrote {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
