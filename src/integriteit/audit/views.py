from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from integriteit.access.rules import can_read_audit_trail
from integriteit.accounts.decorators import staff_required

from .models import AuditEntry
from .services import verify_against_anchors


@staff_required
def trail(request):
    """The audit trail for auditors: who did what to which object when; never contents.
    Newest first: entries not chained yet (they have no sequence) on top, in recording order."""
    if not can_read_audit_trail(request.user):
        raise Http404
    entries = AuditEntry.objects.order_by(F("sequence").desc(nulls_first=True), "-pk")
    object_id = request.GET.get("object", "").strip()
    if "\x00" in object_id:  # no id has one, and PostgreSQL refuses it in a query (a 500)
        messages.warning(request, _("This is not an object id; all entries are shown."))
        object_id = ""
    if object_id:
        entries = entries.filter(object_id=object_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    chain = verify_against_anchors()[0] if request.GET.get("verify") else None
    return render(
        request, "audit/trail.html", {"page": page, "chain": chain, "object_id": object_id}
    )
