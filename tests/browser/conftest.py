"""A real browser on the live server: Debian's Chromium driven by Playwright.

One Chromium per test session (per xdist worker), a fresh context per person in a test (their
own cookies, so a citizen and three officers can work side by side), Vietnamese as users see it.
Chromium is never downloaded: the tests use ``/usr/bin/chromium`` (``.ci/run`` installs the
``chromium`` package) and are skipped, with the reason, where it is missing (with ``CI=true``
they fail instead).

With ``MOTCUA_SCREENSHOTS=docs/screenshots`` (``make screenshots``) each journey also saves its
key pages there as PNG, full page at 1280 pixels wide, and the application page at phone width.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import APIResponse, Browser, BrowserContext, Page, ViewportSize, expect, sync_playwright

from motcua.accounts.models import User
from motcua.accounts.tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
#: Milliseconds a step may wait for the page (the CI machine has two cores and runs two workers).
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":  # .ci/run installs it: missing there is a broken run, not a skip
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's synchronous API keeps an asyncio loop marked as running in this thread; the
    # test's own ORM calls (factories, final checks) are synchronous, so Django may make them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Site:
    """The live site as people meet it: each ``visitor`` or ``sign_in`` is another person's browser."""

    browser: Browser
    url: str
    screenshots: Path | None
    contexts: list[BrowserContext] = field(default_factory=list)

    def visitor(self) -> Page:
        context = self.browser.new_context(
            base_url=self.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=DESKTOP, accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def sign_in(self, user: User, password: str = PASSWORD) -> Page:
        """Sign in through the real form, as the person would."""
        page = self.visitor()
        page.goto("/dang-nhap/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
        page.get_by_label("Email, số điện thoại, số định danh cá nhân hoặc tên đăng nhập").fill(user.get_username())
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        return page

    def shot(self, page: Page, name: str, *, phone: bool = False) -> None:
        """Save the page as ``<name>.png`` when screenshots are asked for (``make screenshots``)."""
        if self.screenshots is None:
            return
        self.screenshots.mkdir(parents=True, exist_ok=True)
        if phone:
            page.set_viewport_size(PHONE)
        try:
            page.screenshot(path=self.screenshots / f"{name}.png", full_page=True, animations="disabled")
        finally:
            if phone:
                page.set_viewport_size(DESKTOP)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def site(browser: Browser, live_server) -> Iterator[Site]:
    folder = os.environ.get("MOTCUA_SCREENSHOTS", "")
    found = Site(browser=browser, url=live_server.url, screenshots=Path(folder).resolve() if folder else None)
    yield found
    found.close()


def assert_pdf(response: APIResponse) -> None:
    """A slip as the browser receives it: a PDF document, not an error page."""
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def open_pdf_link(page: Page, name: str) -> APIResponse:
    """Follow the link ``name`` with the page's cookies and return what the server sent."""
    href = page.get_by_role("link", name=name, exact=True).get_attribute("href")
    assert href, name
    return page.request.get(href)
