from django.urls import path

from motcua.portal import catalogue, dossier_files, tracking, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    path("thu-tuc/", catalogue.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", catalogue.procedure, name="procedure"),
    path("thu-tuc/<str:code>/bieu-mau/<int:component_id>/", catalogue.component_form, name="component_form"),
    path("tra-cuu/", tracking.track, name="track"),
    path("tra-cuu/<str:code>/", tracking.track, name="track_code"),
    path("ho-so/<int:dossier_id>/tep/<int:attachment_id>/", dossier_files.attachment, name="attachment"),
    path("ho-so/<int:dossier_id>/phieu/<slug:kind>/", dossier_files.slip, name="slip"),
]
