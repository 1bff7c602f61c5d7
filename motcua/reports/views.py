"""The statistics pages (DOMAIN.md §8): public dashboard, standard report with its exports and
dossier lists, Decision 766/QĐ-TTg index, satisfaction, and the leader's dashboard.

Thin: read the form, check what the user may read (``queries.access_report_scope``), ask one
query module, render. The public dashboard is open to everyone; every other page needs a signed-in
staff member with the READ capability, and shows only what their roles let them read. A form
mistake is shown on its field; nothing here answers with a server error on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.reports import charts, dashboards, exports, queries
from motcua.reports.forms import DrillDownForm, PeriodForm, ReportForm, default_period, default_year
from motcua.reports.indices import get_indices
from motcua.reports.satisfaction import get_satisfaction
from motcua.reports.standard_report import get_standard_report

F = TypeVar("F", bound=ReportForm)
EXPORTS: dict[str, tuple[Callable[..., bytes], str]] = {
    "xlsx": (exports.to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (exports.to_csv, "text/csv; charset=utf-8"),
    "pdf": (exports.to_pdf, "application/pdf"),
}


def _data(request: HttpRequest, defaults: dict[str, str]) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(defaults)
    for key, values in request.GET.lists():
        data.setlist(key, values)
    return data


def _selected(request: HttpRequest) -> Agency | None:
    raw = request.GET.get("agency", "")
    return Agency.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None


def public_dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    roots = queries.get_public_roots()
    defaults = {**default_year(today), "agency": str(roots[0].pk) if roots else ""}
    form = PeriodForm(_data(request, defaults), agencies=roots, today=today)
    context: dict[str, Any] = {"form": form, "dashboard": None, "page_name": "public"}
    if form.is_valid():
        dashboard = dashboards.get_public_dashboard(form.selected_agency, form.period)
        context.update(
            dashboard=dashboard,
            groups_chart=charts.groups_chart(dashboard.total.index),
            agencies_chart=charts.agencies_chart(dashboard.rows),
        )
    return render(request, "reports/public.html", context)


def _staff_form(request: HttpRequest, form_class: type[F], defaults: dict[str, str]) -> F | None:
    selected = _selected(request)
    agencies = queries.list_report_agencies(request.user, selected=selected)
    if not agencies:
        return None
    anchor = min(agency.depth for agency in agencies)
    form = form_class(
        _data(request, {**defaults, "agency": str(agencies[0].pk)}),
        agencies=agencies,
        today=timezone.localdate(),
        anchor_depth=anchor,
    )
    form.is_valid()
    return form


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/forbidden.html", status=403)


def _scope(request: HttpRequest, form: ReportForm) -> queries.ReportScope | None:
    if form.errors:
        return None
    return queries.access_report_scope(request.user, form.selected_agency, with_units=form.with_units)


def _page(
    request: HttpRequest, name: str, defaults: dict[str, str], build: Callable[..., dict[str, Any]]
) -> HttpResponse:
    form = _staff_form(request, ReportForm, defaults)
    if form is None:
        return _forbidden(request)
    scope = _scope(request, form)
    context: dict[str, Any] = {"form": form, "scope": scope, "page_name": name}
    if scope is not None:
        context.update(build(scope, form))
        context["units"] = queries.list_units(scope.agency) if scope.with_units else []
        context["query"] = request.GET.urlencode()
    return render(request, f"reports/{name}.html", context)


@login_required
def standard_report(request: HttpRequest) -> HttpResponse:
    def build(scope: queries.ReportScope, form: ReportForm) -> dict[str, Any]:
        return {"report": get_standard_report(scope.agency, form.period, with_units=scope.with_units)}

    return _page(request, "standard_report", default_period(timezone.localdate()), build)


@login_required
def export_report(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    form = _staff_form(request, ReportForm, default_period(timezone.localdate()))
    if form is None:
        return _forbidden(request)
    scope = _scope(request, form)
    if scope is None:
        return render(request, "reports/standard_report.html", {"form": form, "scope": None}, status=400)
    report = get_standard_report(scope.agency, form.period, with_units=scope.with_units)
    render_file, content_type = EXPORTS[fmt]
    response = HttpResponse(render_file(report), content_type=content_type)
    name = f"thong-ke-{scope.agency.pk}-{form.period.start:%Y%m%d}-{form.period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_dossiers(request: HttpRequest) -> HttpResponse:
    form = _staff_form(request, DrillDownForm, default_period(timezone.localdate()))
    if form is None:
        return _forbidden(request)
    scope = _scope(request, form)
    page = None
    if scope is not None:
        page = queries.list_report_dossiers(
            scope,
            form.period,
            form.cleaned_data["measure"],
            sector_id=form.cleaned_data.get("sector"),
            procedure_id=form.cleaned_data.get("procedure"),
            page=form.cleaned_data.get("page") or 1,
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "scope": scope, "page": page, "query": query.urlencode()}
    return render(request, "reports/dossiers.html", context, status=200 if scope is not None else 400)


@login_required
def index_766(request: HttpRequest) -> HttpResponse:
    def build(scope: queries.ReportScope, form: ReportForm) -> dict[str, Any]:
        return {"index": get_indices([scope.agency], form.period, with_units=scope.with_units)[scope.agency.pk]}

    return _page(request, "index_766", default_year(timezone.localdate()), build)


@login_required
def satisfaction(request: HttpRequest) -> HttpResponse:
    def build(scope: queries.ReportScope, form: ReportForm) -> dict[str, Any]:
        return {"satisfaction": get_satisfaction(scope.agency, form.period, with_units=scope.with_units)}

    return _page(request, "satisfaction", default_year(timezone.localdate()), build)


@login_required
def leader_dashboard(request: HttpRequest) -> HttpResponse:
    def build(scope: queries.ReportScope, form: ReportForm) -> dict[str, Any]:
        dashboard = dashboards.get_leader_dashboard(scope, form.period, now=timezone.now())
        return {
            "dashboard": dashboard,
            "trend_chart": charts.trend_chart(dashboard.trend),
            "units_chart": charts.units_chart(dashboard.units),
        }

    return _page(request, "leader", default_period(timezone.localdate()), build)
