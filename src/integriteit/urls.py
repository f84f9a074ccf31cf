from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from integriteit.accounts.views import workspace
from integriteit.ui.views import healthz

# Administrators reach the admin only after the second factor, like everyone else.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = _("Integriteit – administration")

urlpatterns: list = [path("healthz", healthz, name="healthz")]

# Every error a visitor can meet has a page in the site's style, never Django's technical one
# (ui/templates/400.html, 403.html, 403_csrf.html, 404.html, 500.html; the demo serves with
# DEBUG off). A database outage gets a page that says what happened and what to do (ui.views,
# ADR 0007).
handler400 = "integriteit.ui.views.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "integriteit.ui.views.server_error"

# Dutch has no prefix, so /melden/ and /postbus/ stay stable; English lives under /en/.
urlpatterns += i18n_patterns(
    path("", include("integriteit.ui.urls")),
    # The staff start page: it sits behind the staff login (accounts), so not in ui.
    path("werkplek/", workspace, name="workspace"),
    path("", include("integriteit.reports.urls")),
    path("", include("integriteit.cases.urls")),
    path("", include("integriteit.investigations.urls")),
    path("", include("integriteit.audit.urls")),
    path("", include("integriteit.registry.urls")),
    path("", include("integriteit.advisers.urls")),
    path("", include("integriteit.notifications.urls")),
    path("", include("integriteit.prevention.urls")),
    path("account/", include("integriteit.accounts.urls")),
    path("beheer/", admin.site.urls),
    prefix_default_language=False,
)
