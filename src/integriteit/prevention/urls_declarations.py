"""The register of side activities and financial interests (RULES R16), its configuration and
its public publication page."""

from django.urls import path

from .views import configuration, public
from .views import declarations as views

urlpatterns = [
    path("nevenwerkzaamheden/", views.my_declarations, name="my_declarations"),
    path("nevenwerkzaamheden/nieuw/", views.declaration_new, name="declaration_new"),
    path(
        "nevenwerkzaamheden/<int:declaration_id>/",
        views.declaration_detail,
        name="declaration_detail",
    ),
    path(
        "nevenwerkzaamheden/<int:declaration_id>/wijzigen/",
        views.declaration_edit,
        name="declaration_edit",
    ),
    path(
        "nevenwerkzaamheden/<int:declaration_id>/indienen/",
        views.declaration_submit,
        name="declaration_submit",
    ),
    path(
        "nevenwerkzaamheden/<int:declaration_id>/intrekken/",
        views.declaration_withdraw,
        name="declaration_withdraw",
    ),
    path(
        "nevenwerkzaamheden/<int:declaration_id>/bevestigen/",
        views.declaration_reconfirm,
        name="declaration_reconfirm",
    ),
    path(
        "nevenwerkzaamheden/<int:declaration_id>/beoordelen/",
        views.declaration_assess,
        name="declaration_assess",
    ),
    path("nevenwerkzaamheden/beoordelen/", views.assess_queue, name="assess_queue"),
    path("nevenwerkzaamheden/register/", views.register, name="register"),
    path("nevenwerkzaamheden/register.xlsx", views.register_export, name="register_export"),
    path("financiele-belangen/", views.interests, name="interests"),
    path("financiele-belangen/nieuw/", views.interest_new, name="interest_new"),
    path(
        "financiele-belangen/<int:interest_id>/intrekken/",
        views.interest_withdraw,
        name="interest_withdraw",
    ),
    path("aangewezen-functies/", configuration.functions, name="functions"),
    path(
        "aangewezen-functies/<int:function_id>/",
        configuration.function_update,
        name="function_update",
    ),
    path(
        "aangewezen-functies/<int:function_id>/toewijzen/",
        configuration.function_assign,
        name="function_assign",
    ),
    path(
        "aangewezen-functies/toewijzing/<int:assignment_id>/beeindigen/",
        configuration.assignment_end,
        name="assignment_end",
    ),
    path("eed-en-belofte/", configuration.oaths, name="oaths"),
    path("openbaar/nevenwerkzaamheden/", public.index, name="public_index"),
    path(
        "openbaar/nevenwerkzaamheden/<slug:slug>/",
        public.organisation,
        name="public_organisation",
    ),
]
