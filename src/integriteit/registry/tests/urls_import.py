"""The site's URLs with the import pages in the "registry" namespace, for the import's view
tests while `registry/urls.py` does not yet include `urls_import` (the lead wires it); once it
does, these are the site's URLs unchanged."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import NoReverseMatch, include, path, reverse

from integriteit.registry import urls_import
from integriteit.urls import handler400, handler403, handler404, handler500, urlpatterns

try:
    reverse("registry:import_start", urlconf="integriteit.urls")
except NoReverseMatch:
    try:  # the registry's other pages, when it has them: one namespace holds both
        from integriteit.registry.urls import urlpatterns as registry_pages
    except ImportError:
        registry_pages = []
    urlpatterns = [
        *i18n_patterns(
            path("", include(([*urls_import.urlpatterns, *registry_pages], "registry"))),
            prefix_default_language=False,
        ),
        *urlpatterns,
    ]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
