"""Top-level URL map: the public portal at the root, officers' pages under /can-bo/, the admin under /quan-tri/.

The demo sign-in page exists only when DEBUG is on.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("MotCua administration")
admin.site.site_title = "MotCua"
admin.site.index_title = _("Agencies, people and roles")

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("thong-ke/", include("motcua.reports.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
]
if settings.DEBUG:
    urlpatterns.insert(0, path("trai-nghiem/", include("motcua.demo.urls")))
