"""The statistics pages, under /thong-ke/ (config/urls.py)."""

from django.urls import path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.public_dashboard, name="public"),
    path("bao-cao/", views.standard_report, name="standard"),
    path("bao-cao/xuat/<slug:fmt>/", views.export_report, name="export"),
    path("bao-cao/ho-so/", views.report_dossiers, name="dossiers"),
    path("chi-so-766/", views.index_766, name="index_766"),
    path("muc-do-hai-long/", views.satisfaction, name="satisfaction"),
    path("dieu-hanh/", views.leader_dashboard, name="leader"),
]
