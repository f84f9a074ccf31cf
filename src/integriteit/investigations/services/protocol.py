"""Organisation versions of the investigation protocol: add to the BIPO baseline, never go below
it (seed 002; ADR 0009)."""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from integriteit.accounts.models import RoleAssignment, User
from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Organisation

from ..models import Protocol, ProtocolStep
from ..selectors import baseline, current_protocol
from .errors import StepRefused


def protocol_gaps(protocol: Protocol, base: Protocol) -> list[str]:
    """Why `protocol` goes below `base`: a missing step, a dropped requirement, an earlier
    position or a longer time limit are refused (seed 002: add to, never go below)."""
    steps = {s.code: s for s in protocol.steps.all()}
    gaps = []
    previous_position = -1
    for base_step in base.steps.all():
        step = steps.get(base_step.code)
        if step is None:
            gaps.append(
                _("The baseline step “%(name)s” cannot be removed.") % {"name": _(base_step.name)}
            )
            continue
        for kind in ("required_fields", "required_documents"):
            have = {item["code"] for item in getattr(step, kind)}
            for item in getattr(base_step, kind):
                if item["code"] not in have:
                    gaps.append(
                        _("The requirement “%(label)s” of “%(name)s” cannot be removed.")
                        % {"label": _(item["label"]), "name": _(base_step.name)}
                    )
        if step.position <= previous_position:
            gaps.append(_("Baseline steps keep their order."))
        previous_position = step.position
        if step.responsible_role != base_step.responsible_role:
            gaps.append(
                _("The responsible role of “%(name)s” cannot change.") % {"name": _(base_step.name)}
            )
    return gaps


@transaction.atomic
def derive_protocol(
    user: User,
    organisation: Organisation,
    *,
    extra_steps: Sequence[Mapping] = (),
    extra_requirements: Mapping[str, Sequence[Mapping]] = (),  # type: ignore[assignment]
    drop_steps: Iterable[str] = (),
    drop_requirements: Mapping[str, Iterable[str]] | None = None,
) -> Protocol:
    """A new organisation version of the protocol: the current one plus extra steps (each with a
    position between or after baseline steps) and extra required fields. Dropping a baseline step
    or requirement is refused; the version is not stored then."""
    if not (
        user.is_superuser
        or RoleAssignment.objects.filter(
            user=user, organisation=organisation, role="coordinator"
        ).exists()
    ):
        raise PermissionDenied
    source = current_protocol(organisation)
    version = (
        Protocol.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    protocol = Protocol.objects.create(
        organisation=organisation,
        version=version,
        based_on=baseline(),
        name=_("%(organisation)s protocol")
        % {"organisation": organisation.abbreviation or organisation.name},
    )
    extras = dict(extra_requirements or {})
    dropped = set(drop_steps)
    dropped_fields = {code: set(fields) for code, fields in (drop_requirements or {}).items()}
    taken_codes = {s.code for s in source.steps.all() if s.code not in dropped}
    taken_positions = {s.position for s in source.steps.all() if s.code not in dropped}
    refusals = []
    for extra in extra_steps:
        if extra["code"] in taken_codes:
            refusals.append(_("The code “%(code)s” is already in use.") % {"code": extra["code"]})
        if extra["position"] in taken_positions:
            refusals.append(_("Another step already has this position."))
        taken_codes.add(extra["code"])
        taken_positions.add(extra["position"])
    for code in extras:
        if code not in taken_codes:
            refusals.append(_("This protocol has no step “%(code)s”.") % {"code": code})
    if refusals:
        raise StepRefused(refusals)
    for step in source.steps.all():
        if step.code in dropped:
            continue
        fields = [
            f for f in step.required_fields if f["code"] not in dropped_fields.get(step.code, ())
        ]
        have = {f["code"] for f in fields}
        fields += [f for f in extras.get(step.code, []) if f["code"] not in have]
        ProtocolStep.objects.create(
            protocol=protocol,
            code=step.code,
            position=step.position,
            name=step.name,
            guidance=step.guidance,
            responsible_role=step.responsible_role,
            required_fields=fields,
            required_documents=step.required_documents,
            time_limit_days=step.time_limit_days,
            is_baseline=step.is_baseline,
            deviation_allowed=step.deviation_allowed,
        )
    for extra in extra_steps:
        ProtocolStep.objects.create(protocol=protocol, is_baseline=False, **extra)
    if gaps := protocol_gaps(protocol, baseline()):
        transaction.set_rollback(True)
        raise StepRefused(gaps)
    record(
        Actor.of(user),
        "protocol.derived",
        "organisation",
        organisation.pk,
        {"version": version, "extra_steps": [e["code"] for e in extra_steps]},
    )
    return protocol
