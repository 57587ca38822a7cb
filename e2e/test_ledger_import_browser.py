"""导入台账 in a real browser on the demo city: the office downloads its pool roster from the
import page in the import's own columns, reads it with openpyxl as Excel would, and uploads the
very workbook again — the preview maps every column by itself and marks every row 更新, and
confirming adds no one. The lead register is the custodian's alone."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, open_page, sign_in, sign_out, wait_for, wait_for_path,
)
from test_statistics_browser import download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_HEADER = ["台账编号", "姓名", "工作单位", "职务", "部门类别", "职级", "入库类别", "专长", "可抽调"]


def test_the_office_exports_its_roster_and_imports_the_same_workbook_as_updates(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "ledger-import-failure", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    sign_in(driver, server, "office", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/imports", "#ledger-exports")
    exports = driver.find_element(By.ID, "ledger-exports").text
    assert "巡察干部名册" in exports and "问题线索台账" not in exports, "the office exports what it imports, never the lead register"

    link = driver.find_element(By.CSS_SELECTOR, 'a[href="/imports/pool_roster/export?format=xlsx"]')
    kind, data = download(server, driver, link.get_attribute("href"))
    assert kind == XLSX, kind
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ROSTER_HEADER, rows[0]
    cadres = rows[1:]
    assert len(cadres) >= 5 and all(row[0] and row[1] for row in cadres), "every cadre keyed and named"

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "名册.xlsx"
        path.write_bytes(data)
        Select(driver.find_element(By.ID, "kind")).select_by_value("pool_roster")
        driver.find_element(By.ID, "file").send_keys(str(path))
        driver.find_element(By.XPATH, "//button[text()='预览']").click()
        wait_for(driver, lambda d: d.find_elements(By.ID, "import-preview"), "the preview")
    preview = driver.find_element(By.ID, "import-preview")
    assert f"将新增 0 条，更新 {len(cadres)} 条" in preview.text, preview.text
    mapped = [Select(select).first_selected_option.text for select in preview.find_elements(By.CSS_SELECTOR, "select[id^=column_]")]
    assert mapped == ROSTER_HEADER, mapped
    driver.find_element(By.XPATH, "//button[text()='确认导入']").click()
    wait_for(driver, lambda d: d.find_elements(By.ID, "import-result"), "the result")
    assert f"新增 0 条，更新 {len(cadres)} 条" in driver.find_element(By.ID, "import-result").text

    # Read again, the roster is the same cadres.
    _, again = download(server, driver, "/imports/pool_roster/export?format=xlsx")
    reread = [["" if cell.value is None else str(cell.value) for cell in row] for row in openpyxl.load_workbook(io.BytesIO(again)).active.iter_rows()]
    assert reread == rows
    sign_out(driver, server)

    sign_in(driver, server, "xiansuo", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/imports", "#ledger-exports")
    _, register = download(server, driver, "/imports/lead_register/export?format=xlsx")
    header = [cell.value for cell in next(openpyxl.load_workbook(io.BytesIO(register)).active.iter_rows())]
    assert header[:4] == ["编号", "问题编号", "问题类别", "线索内容"], header
