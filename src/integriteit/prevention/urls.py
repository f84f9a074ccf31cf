from django.urls import include, path

urlpatterns = [
    path("", include("integriteit.prevention.urls_declarations")),
    path("", include("integriteit.prevention.urls_analyses")),
]
