"""Printing as issued, in a real browser on the demo city: a 巡察通知 and the 整改台账 printed to PDF
through Chromium's own print path (the DevTools command Page.printToPDF, which honours the page's
@page rules) and read back with pypdf, independently of the stylesheet: A4, the document's number
and title or the ledger's title line on paper, the header row on every page, and none of the menu."""

from __future__ import annotations

import base64
import io
import re
from urllib.parse import urlparse

from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, open_page, sign_in, sign_out, wait_for_path,
)

A4_POINTS = (595.28, 841.89)  # 210 mm × 297 mm
MENU_WORDS = ("首页", "退出", "修改密码")


def print_to_pdf(driver: WebDriver) -> PdfReader:
    """The page as Chromium prints it, with the page's own @page size and margins."""
    result = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
    return PdfReader(io.BytesIO(base64.b64decode(result["data"])))


def assert_a4(reader: PdfReader) -> None:
    for number, page in enumerate(reader.pages, 1):
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert all(abs(a - b) < 2 for a, b in zip(size, A4_POINTS)), f"page {number} is {size} pt, not A4"


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text with the white space the extraction puts between glyphs removed."""
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in reader.pages]


def test_a_notice_and_a_ledger_print_as_issued(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "print", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    # 市财政局's contact reads the 巡察通知 the office sent it.
    sign_in(driver, server, "lianluo", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/notices", "a[href^='/notices/']")
    href = urlparse(driver.find_element(By.CSS_SELECTOR, "a[href^='/notices/']").get_attribute("href")).path
    open_page(driver, server, href, "#notice-body")
    assert driver.find_element(By.CSS_SELECTOR, "button[data-print]").text == "打印"
    notice = print_to_pdf(driver)
    assert_a4(notice)
    texts = page_texts(notice)
    whole = "".join(texts)
    assert re.search(r"江巡办〔\d{4}〕5号", whole) and "关于开展巡察的通知" in whole, whole[:300]
    assert "市财政局：" in whole, "主送 before the body"
    assert "—1—" in texts[0], f"the page number on the first page: {texts[0][-80:]}"
    for word in MENU_WORDS + ("返回列表", "申请巡察人员回避"):
        assert word not in whole, f"{word!r} is not on paper"
    sign_out(driver, server)

    # The office prints the 任务清单: a title line, 制表单位 and 制表日期, the header row on every page.
    sign_in(driver, server, "office", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    open_page(driver, server, "/ledger?list=tasks&limit=100", "#ledger-table tr")
    ledger = print_to_pdf(driver)
    assert_a4(ledger)
    texts = page_texts(ledger)
    whole = "".join(texts)
    assert re.search(r"整改台账·任务清单（截至\d{4}年\d{1,2}月\d{1,2}日）", whole), whole[:300]
    assert "制表单位：" in whole and "制表日期：" in whole
    for word in MENU_WORDS + ("导出Excel", "显示列"):
        assert word not in whole, f"{word!r} is not on paper"
    for number, text in enumerate(texts, 1):
        assert "完成时限类别进度状态" in text, f"page {number} repeats the header row"
        assert f"第{number}页" in text, f"page {number} is numbered"
    # The table stays a table on paper, never the phone's stacked cards (where each cell carries
    # its column's name): the header row's names come out side by side.
    assert "单位编号问题整改目标" in texts[0], texts[0][:200]
