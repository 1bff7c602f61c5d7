"""WCAG 2.1 AA, checked in the browser by axe-core on the pages citizens and officers use.

Each page is opened as its user sees it (Vietnamese, signed in where it needs an account) and,
at desktop and phone width, axe-core (vendored in ``tests/browser/axe/``, injected into the
page, never served) runs the rules tagged WCAG 2.0/2.1 A and AA. Any violation fails with its
rule, its help text and the elements at fault, so a regression names what to mend.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from motcua.workflow.tests.factories import attach_required, build_world, draft, make_dossier

from .conftest import DESKTOP, PHONE, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.1 AA on the page as it stands."""
    page.add_script_tag(content=AXE)
    found: list[dict[str, Any]] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", WCAG_AA
    )
    return found


def assert_accessible(page: Page, path: str) -> None:
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        for item in violations(page):
            targets = [node["target"] for node in item["nodes"]][:5]
            problems.append(f"{path} at {size['width']}px: {item['id']} ({item['help']}) {json.dumps(targets)}")
    assert not problems, "\n".join(problems)


def test_the_public_pages_meet_wcag_21_aa(site: Site) -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    page = site.visitor()
    code = world.offer.procedure.code
    for path in ("/", "/thu-tuc/", "/thu-tuc/?q=ket+hon", f"/thu-tuc/{code}/", "/tra-cuu/", "/dang-nhap/", "/dang-ky/"):
        assert_accessible(page, path)
    assert_accessible(page, f"/tra-cuu/{dossier.code}/")


def test_the_citizens_pages_meet_wcag_21_aa(site: Site) -> None:
    world = build_world()
    dossier = make_dossier(world, "returned")
    drafted = draft(world)
    attach_required(world, drafted)  # the documents page lists them, each with its "remove" button
    page = site.sign_in(world.citizen)
    assert_accessible(page, "/ho-so-cua-toi/")
    assert_accessible(page, f"/ho-so-cua-toi/{dossier.pk}/")
    assert_accessible(page, f"/ho-so/{drafted.pk}/nop/giay-to/")


def test_the_officers_pages_meet_wcag_21_aa(site: Site) -> None:
    world = build_world()
    dossier = make_dossier(world, "in_progress")
    make_dossier(world, "received")  # the queue to transfer shows its tick boxes
    desk = site.sign_in(world.receiving)
    queues = ("/can-bo/", "/can-bo/hang-doi/overdue/", "/can-bo/hang-doi/to_transfer/")
    for path in (*queues, "/can-bo/tiep-nhan/", f"/can-bo/ho-so/{dossier.pk}/"):
        assert_accessible(desk, path)
    specialist = site.sign_in(world.specialist)  # the step's actions, forwarding to several agencies among them
    assert_accessible(specialist, f"/can-bo/ho-so/{dossier.pk}/")
    leader = site.sign_in(world.leader)
    assert_accessible(leader, "/can-bo/lanh-dao/")
    assert_accessible(leader, f"/can-bo/ho-so/{dossier.pk}/")


def test_the_check_itself_finds_what_wcag_forbids(site: Site) -> None:
    """The same check on a page with an unlabelled field and an image without text finds both."""
    page = site.visitor()
    page.set_content('<html lang="vi"><title>Thử</title><main><img src="x.png"><input type="text"></main></html>')
    assert {item["id"] for item in violations(page)} >= {"image-alt", "label"}
