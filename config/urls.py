"""Top-level URL map: the public portal at the root, the Django admin under /quan-tri/."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "MotCua"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("motcua.portal.urls")),
]
