"""The ledger read like a spreadsheet, in a real browser on the demo city: the office sorts the
任务清单 by clicking a column header (and back the other way), hides columns with the 显示列 chooser
— the choice kept in the address, so sorting keeps it — reads the 合计 row, and searches from the
header's box; the unit's contact searching a paper's title finds nothing of papers or leads."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, open_page, sign_in, sign_out, wait_for, wait_for_path,
)
from selenium.webdriver.support import expected_conditions as EC


def header(driver: WebDriver, label: str):
    return driver.find_element(By.XPATH, f"//table[contains(@class,'data')]//th[a[normalize-space()='{label}']]")


def column(driver: WebDriver, index: int) -> list[str]:
    return [row.find_elements(By.TAG_NAME, "td")[index].text for row in driver.find_elements(By.CSS_SELECTOR, "#ledger-table tr")]


def test_the_office_sorts_chooses_columns_reads_totals_and_searches(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "ledger-grid", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    sign_in(driver, server, "office", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/ledger?list=tasks&limit=100", "#ledger-table tr")
    rows = len(driver.find_elements(By.CSS_SELECTOR, "#ledger-table tr"))
    assert rows > 1, "the demo has tasks"
    totals = driver.find_element(By.CSS_SELECTOR, "tfoot tr.totals").text
    assert f"合计：{rows}项" in totals and "平均" in totals, totals

    # 进度, highest first, then lowest first: the order really changes and the header says so.
    header(driver, "进度").find_element(By.TAG_NAME, "a").click()
    wait_for(driver, lambda d: header(d, "进度").get_attribute("aria-sort") == "descending", "sorted by 进度, descending")
    assert "sort=progress" in driver.current_url and "order=desc" in driver.current_url and "limit=100" in driver.current_url
    index = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "table.data thead th")].index("进度")
    progress = [int(text.rstrip("%")) for text in column(driver, index)]
    assert progress == sorted(progress, reverse=True), progress
    header(driver, "进度").find_element(By.TAG_NAME, "a").click()
    wait_for(driver, lambda d: header(d, "进度").get_attribute("aria-sort") == "ascending", "sorted by 进度, ascending")
    assert [int(text.rstrip("%")) for text in column(driver, index)] == sorted(progress)

    # The chooser: show 单位, 完成时限 and 进度 only; the sort is kept, and sorting keeps the choice.
    driver.find_element(By.CSS_SELECTOR, "#column-chooser summary").click()
    for box in driver.find_elements(By.CSS_SELECTOR, "#column-chooser input[name=cols]"):
        if box.is_selected() != (box.get_attribute("value") in ("unit", "deadline", "progress")):
            box.click()
    driver.find_element(By.CSS_SELECTOR, "#column-chooser button[type=submit]").click()
    wait_for(driver, lambda d: [th.text for th in d.find_elements(By.CSS_SELECTOR, "table.data thead th")] == ["单位", "完成时限", "进度"], "three columns")
    assert header(driver, "进度").get_attribute("aria-sort") == "ascending"
    header(driver, "完成时限").find_element(By.TAG_NAME, "a").click()
    wait_for(driver, lambda d: header(d, "完成时限").get_attribute("aria-sort") == "ascending", "sorted by 完成时限")
    assert [th.text for th in driver.find_elements(By.CSS_SELECTOR, "table.data thead th")] == ["单位", "完成时限", "进度"]
    deadlines = column(driver, 1)
    assert deadlines == sorted(deadlines), deadlines
    summary = driver.find_element(By.CSS_SELECTOR, "#column-chooser summary")
    assert summary.text == "显示列（已隐藏7列）", summary.text
    summary.click()
    driver.find_element(By.LINK_TEXT, "显示全部列").click()
    wait_for(driver, lambda d: "整改措施" in [th.text for th in d.find_elements(By.CSS_SELECTOR, "table.data thead th")], "every column again")

    # The header's search box.
    box = driver.find_element(By.CSS_SELECTOR, "form.site-search input[name=q]")
    box.send_keys("市财政局")
    box.submit()
    wait_for_path(driver, "/search")
    wait_for(driver, EC.presence_of_element_located((By.XPATH, "//h2[normalize-space()='被巡察单位']")), "the units found")
    assert driver.find_element(By.LINK_TEXT, "市财政局")
    sign_out(driver, server)

    # The unit's contact: the same words find its own unit, never a paper or a lead.
    sign_in(driver, server, "lianluo", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    driver.get(server.base_url + "/search?q=%E5%B8%82%E8%B4%A2%E6%94%BF%E5%B1%80")
    wait_for(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#search-form")), "the search page")
    groups = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".search-group h2")]
    assert "问题底稿" not in groups and "问题线索" not in groups, groups
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".search-hits a")]
    assert not [href for href in links if "/findings/" in href or "/leads/" in href or "/records/" in href], links
    sign_out(driver, server)
