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


_NU = {}


@pytest.fixture(scope="session")
def nu_checker():
    """The Nu HTML Checker for this session: required under CI=true, else used when installed."""
    from . import nu_checker as nu

    if not nu.available():
        if nu.required():
            pytest.fail(nu.MISSING + ": required under CI")
        print(f"\n{nu.MISSING}: pages are checked by axe only")
        yield None
        return
    checker = nu.NuChecker()
    _NU["checker"] = checker
    yield checker
    _NU.pop("checker", None)
    checker.stop()


@pytest.fixture
def page(browser, live_server, nu_checker):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


# WCAG 2.2 A and AA plus axe's best practices: the 2.2 rules (target size) are off in axe's default set.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def check_axe(page, name: str | None = None) -> None:
    """Run axe-core on the page as it is now; any violation fails with axe's own report. Then a second
    checker (the Nu HTML Checker) on its markup, and what neither checks: nothing scrolls sideways
    (WCAG 1.4.10) and every form control's border stands out from what is behind it (WCAG 1.4.11)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    if name:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    check_markup(page)
    check_no_sideways_scroll(page)
    check_control_borders(page)


def check_markup(page) -> None:
    """The second checker: the page's markup against the HTML standard and its ARIA rules."""
    checker = _NU.get("checker")
    if checker is None:
        return
    errors = checker.errors(page.content())
    assert not errors, f"{page.url}: the Nu HTML Checker found\n" + "\n".join(errors)


def check_no_sideways_scroll(page) -> None:
    """The page fits the viewport's width: nothing needs scrolling sideways (WCAG 1.4.10)."""
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5"
        " && !e.closest('.table-responsive, .dropdown-menu'))"
        ".slice(0, 5).map(e => e.outerHTML.slice(0, 120))})"
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at {widths['inner']} px: {widths['scroll']} px wide; "
        f"wider than the viewport: {widths['wide']}"
    )


# The colours of the element and of each ancestor up to the root, nearest first.
_BACKGROUNDS_JS = """el => { const out = [];
  for (let e = el; e; e = e.parentElement) out.push(getComputedStyle(e).backgroundColor);
  return out; }"""

_CONTROLS_JS = (
    "() => { const backgrounds = "
    + _BACKGROUNDS_JS
    + """;
  return [...document.querySelectorAll('input, select, textarea')]
    .filter(e => !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type) && !e.disabled
      && e.getClientRects().length && getComputedStyle(e).visibility === 'visible')
    .map(e => { const s = getComputedStyle(e);
      return {html: e.outerHTML.slice(0, 160), border: s.borderTopColor,
              width: parseFloat(s.borderTopWidth), behind: backgrounds(e.parentElement),
              own: s.backgroundColor}; }); }"""
)


def _rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if len(numbers) < 3:
        raise AssertionError(f"Not a colour this check reads: {css!r}")
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def _over(top: tuple, below: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))


def background_of(chain: list[str]) -> tuple[float, float, float]:
    """The colour seen through a stack of backgrounds (nearest first), over the white canvas."""
    seen = (255.0, 255.0, 255.0)
    for css in reversed(chain):
        seen = _over(_rgba(css), seen)
    return seen


def contrast(foreground: str, chain: list[str]) -> float:
    """WCAG 2 contrast ratio of a CSS colour over the backgrounds it sits on."""

    def luminance(rgb):
        def channel(value):
            c = value / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    behind = background_of(chain)
    lighter, darker = sorted((luminance(_over(_rgba(foreground), behind)), luminance(behind)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_control_borders(page) -> None:
    """Every visible text field, list, text area, radio and checkbox has a border of at least 3:1 against
    the background behind it (WCAG 1.4.11); without a border, its own background must stand out."""
    faint = []
    for control in page.evaluate(_CONTROLS_JS):
        edge = (
            control["border"] if control["width"] > 0 and _rgba(control["border"])[3] > 0 else control["own"]
        )
        ratio = contrast(edge, control["behind"])
        if ratio < 3:
            faint.append(f"{ratio:.2f}:1 {edge} on {control['behind'][:3]}: {control['html']}")
    assert not faint, f"{page.url}: form controls too faint (WCAG 1.4.11 asks 3:1):\n" + "\n".join(faint)


_FOCUS_JS = (
    "() => { const backgrounds = "
    + _BACKGROUNDS_JS
    + """; const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e); const offset = parseFloat(s.outlineOffset);
  return {html: e.outerHTML.slice(0, 160), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          color: s.outlineColor, offset: offset, inNavbar: !!e.closest('.portal-navbar'),
          behind: backgrounds(offset < 0 ? e : e.parentElement)}; }"""
)


def check_focus_visible(page) -> dict:
    """The focused element shows an outline of at least 2 px whose colour is 3:1 against what it is drawn
    on: the element's own background when drawn inside it, what is behind it otherwise (WCAG 2.4.7,
    2.4.13). Returns what was measured."""
    focus = page.evaluate(_FOCUS_JS)
    assert focus, f"{page.url}: nothing has the keyboard focus"
    assert focus["style"] not in ("none", "hidden") and focus["width"] >= 2, (
        f"{page.url}: no visible focus outline on {focus['html']}"
    )
    ratio = contrast(focus["color"], focus["behind"])
    assert ratio >= 3, f"{page.url}: focus outline {focus['color']} is {ratio:.2f}:1 on {focus['html']}"
    return focus


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
