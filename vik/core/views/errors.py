from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page needs neither the database nor the cache: it is rendered without the request
    (no context processors, no user or session lookup), so it still answers when PostgreSQL or
    Redis is what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render(), content_type="text/html")
