"""The statistics dashboard (统计看板) in a real browser on the demo city: the figures, the
server-drawn charts, a drill-down from a number to the records it counted and on to one of them,
and the tables exported as .xlsx and CSV, read back with openpyxl and Python's csv module and
compared with what the page shows. A unit's head sees its own ledger figures and nothing of
findings or leads."""

from __future__ import annotations

import codecs
import csv
import io
import re
import urllib.error
import urllib.request

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, open_page, sign_in, sign_out, wait_for_path,
)

def download(server: Server, driver: WebDriver, href: str) -> tuple[str, bytes]:
    """GET a link of the page with the browser's session cookie; (content type, body)."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    url = href if href.startswith("http") else server.base_url + href
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Type", ""), response.read()


def tiles(driver: WebDriver) -> dict[str, str]:
    return {
        tile.find_element(By.CSS_SELECTOR, ".tile-label").text: tile.find_element(By.CSS_SELECTOR, ".tile-value").text
        for tile in driver.find_elements(By.CSS_SELECTOR, "#statistics-tiles .tile")
    }


def test_the_dashboard_drills_down_and_exports_what_it_shows(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "statistics-failure", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    sign_in(driver, server, "leader", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/statistics?roll_up=true", "#statistics-tiles")
    shown = tiles(driver)
    found = int(shown["发现问题"])
    assert found > 0, shown
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 3, "charts drawn on the server"
    assert driver.find_elements(By.CSS_SELECTOR, "svg.chart a rect"), "bars link to their records"
    summary = driver.find_element(By.ID, "summary-text").text
    assert f"发现问题{found}个" in summary, summary

    # Drill down from the tile to the records, and on to one of them.
    driver.find_element(By.XPATH, "//li[contains(@class,'tile')][.//span[text()='发现问题']]//a").click()
    wait_for_path(driver, "/statistics/records")
    assert driver.find_element(By.ID, "records-total").text == str(found)
    rows = driver.find_elements(By.CSS_SELECTOR, "#records-table tbody tr")
    assert len(rows) == found
    first_title = rows[0].find_element(By.CSS_SELECTOR, "td.prose a").text
    rows[0].find_element(By.CSS_SELECTOR, "td.prose a").click()
    wait_for_path(driver, re.compile(r"^/findings/[0-9a-fA-F-]{36}$"))
    assert first_title in driver.find_element(By.TAG_NAME, "main").text

    # The export says what the page says.
    open_page(driver, server, "/statistics?roll_up=true", "#statistics-tiles")
    page_rows = {
        (panel.find_element(By.TAG_NAME, "h2").text, row.find_element(By.TAG_NAME, "th").text): row.find_element(By.TAG_NAME, "td").text
        for panel in driver.find_elements(By.CSS_SELECTOR, ".stat-tables .panel")
        for row in panel.find_elements(By.CSS_SELECTOR, "tbody tr")
    }
    kind, body = download(server, driver, driver.find_element(By.ID, "statistics-excel").get_attribute("href"))
    assert kind == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    sheet = workbook.active
    assert sheet.title == "统计表"
    assert [cell.value for cell in sheet[1]] == ["类别", "项目", "数值"]
    assert sheet.freeze_panes == "A2", "the header row stays in view"
    assert all(sheet.column_dimensions[letter].width for letter in "ABC"), "columns have widths"
    exported = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported.pop(("年度综述", None), exported.pop(("年度综述", ""), None)) == summary
    assert exported == page_rows
    assert exported[("发现问题", "问题总数")] == str(found)

    kind, body = download(server, driver, driver.find_element(By.ID, "statistics-csv").get_attribute("href"))
    assert kind.startswith("text/csv")
    assert body.startswith(codecs.BOM_UTF8), "Excel needs the BOM to read UTF-8"
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert lines[0] == ["类别", "项目", "数值"]
    assert {(a, b): c for a, b, c in lines[1:] if a != "年度综述"} == page_rows
    assert lines[-1] == ["年度综述", "", summary]

    # A unit's head: its own ledger figures only; findings are not its to count or to list.
    sign_out(driver, server)
    sign_in(driver, server, "danwei", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/statistics", "#statistics-tiles")
    assert "发现问题" not in tiles(driver) and "移交问题线索" not in tiles(driver)
    assert "整改率" in tiles(driver)
    with pytest.raises(urllib.error.HTTPError) as refused:
        download(server, driver, "/statistics/records?measure=findings.total")
    assert refused.value.code == 403
