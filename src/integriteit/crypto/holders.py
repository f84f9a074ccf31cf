"""Every model that stores a wrapped data key registers here, from its app's `ready()`.

Re-wrapping after a KEK rotation (`rewrap_keys`) and the check of which KEK versions are still
needed iterate over this registry, so a new module's keys are never forgotten (a forgotten holder
loses its data once the old KEK is retired). crypto imports no domain module: the registrations
come from the later side.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model


@dataclass(frozen=True)
class KeyHolder:
    model: type[Model]
    # The owner bound into the wrapped key's associated data, e.g. "report:<id>".
    owner: Callable[[Any], str]
    wrapped_field: str = "wrapped_key"
    version_field: str = "kek_version"

    @property
    def label(self) -> str:
        return self.model._meta.label

    def wrapped(self):
        """The rows that hold a key: a destroyed key (retention, ADR 0008) has no version."""
        return self.model._default_manager.exclude(**{self.version_field: ""}).exclude(
            **{f"{self.version_field}__isnull": True}
        )


_holders: dict[str, KeyHolder] = {}


def register_key_holder(
    model: type[Model],
    owner: Callable[[Any], str],
    *,
    wrapped_field: str = "wrapped_key",
    version_field: str = "kek_version",
) -> None:
    holder = KeyHolder(model, owner, wrapped_field, version_field)
    _holders[holder.label] = holder


def key_holders() -> tuple[KeyHolder, ...]:
    return tuple(_holders[label] for label in sorted(_holders))


def kek_versions_in_use() -> dict[str, int]:
    """How many stored data keys each KEK version wraps, over every registered holder."""
    counts: dict[str, int] = {}
    for holder in key_holders():
        rows = holder.wrapped().values(holder.version_field).annotate(n=Count("pk"))
        for row in rows.order_by():
            version = row[holder.version_field]
            counts[version] = counts.get(version, 0) + row["n"]
    return counts
