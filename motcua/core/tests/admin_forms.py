"""Posting an admin change page back as a browser would, for admin tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response


def admin_form_data(response: Response, **changes: Any) -> dict[str, Any]:
    """What the browser would post back from the page unchanged, then ``changes`` on top."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    data.update({name: "" if value is None else value for name, value in changes.items()})
    return data
