"""Changes made through the Django admin enter the audit chain (issue 8 item 5; ADR 0006).

The admin writes a LogEntry for every addition, change and deletion of any ModelAdmin, in the
same transaction as the change. `record_admin_change` turns each into an audit entry: who, which
object, and the labels of the fields and the kinds of inline rows that changed. Never values,
and not the admin's descriptions of objects either (`str()` of a row may name people). A model
whose changes need more context for an auditor registers a `describe` function from its side
(accounts registers the roles a user holds after the change), as `crypto.holders` does.

The bulk "delete selected" action is switched off (`AuditConfig.ready`): Django logs it with
`bulk_create`, which sends no signal, so deleting has to go one object at a time.
"""

import json
from collections.abc import Callable
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import Model

from .services import Actor, record

ACTIONS = {ADDITION: "admin.added", CHANGE: "admin.changed", DELETION: "admin.deleted"}

_describers: dict[type[Model], Callable[[str], dict[str, Any]]] = {}


def register_admin_detail(model: type[Model], describe: Callable[[str], dict[str, Any]]) -> None:
    """`describe(object_id)` adds context to the audit entry of an admin change of `model`: ids
    and codes only, never contents, names or secrets."""
    _describers[model] = describe


def _changes(change_message: str) -> dict[str, Any]:
    """Field labels and inline row kinds from the admin's JSON change message."""
    try:
        messages = json.loads(change_message or "[]")
    except ValueError:
        return {}
    fields: list[str] = []
    rows: list[dict[str, Any]] = []
    for message in messages if isinstance(messages, list) else ():
        for change, about in message.items():
            if "name" in about:  # an inline row: what kind, and which fields of it
                rows.append({change: about["name"], "fields": about.get("fields", [])})
            else:
                fields += about.get("fields", [])
    return {key: value for key, value in (("fields", fields), ("rows", rows)) if value}


def record_admin_change(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    content_type = instance.content_type
    assert content_type is not None  # the admin always logs the model
    detail = _changes(instance.change_message)
    describe = _describers.get(content_type.model_class())  # type: ignore[arg-type]
    if describe is not None:
        detail.update(describe(str(instance.object_id)))
    record(
        Actor.of(instance.user),
        ACTIONS[instance.action_flag],
        f"{content_type.app_label}.{content_type.model}",
        instance.object_id,
        detail,
    )
