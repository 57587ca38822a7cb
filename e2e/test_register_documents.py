"""下载公文 in a real browser: headless Chromium signs in on the demo city, clicks the notice page's
下载公文（.docx） and the ledger page's 下载台账（.docx）, and the files it saves are read back with
python-docx — independently of the code that wrote them — for the page (A4 upright, A4 landscape for
the ledger), the margins of the 版心, the title's font and size, the table's header row repeated on
every page (w:tblHeader) and the footer's page number; each is converted to PDF with LibreOffice
(Debian's libreoffice-writer-nogui, as .ci/run installs it) and the PDF opened with pypdf. The lead's
移交函 and 移交清单 and the year's 巡察工作综述 are read back over the API."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import docx
import pytest
import pypdf
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import DEMO_PASSWORD, Server, demo_server, open_page, sign_in  # noqa: F401  (demo_server is a pytest fixture)

LIBREOFFICE = shutil.which("soffice") is not None or os.environ.get("CI") == "true"


@pytest.fixture
def downloads(request) -> Path:
    folder = tempfile.TemporaryDirectory(prefix="xuncha-downloads-")
    request.addfinalizer(folder.cleanup)
    return Path(folder.name)


@pytest.fixture
def downloading_browser(request, downloads: Path) -> WebDriver:
    """Headless Chromium that saves downloads into `downloads` without asking."""
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False, "safebrowsing.enabled": False})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    request.addfinalizer(driver.quit)
    return driver


def downloaded(folder: Path, before: set[str], timeout: float = 60) -> Path:
    """The one .docx that appeared in `folder` since `before`, once Chromium has finished writing it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in folder.iterdir() if p.name not in before]
        done = [p for p in new if p.suffix == ".docx" and p.stat().st_size > 0]
        if done and not any(p.suffix == ".crdownload" for p in new):
            assert len(done) == 1, [p.name for p in new]
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no .docx was downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")


def click_download(driver: WebDriver, folder: Path, selector: str) -> Path:
    before = {p.name for p in folder.iterdir()}
    link = driver.find_element(By.CSS_SELECTOR, selector)
    assert link.get_attribute("href").split("?")[0].endswith((".docx", "/ledger")), link.get_attribute("href")
    link.click()
    return downloaded(folder, before)


def east_asian_font(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def check_page(document, landscape: bool) -> None:
    """A4 (on its side for a register) with the 版心 of GB/T 9704-2012: 156 mm × 225 mm, turned."""
    section = document.sections[0]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert abs(section.page_width - width) < Mm(0.2) and abs(section.page_height - height) < Mm(0.2), "A4"
    assert (section.orientation.name == "LANDSCAPE") == landscape, section.orientation
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    expected = (28, 26, 37, 35) if landscape else (37, 35, 28, 26)
    for margin, mm in zip(margins, expected):
        assert abs(margin - Mm(mm)) < Mm(0.1), f"{margin.mm} mm, not {mm} mm"
    type_area = (Mm(225), Mm(156)) if landscape else (Mm(156), Mm(225))
    assert abs(section.page_width - section.left_margin - section.right_margin - type_area[0]) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - type_area[1]) < Mm(0.1)


def check_footer(document) -> None:
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and paragraph.alignment.name == side, (paragraph.text, paragraph.alignment)
        assert " PAGE " in paragraph._p.xml and paragraph.runs[0].font.size == Pt(14), "4号 宋体 page number"


def check_title(document, starts: str) -> None:
    title = next(p for p in document.paragraphs if p.text.startswith(starts))
    assert title.runs[0].font.size == Pt(22) and east_asian_font(title.runs[0]) == "方正小标宋简体", "the title in 2号 小标宋"
    assert title.alignment.name == "CENTER"


def check_table(table, header: list[str]) -> None:
    first = table.rows[0]
    assert [cell.text for cell in first.cells][: len(header)] == header, [cell.text for cell in first.cells]
    assert first._tr.trPr is not None and first._tr.trPr.find(qn("w:tblHeader")) is not None, "the header repeats on every page"
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows), "no row splits across pages"
    run = first.cells[0].paragraphs[0].runs[0]
    assert run.font.bold and east_asian_font(run) == "黑体", "the header in bold 黑体"


def pdf_pages(data: bytes, name: str) -> int:
    """The document converted by LibreOffice, opened by pypdf: its page count."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{name}.docx"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, timeout=180, capture_output=True)
        reader = pypdf.PdfReader(io.BytesIO((Path(folder) / f"{name}.pdf").read_bytes()))
        return len(reader.pages)


def token(server: Server, username: str) -> str:
    request = urllib.request.Request(
        server.base_url + "/api/v1/session", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["token"]


def get(server: Server, path: str, bearer: str) -> tuple[int, bytes]:
    request = urllib.request.Request(server.base_url + path, headers={"Authorization": f"Bearer {bearer}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_the_browser_downloads_a_notice_and_the_ledger_as_docx(demo_server: Server, downloading_browser: WebDriver, downloads: Path):
    driver = downloading_browser
    sign_in(driver, demo_server, "danwei", DEMO_PASSWORD)  # 市财政局's head reads its notice
    open_page(driver, demo_server, "/notices", "main")
    driver.find_element(By.CSS_SELECTOR, 'a[href^="/notices/"]').click()
    open_page(driver, demo_server, driver.current_url.replace(demo_server.base_url, ""), "#document-link")
    notice_file = click_download(driver, downloads, "#document-link")
    notice = docx.Document(str(notice_file))
    check_page(notice, landscape=False)
    check_title(notice, "关于")
    check_footer(notice)
    assert "市财政局党组织：" in [p.text for p in notice.paragraphs], "主送"
    assert 1 <= pdf_pages(notice_file.read_bytes(), "notice") <= 2

    driver.delete_all_cookies()
    sign_in(driver, demo_server, "office", DEMO_PASSWORD)
    open_page(driver, demo_server, "/ledger?list=tasks", "#ledger-document")
    assert driver.find_element(By.CSS_SELECTOR, "#ledger-document").text == "下载台账（.docx）"
    ledger_file = click_download(driver, downloads, "#ledger-document")
    ledger = docx.Document(str(ledger_file))
    check_page(ledger, landscape=True)
    check_title(ledger, "整改台账（截至")
    check_footer(ledger)
    texts = [p.text for p in ledger.paragraphs]
    assert any("制表单位：江城市委" in t and "制表日期：" in t for t in texts), texts[:4]
    assert len(ledger.tables) == 1
    table = ledger.tables[0]
    check_table(table, ["单位", "任务编号", "问题", "整改目标", "整改措施", "完成时限", "类别", "进度", "状态", "预警"])
    assert len(table.rows) > 1, "the tasks under their header"
    assert pdf_pages(ledger_file.read_bytes(), "ledger") >= 1


@pytest.mark.skipif(not LIBREOFFICE, reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_the_lead_letter_and_list_and_the_year_summary_read_back_over_the_api(demo_server: Server):
    custodian = token(demo_server, "xiansuo")
    status, body = get(demo_server, "/api/v1/leads?limit=100", custodian)
    assert status == 200
    lead = next(item for item in json.loads(body)["items"] if item.get("transfer_sheet"))

    status, letter_bytes = get(demo_server, f"/api/v1/leads/{lead['id']}/transfer-letter.docx", custodian)
    assert status == 200, letter_bytes[:200]
    letter = docx.Document(io.BytesIO(letter_bytes))
    check_page(letter, landscape=False)
    check_title(letter, "关于移交问题线索的函")
    check_footer(letter)
    texts = [p.text for p in letter.paragraphs if p.text]
    assert texts[0].isdigit() and len(texts[0]) == 6, f"份号 first: {texts[:3]}"
    assert texts[1] == "机密", "密级"
    assert "〔" in lead["transfer_sheet"] and lead["transfer_sheet"] in texts, "numbered by its 移交单编号"
    assert 1 <= pdf_pages(letter_bytes, "letter") <= 2

    status, list_bytes = get(demo_server, f"/api/v1/leads/{lead['id']}/transfer-list.docx", custodian)
    assert status == 200
    register = docx.Document(io.BytesIO(list_bytes))
    check_page(register, landscape=True)
    check_title(register, "问题线索移交清单")
    check_table(register.tables[0], ["序号", "线索编号", "反映对象及职务", "问题摘要", "干部管理权限", "接收单位", "备注"])
    assert lead["number"] in [cell.text for cell in register.tables[0].rows[1].cells]
    assert pdf_pages(list_bytes, "list") >= 1
    unit = token(demo_server, "danwei")
    assert get(demo_server, f"/api/v1/leads/{lead['id']}/transfer-list.docx", unit)[0] == 404, "never the inspected unit"

    office = token(demo_server, "office")
    status, summary_bytes = get(demo_server, "/api/v1/statistics/summary.docx", office)
    assert status == 200, summary_bytes[:200]
    summary = docx.Document(io.BytesIO(summary_bytes))
    check_page(summary, landscape=False)
    check_title(summary, "关于")
    check_footer(summary)
    assert any(p.text.startswith("全年") or "巡察" in p.text for p in summary.paragraphs)
    assert summary.tables, "the figures by unit or by category in a table"
    check_table(summary.tables[0], [summary.tables[0].rows[0].cells[0].text])
    assert pdf_pages(summary_bytes, "summary") >= 1
    assert get(demo_server, "/api/v1/statistics/summary.docx", unit)[0] == 404, "the office's, not the unit's"
