from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Layers of government (SYSTEM.md module 1)."""

    RIJK = "rijk", _("Central government (Rijk)")
    GEMEENTEN = "gemeenten", _("Municipalities")
    PROVINCIES = "provincies", _("Provinces")
    WATERSCHAPPEN = "waterschappen", _("Water authorities")
