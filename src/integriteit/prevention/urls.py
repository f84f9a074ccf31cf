from django.urls import include, path

app_name = "prevention"

urlpatterns = [
    path("", include("integriteit.prevention.urls_position")),
    path("", include("integriteit.prevention.urls_policy")),
    path("", include("integriteit.prevention.urls_declarations")),
    path("", include("integriteit.prevention.urls_analyses")),
    path("", include("integriteit.prevention.urls_questionnaire")),
    path("", include("integriteit.prevention.urls_risk_import")),
]
