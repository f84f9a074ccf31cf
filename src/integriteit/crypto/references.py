"""Sealed fields and opaque person references on a stored row (docs/decisions/0013).

A reference to a person inside a case (the subject, an interviewee, the colleague of a declared
conflict) is never a user id in the clear. It is stored as two columns:

- `<name>_tag`: a keyed digest of the user id (key outside the database) that differs per kind
  of reference (`tag_for`), so the rows of one person can be found ("is this user the
  subject?", "which interviews are mine?") but a subject's tag cannot be matched with an
  interviewee's, a declared conflict's or an exclusion's;
- `sealed_<name>`: the user id, sealed under the data key of the row's owner and bound to the row
  and field, so whoever may read the case can tell who it is (to show the name, to send mail).

Free text on a row is sealed the same way, bound to the row (`<model>:<pk>`) and the field.
The caller passes the sealer of the owner (a case's data key, or the row's own key); this module
knows no domain model.
"""

from django.db.models import Model

from .envelope import Sealer
from .tokens import person_tag


def record_of(obj: Model) -> str:
    """The record part of a row's associated data: its model and primary key."""
    return f"{obj._meta.model_name}:{obj.pk}"


def seal_field(sealer: Sealer, obj: Model, field: str, text: str) -> None:
    setattr(obj, field, sealer.seal_text(record_of(obj), field, text))


def open_field(sealer: Sealer, obj: Model, field: str) -> str:
    blob = getattr(obj, field)
    if not blob:
        return ""
    return sealer.open_text(record_of(obj), field, bytes(blob))


def tag_for(model: type[Model] | Model, name: str, person_id: int) -> str:
    """The tag of a person in reference `name` of `model` (a class or a row)."""
    return person_tag(person_id, purpose=f"{model._meta.label_lower}.{name}")


def tag_field(name: str) -> str:
    return f"{name}_tag"


def sealed_field(name: str) -> str:
    return f"sealed_{name}"


def refer(sealer: Sealer, obj: Model, name: str, person_id: int | None) -> list[str]:
    """Point reference `name` of a saved row at a person (or at nobody); returns the fields to
    save."""
    if person_id is None:
        setattr(obj, tag_field(name), "")
        setattr(obj, sealed_field(name), None)
    else:
        setattr(obj, tag_field(name), tag_for(obj, name, person_id))
        seal_field(sealer, obj, sealed_field(name), str(person_id))
    return [tag_field(name), sealed_field(name)]


def referred_id(sealer: Sealer, obj: Model, name: str) -> int | None:
    """The user id behind reference `name`, or None when it points at nobody (or was removed)."""
    if not getattr(obj, tag_field(name)):
        return None
    opened = open_field(sealer, obj, sealed_field(name))
    return int(opened) if opened else None
