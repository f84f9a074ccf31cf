"""Every model that stores a wrapped data key registers here, from its app's `ready()`.

Re-wrapping after a KEK rotation (`rewrap_keys`) and the check of which KEK versions are still
needed iterate over this registry, so a new module's keys are never forgotten (a forgotten holder
loses its data once the old KEK is retired). crypto imports no domain module: the registrations
come from the later side.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Model

if TYPE_CHECKING:  # envelope imports keycheck, which imports this module
    from .envelope import Sealer


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


def destroy_key(obj: Model) -> None:
    """Crypto-shredding (retention, ADR 0008): the row's wrapped data key and its KEK version
    go, so no ciphertext under that key can be opened again, wherever a copy of it survives."""
    holder = _holder_of(obj)
    cleared = {holder.wrapped_field: b"", holder.version_field: ""}
    holder.model._default_manager.filter(pk=obj.pk).update(**cleared)
    for name, value in cleared.items():
        setattr(obj, name, value)


def _holder_of(obj: Model) -> KeyHolder:
    try:
        return _holders[obj._meta.label]
    except KeyError:
        raise LookupError(f"{obj._meta.label} is not a registered key holder.") from None


def new_row_sealer(obj: Model) -> "Sealer":
    """A fresh data key for a saved holder row (its id is bound into the key); the caller saves
    the wrapped key and version fields with the ciphertexts."""
    from .envelope import Sealer

    holder = _holder_of(obj)
    sealer, wrapped = Sealer.new(holder.owner(obj))
    setattr(obj, holder.wrapped_field, wrapped.ciphertext)
    setattr(obj, holder.version_field, wrapped.kek_version)
    return sealer


def row_sealer(obj: Model) -> "Sealer":
    """The sealer of a holder row under its own data key."""
    from .envelope import DecryptionError, Sealer, WrappedKey

    holder = _holder_of(obj)
    wrapped = getattr(obj, holder.wrapped_field)
    if not wrapped:
        raise DecryptionError(f"{holder.label} {obj.pk} has no data key.")
    return Sealer.from_wrapped(
        WrappedKey(bytes(wrapped), getattr(obj, holder.version_field)), holder.owner(obj)
    )
