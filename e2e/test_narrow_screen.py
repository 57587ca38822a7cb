"""At a phone's width (390 CSS pixels, as an iPhone 12–15 shows a page) every page a role opens
reads without the page itself scrolling sideways: wide tables scroll inside their own frame and
forms stack. Each role's pages on the demo city, in a real headless Chrome emulating the phone."""

from __future__ import annotations

from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, sign_in, sign_out, wait_for_path,
)

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}

# account → the pages its work takes it to
PAGES = {
    "office": [
        "/", "/rounds", "/standing-groups", "/inspectors", "/assignments", "/findings", "/immediate-rectifications", "/feedback",
        "/rectification-plans", "/ledger?list=tasks", "/ledger?list=problems", "/rule-improvements", "/evaluations", "/statistics",
        "/statistics?roll_up=true", "/imports", "/units", "/settings", "/systemic-problems",
    ],
    "xiansuo": ["/", "/leads", "/imports"],
    "zuzhang": ["/", "/assignments", "/findings"],
    "danwei": ["/", "/ledger?list=tasks", "/rectification-plans"],
}

# Elements wider than the screen, outside a scrolling frame: what makes a page scroll sideways.
OVERFLOWING = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll('body *')]
  .filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !e.closest('.table-wrap, pre, svg') && getComputedStyle(e).position !== 'fixed';
  })
  .slice(0, 3)
  .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''} (${Math.round(e.getBoundingClientRect().right)}px)`);
"""


def test_every_page_a_role_opens_reads_on_a_phone_without_scrolling_sideways(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "narrow-screen-failure", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        wide: list[str] = []
        for username, pages in PAGES.items():
            sign_in(driver, server, username, DEMO_PASSWORD)
            wait_for_path(driver, "/")
            assert driver.execute_script("return document.documentElement.clientWidth") == PHONE["width"], "the phone's width"
            for path in pages:
                driver.get(server.base_url + path)
                assert "登录" not in driver.title, f"{username} opens {path}"
                page_width = driver.execute_script("return document.documentElement.scrollWidth")
                if page_width > PHONE["width"] + 1:
                    wide.append(f"{username} {path}: page {page_width}px wide; " + ", ".join(driver.execute_script(OVERFLOWING)))
            sign_out(driver, server)
        assert not wide, "pages wider than the phone:\n" + "\n".join(wide)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
