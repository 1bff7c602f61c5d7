"""The public procedure catalogue: search with filters, a page per procedure, its forms to download.

Decree 63/2010/NĐ-CP Art. 8.2 has every procedure published with its name, steps, channels with
their time limits and fees, components and number of sets, applicants, agencies, results,
requirements, legal basis and publishing decision; the procedure page shows all of them.
A filter value that makes no sense (an unknown sector, a page past the end) is reported on the
form and ignored, never a server error.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from motcua.catalog import queries
from motcua.catalog.models import Component, Level
from motcua.portal.forms import CatalogueSearchForm


def catalogue(request: HttpRequest) -> HttpResponse:
    sectors = queries.list_sectors()
    agencies = queries.list_offering_agencies()
    form = CatalogueSearchForm(
        request.GET or None,
        sectors=[(sector.pk, f"{sector.name} ({sector.procedure_count})") for sector in sectors],  # type: ignore[attr-defined]
        levels=[(str(value), str(label)) for value, label in Level.choices],
        agencies=[(agency.pk, agency.name) for agency in agencies],
        online_levels=queries.online_levels(),
    )
    valid = form.is_valid() if form.is_bound else False
    data = form.cleaned_data if valid else {}
    if form.is_bound and not valid:
        # Keep what is usable: drop only the fields in error.
        data = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if name not in form.errors}
    filters = queries.CatalogueFilters(
        text=data.get("q") or "",
        sector_id=data.get("sector"),
        level=data.get("level") or "",
        agency_id=data.get("agency"),
        online_level=data.get("online") or "",
        page=data.get("page") or 1,
    )
    rows, has_next = queries.search_catalogue(filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": rows,
        "total": queries.count_catalogue(filters),
        "page": filters.page,
        "first_number": (filters.page - 1) * filters.page_size + 1,
        "has_next": has_next,
        "query_string": query.urlencode(),
        "searched": any([filters.text, filters.sector_id, filters.level, filters.agency_id, filters.online_level]),
    }
    return render(request, "portal/catalogue.html", context)


def procedure(request: HttpRequest, code: str) -> HttpResponse:
    version = queries.get_procedure_page(code)
    if version is None:
        raise Http404
    return render(request, "portal/procedure.html", {"version": version})


def component_form(request: HttpRequest, code: str, component_id: int) -> FileResponse:
    """Download the blank form of a component of a procedure in force."""
    component = get_object_or_404(
        Component.objects.filter(version__valid_to__isnull=True, version__procedure__code=code).exclude(form_file=""),
        pk=component_id,
    )
    try:
        handle = component.form_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = component.form_name or (component.form_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename)
