"""Every page of every demo role's menu, at a phone's width (390 CSS pixels, as an iPhone 12–15
shows a page) and at a desktop's (1440): the page itself never scrolls sideways — a ledger's rows
become stacked cards on the phone, wide tables scroll inside their own frame, forms stack, no cell is
squeezed to a sliver — and no code meant for machines (three_major,
not_found) is shown to a person. In a real headless Chrome emulating each screen."""

from __future__ import annotations

import re

from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, sign_in, sign_out, wait_for_path,
)

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False}

# Every demo role (the administrators sign in too); each walks every page of its own menu.
ROLES = [
    "office", "xiansuo", "leader", "zuzhang", "zuyuan", "danwei", "lianluo", "zeren", "jiwei", "zuzhibu", "qinghe.office",
    "sysadmin", "secadmin", "auditadmin",
]

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

# Table cells squeezed to a sliver: long text in a column a few characters wide.
SQUEEZED = """
return [...document.querySelectorAll('table.data td')]
  .filter(td => td.innerText.trim().length > 8 && td.getBoundingClientRect().width > 0 && td.getBoundingClientRect().width < 64)
  .slice(0, 3).map(td => `“${td.innerText.trim().slice(0, 12)}” ${Math.round(td.getBoundingClientRect().width)}px`);
"""

# The text a person reads on the page, outside the forms where one types codes (a vocabulary's editor).
READABLE_TEXT = """
const page = document.querySelector('main') || document.body;
const copy = page.cloneNode(true);
copy.querySelectorAll('form, script, style').forEach(e => e.remove());
return copy.textContent;
"""

# A code meant for machines (three_major, not_found, rectification_task) in the text a person reads.
RAW_CODE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z]+)+(?![\w./@-])")


def menu(driver: WebDriver) -> list[str]:
    """The addresses of the signed-in person's menu, in order."""
    links = driver.execute_script(
        "return [...document.querySelectorAll('.main-nav a')].map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(href for href in links if href and href.startswith("/")))


def test_every_menu_page_of_every_role_fits_a_phone_and_a_desktop_and_shows_no_raw_code(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "narrow-screen-failure", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    wide: list[str] = []
    raw: list[str] = []
    walked = 0
    try:
        for username in ROLES:
            sign_in(driver, server, username, DEMO_PASSWORD)
            wait_for_path(driver, "/")
            pages = ["/"] + menu(driver)
            for screen in (PHONE, DESKTOP):
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", screen)
                for path in pages:
                    driver.get(server.base_url + path)
                    assert "登录" not in driver.title, f"{username} opens {path}"
                    walked += 1
                    page_width = driver.execute_script("return document.documentElement.scrollWidth")
                    if page_width > screen["width"] + 1:
                        wide.append(f"{username} {path} at {screen['width']}px: page {page_width}px wide; " + ", ".join(driver.execute_script(OVERFLOWING)))
                    squeezed = driver.execute_script(SQUEEZED)
                    if squeezed:
                        wide.append(f"{username} {path} at {screen['width']}px: cells squeezed: " + ", ".join(squeezed))
                    if screen is PHONE and path.startswith("/ledger"):
                        cards = driver.execute_script(
                            "const td = document.querySelector('table.data tbody td'); return td ? getComputedStyle(td).display : 'no rows'")
                        assert cards in ("grid", "no rows"), f"{username} {path}: a ledger reads as cards on a phone ({cards})"
                    if screen is DESKTOP:
                        text = driver.execute_script(READABLE_TEXT)
                        codes = sorted(set(RAW_CODE.findall(text)))
                        if codes:
                            raw.append(f"{username} {path}: " + ", ".join(codes[:5]))
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            sign_out(driver, server)
        assert walked > 100, f"walked {walked} pages"
        assert not wide, "pages wider than the window:\n" + "\n".join(wide)
        assert not raw, "codes shown to a person:\n" + "\n".join(raw)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
