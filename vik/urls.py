from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from vik.core import urls as core_urls
from vik.core.views.shell import healthz
from vik.privacy import urls as privacy_urls

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # browsers and tools that ignore <link rel="icon"> still ask for /favicon.ico: no 404 per page
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True), name="favicon"),
    path("api/", include("api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
    # The core namespace: core's pages plus the privacy officer's "wie heeft ingezien" page,
    # which lives in vik.privacy (see vik/privacy/urls.py).
    path("", include((core_urls.urlpatterns + privacy_urls.core_urlpatterns, "core"))),
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
