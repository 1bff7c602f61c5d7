"""The catalogue admin through the test client: imported content, processes, JSON and spreadsheets."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.agencies.tests.factories import build_tree
from motcua.catalog import services
from motcua.catalog.models import AgencyProcedure, InternalProcess, ProcedureVersion, ProcessStep
from motcua.catalog.tests.factories import make_procedure, offer
from motcua.core.tests.admin_forms import admin_form_data

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client, django_user_model: Any) -> Client:
    user = django_user_model.objects.create_superuser(username="quantri", email="quantri@example.vn", password="x")
    client.force_login(user)
    return client


def test_procedure_versions_are_listed_and_found_without_diacritics(admin: Client) -> None:
    make_procedure()
    listing = admin.get(reverse("admin:catalog_procedureversion_changelist"), {"q": "dang ky khai sinh"})
    assert "Thủ tục đăng ký khai sinh" in listing.content.decode()
    version = ProcedureVersion.objects.get()
    page = admin.get(reverse("admin:catalog_procedureversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert "Giấy chứng sinh" in page.content.decode()


def test_a_process_over_the_legal_limit_is_a_form_error_and_nothing_changes(admin: Client) -> None:
    tree = build_tree()
    _configuration, process = offer(make_procedure(), agency=tree.c1, department=tree.c1_department)
    url = reverse("admin:catalog_internalprocess_change", args=[process.pk])
    page = admin.get(url)
    data = admin_form_data(page, **{"steps-0-budget_amount": 7})  # 7 + 2 + 2 = 11 hours > 1 working day

    response = admin.post(url, data)

    assert response.status_code == 200
    assert "1 working day" in " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert sorted(ProcessStep.objects.values_list("budget_amount", flat=True)) == [2, 2, 4]

    response = admin.post(url, admin_form_data(page, **{"steps-0-budget_amount": 3}))
    assert response.status_code == 302
    assert sorted(ProcessStep.objects.values_list("budget_amount", flat=True)) == [2, 2, 3]


def test_processes_export_as_json_and_import_back(admin: Client) -> None:
    tree = build_tree()
    _configuration, process = offer(make_procedure(), agency=tree.c1, department=tree.c1_department)
    exported = admin.post(
        reverse("admin:catalog_internalprocess_changelist"),
        {"action": "export_json", "_selected_action": [process.pk]},
    )
    assert exported["Content-Type"].startswith("application/json")
    data = json.loads(exported.content)
    assert data["procedure"] == "1.001193"

    InternalProcess.objects.all().delete()
    upload = SimpleUploadedFile("quy-trinh.json", json.dumps(data).encode(), content_type="application/json")
    response = admin.post(reverse("admin:catalog_internalprocess_import"), {"file": upload})
    assert response.status_code == 302
    assert InternalProcess.objects.get().steps.count() == 3

    bad = SimpleUploadedFile("x.json", b"{not json", content_type="application/json")
    response = admin.post(reverse("admin:catalog_internalprocess_import"), {"file": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_an_agency_catalogue_downloads_as_xlsx_and_a_bad_file_is_explained(admin: Client) -> None:
    tree = build_tree()
    version = make_procedure()
    services.configure_procedure(agency=tree.c1, procedure=version.procedure)
    url = reverse("admin:catalog_agencyprocedure_sheet")

    response = admin.post(url, {"agency": "Không có cơ quan này", "format": "xlsx"})
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    response = admin.post(url, {"agency": tree.c1.name, "format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.content[:2] == b"PK"

    upload = SimpleUploadedFile("x.csv", b"ma_thu_tuc,muc_do_truc_tuyen\n1.001193,Ngay\n", "text/csv")
    response = admin.post(url, {"agency": tree.c1.name, "file": upload})
    assert response.status_code == 200
    assert "Row 2, column muc_do_truc_tuyen" in " ".join(response.context["form"].errors["file"])
    assert AgencyProcedure.objects.get().online_level == "none"

    upload = SimpleUploadedFile(
        "x.csv", io.BytesIO("ma_thu_tuc,muc_do_truc_tuyen\n1.001193,Toàn trình\n".encode()).read()
    )
    response = admin.post(url, {"agency": tree.c1.name, "file": upload})
    assert response.status_code == 302
    assert AgencyProcedure.objects.get().online_level == "full"
