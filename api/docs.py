"""The browsable API documentation (Swagger UI from drf-spectacular-sidecar, self-hosted: no
CDN) for signed-in, verified staff of the web; 404 for anyone else."""

from drf_spectacular.views import SpectacularSwaggerView

from django.http import Http404


class ApiDocsView(SpectacularSwaggerView):
    url_name = "api:schema"
    authentication_classes: list = []

    def dispatch(self, request, *args, **kwargs):
        # The web session (Django's request.user, before DRF replaces it) decides.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_verified() or not user.is_staff:
            self.headers = {}
            self.args, self.kwargs, self.request = args, kwargs, self.initialize_request(request)
            response = self.handle_exception(Http404())
            self.response = self.finalize_response(self.request, response)
            return self.response
        return super().dispatch(request, *args, **kwargs)
