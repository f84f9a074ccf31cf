"""Persons referred to inside a case, as references that identify nobody without the keys
(docs/decisions/0013-opaque-person-references.md).

A reference `name` on a row is a keyed tag (`<name>_tag`, for lookups) plus the user id sealed
under the data key of the row's owner (`sealed_<name>`, for those who may read the case): the
case's key for case records (`obj.report`), the row's own key for rows registered in
`integriteit.crypto.holders` (a declared conflict belongs to no case).
"""

from collections.abc import Iterable

from django.db.models import Model

from integriteit.accounts.models import User
from integriteit.crypto import references
from integriteit.crypto.envelope import Sealer
from integriteit.crypto.holders import key_holders, row_sealer
from integriteit.reports.sealing import sealer_for


def tag_for(model: type[Model] | Model, name: str, user: User) -> str:
    """The tag under which `user` is found in reference `name` of `model`."""
    return references.tag_for(model, name, user.pk)


def sealer_of(obj: Model) -> Sealer:
    if obj._meta.label in {holder.label for holder in key_holders()}:
        return row_sealer(obj)
    return sealer_for(obj.report)  # type: ignore[attr-defined]


def refer(obj: Model, name: str, person: User | None, sealer: Sealer | None = None) -> None:
    """Point reference `name` of the saved row `obj` at `person` (None: at nobody) and save it."""
    fields = references.refer(
        sealer or sealer_of(obj), obj, name, person.pk if person is not None else None
    )
    obj.save(update_fields=fields)


def person_id_of(obj: Model, name: str) -> int | None:
    if not getattr(obj, references.tag_field(name)):
        return None  # no person: no key is needed to know that
    return references.referred_id(sealer_of(obj), obj, name)


def person_of(obj: Model, name: str) -> User | None:
    person_id = person_id_of(obj, name)
    return User.objects.filter(pk=person_id).select_related("unit").first() if person_id else None


def people_of(objs: Iterable[Model], name: str) -> dict[int, User]:
    """The person behind reference `name` of each row that has one, by the row's pk (one query
    for the users)."""
    ids = {obj.pk: person_id_of(obj, name) for obj in objs}
    users = User.objects.select_related("unit").in_bulk([i for i in ids.values() if i])
    return {pk: users[i] for pk, i in ids.items() if i in users}
