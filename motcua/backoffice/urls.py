"""The officers' pages, under /can-bo/."""

from django.urls import path

from motcua.backoffice import assignment, bulk, intake, views

app_name = "backoffice"
urlpatterns = [
    path("", views.queue_page, name="queues"),
    path("hang-doi/<slug:queue>/", views.queue_page, name="queue"),
    path("chuyen-xu-ly/", bulk.transfer_selected, name="transfer_selected"),
    path("ho-so/<int:dossier_id>/", views.dossier_page, name="dossier"),
    path("ho-so/<int:dossier_id>/thao-tac/<slug:action>/", views.act, name="act"),
    path("ho-so/<int:dossier_id>/ket-qua/", views.attach_result, name="attach_result"),
    path("tiep-nhan/", intake.find_procedure, name="intake"),
    path("tiep-nhan/thu-tuc/<int:offer_id>/", intake.enter_applicant, name="intake_applicant"),
    path("tiep-nhan/ho-so/<int:dossier_id>/", intake.check_documents, name="intake_documents"),
    path("ho-so/<int:dossier_id>/phan-cong/<int:step_id>/", assignment.reassign_step, name="reassign_step"),
    path("lanh-dao/", assignment.leader_page, name="leader"),
]
