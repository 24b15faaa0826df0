from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from vik.core.views.shell import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
    path("", include("vik.core.urls")),
    path("", include("vik.identity.urls")),
    path("subjecten/", include("subjects.urls")),
    path("signalen/", include("signals.urls")),
    path("maatregelen/", include("measures.urls")),
    path("bibob/", include("bibob.urls")),
    path("brieven/", include("letters.urls")),
    path("casustafel/", include("meetings.urls")),
    path("analyse/", include("dashboards.urls")),
    path("privacybeheer/", include("vik.privacy.urls")),
    path("basisregistraties/", include("registries.urls")),
    path("melden/", include("reporting.urls")),
    path("plan/", include("plan.urls")),
]

handler403 = "vik.core.views.errors.forbidden"
handler404 = "vik.core.views.errors.not_found"
handler500 = "vik.core.views.errors.server_error"

if settings.DEBUG:  # pragma: no cover
    pass
