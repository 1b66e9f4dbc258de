"""Resource trees: which kinds have children, and every descendant of a resource.

The tree is the catalogue's: a resource's children are the resources naming it
as their parent (`ResourceKind.parent_nouns`; a what-if forecast export has
several). That gives the developer guide's hierarchy (`delete-resource.md`):
a dataset has its import jobs; a dataset group its predictors, then their
backtest exports, explainabilities and their exports, forecasts and their
exports; a forecast its exports and explainabilities; an explainability its
exports. Datasets are not in a dataset group's tree (the group lists them; it
is not their parent), as the guide says. What-if analyses, what-if forecasts
and their exports are in no documented tree: here they hang under their
forecast as the catalogue says (our choice).
"""

from __future__ import annotations

from forecast_emulator.store import Resource, Store
from pulumi_aws_forecast.catalog import (
    ACTIVE,
    CREATE_FAILED,
    CREATE_STOPPED,
    DELETING,
    KINDS,
    RUNNING,
    ResourceKind,
)

#: Every status of a resource that still exists.
EXISTING = RUNNING | DELETING | {ACTIVE, CREATE_FAILED, CREATE_STOPPED}

#: Kinds that are some kind's parent: DeleteResourceTree applies to them.
TREE_ROOTS: frozenset[str] = frozenset(noun for kind in KINDS.values() for noun in kind.parent_nouns)


def has_tree(kind: ResourceKind) -> bool:
    return kind.noun in TREE_ROOTS


def descendants(store: Store, resource: Resource, statuses: frozenset[str]) -> list[Resource]:
    """Every resource below `resource`, in one of `statuses`, parents before their children."""
    found: dict[str, Resource] = {}
    level = [resource.arn]
    while level:
        next_level = []
        for arn in level:
            for child in store.children(arn, statuses):
                if child.arn not in found:
                    found[child.arn] = child
                    next_level.append(child.arn)
        level = next_level
    return list(found.values())
