from django.urls import path

from motcua.portal import application, catalogue, dossier_files, my_dossiers, payments, tracking, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    path("dang-ky/", views.register, name="register"),
    path("thu-tuc/", catalogue.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", catalogue.procedure, name="procedure"),
    path("thu-tuc/<str:code>/bieu-mau/<int:component_id>/", catalogue.component_form, name="component_form"),
    path("thu-tuc/<str:code>/nop/<int:agency_procedure_id>/", application.start, name="apply"),
    path("ho-so/<int:dossier_id>/nop/noi-nop/", application.unit, name="apply_unit"),
    path("ho-so/<int:dossier_id>/nop/truong-hop/", application.variant, name="apply_variant"),
    path("ho-so/<int:dossier_id>/nop/nguoi-nop/", application.applicant, name="apply_applicant"),
    path("ho-so/<int:dossier_id>/nop/giay-to/", application.documents, name="apply_documents"),
    path("ho-so/<int:dossier_id>/giay-to/<int:component_id>/", application.upload, name="upload"),
    path(
        "ho-so/<int:dossier_id>/giay-to/<int:component_id>/go/<int:attachment_id>/",
        application.remove_file,
        name="remove_file",
    ),
    path("ho-so/<int:dossier_id>/nop/nhan-ket-qua/", application.delivery, name="apply_delivery"),
    path("ho-so/<int:dossier_id>/nop/kiem-tra/", application.check, name="apply_check"),
    path("ho-so/<int:dossier_id>/nop/da-gui/", application.done, name="apply_done"),
    path("ho-so/<int:dossier_id>/thanh-toan/", payments.pay, name="pay"),
    path("ho-so/<int:dossier_id>/thanh-toan/ket-qua/", payments.payment_return, name="payment_return"),
    path("thanh-toan/thu-nghiem/", payments.sandbox_bank, name="sandbox_bank"),
    path("thanh-toan/thu-nghiem/callback/", payments.callback, name="payment_callback"),
    path("ho-so-cua-toi/", my_dossiers.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<int:dossier_id>/", my_dossiers.dossier, name="my_dossier"),
    path("ho-so-cua-toi/<int:dossier_id>/bo-sung/", my_dossiers.send_supplement, name="send_supplement"),
    path("ho-so-cua-toi/<int:dossier_id>/dung/", my_dossiers.stop, name="stop"),
    path("ho-so-cua-toi/<int:dossier_id>/danh-gia/", my_dossiers.rate, name="rate"),
    path("tra-cuu/", tracking.track, name="track"),
    path("tra-cuu/<str:code>/", tracking.track, name="track_code"),
    path("ho-so/<int:dossier_id>/tep/<int:attachment_id>/", dossier_files.attachment, name="attachment"),
    path("ho-so/<int:dossier_id>/phieu/<slug:kind>/", dossier_files.slip, name="slip"),
]
