from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of SYSTEM.md's table; each is held per organisation."""

    EMPLOYEE = "employee", _("Employee (medewerker)")
    MANAGER = "manager", _("Manager (leidinggevende)")
    COORDINATOR = "coordinator", _("Integrity coordinator (integriteitscoördinator)")
    CONFIDENTIAL_ADVISER = "confidential_adviser", _("Confidential adviser (vertrouwenspersoon)")
    PROCESS_GUIDE = "process_guide", _("Process guide (procesbegeleider)")
    INVESTIGATOR = "investigator", _("Investigator (onderzoeker)")
    COMPETENT_AUTHORITY = "competent_authority", _("Competent authority (bevoegd gezag)")
    BZK_COORDINATOR = "bzk_coordinator", _("Government-wide coordinator (BZK)")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator (beheerder)")
