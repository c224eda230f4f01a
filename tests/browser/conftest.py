"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without Chromium the tests skip with the reason printed, except under CI=true,
where a missing browser is a failure.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        reason = "Chromium is not installed (apt-get install chromium): browser tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(reason.replace("skipped", "required under CI"))
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def check_axe(page, name: str | None = None) -> None:
    """Run axe-core on the page as it is now; any violation fails with axe's own report."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if name:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/account/login/")
    check_axe(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def nav_click(page, label: str) -> None:
    """Follow a link of the main navigation, opening its menu first when it sits in a closed one
    (role queries do not see the hidden items of a closed menu)."""
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=label, exact=True)
    if link.count() == 0:
        item = page.locator("a.dropdown-item", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        nav.locator("li.dropdown").filter(has=item).locator("button.dropdown-toggle").click()
    link.click()
    page.wait_for_load_state()
