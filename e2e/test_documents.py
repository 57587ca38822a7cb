"""下载公文: the demo city's 巡察通知 downloaded as .docx from its page with a signed-in session,
read back with python-docx — independently of the code that wrote it — for the layout of
GB/T 9704-2012, and, where LibreOffice is installed (Debian's libreoffice-writer-nogui, as .ci/run
installs it), converted to PDF to show that it opens and how many pages it has."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from test_browser import Server, demo_server  # noqa: F401  (demo_server is a pytest fixture)
from test_exports import Session

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def east_asian_font(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def download_notice(server: Server) -> tuple[str, bytes]:
    """The unit head's notice: its page, then its 下载公文（.docx） link."""
    head = Session(server, "danwei")  # 市财政局's head
    status, _, page = head.get("/notices")
    assert status == 200
    found = re.search(r'href="(/notices/[0-9a-f-]{36})"', page.decode("utf-8"))
    assert found, "the unit's notice is listed"
    status, _, page = head.get(found.group(1))
    assert status == 200
    text = page.decode("utf-8")
    link = re.search(r'<a class="button" href="([^"]+)" id="document-link">下载公文（.docx）</a>', text)
    assert link, "the notice's page offers its document"
    number = re.search(r'<p class="page-lead">([^<·]+) · ', text)
    status, headers, data = head.get(html.unescape(link.group(1)))
    assert status == 200, f"{link.group(1)}: {status} {data[:200]!r}"
    assert headers["Content-Type"] == DOCX, headers["Content-Type"]
    assert headers["Content-Disposition"].startswith("attachment;") and ".docx" in urllib.parse.unquote(headers["Content-Disposition"])
    assert headers["Cache-Control"] == "no-store"
    assert number, "the page shows the notice's number"
    return html.unescape(number.group(1)).strip(), data


def test_a_notice_downloads_from_its_page_in_the_standard_layout(demo_server: Server):
    number, data = download_notice(demo_server)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635), "A4"
    # 版心 156 mm × 225 mm: top 37, bottom 35, left 28, right 26 mm (to the twip).
    for margin, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(margin - Mm(mm)) < Mm(0.1), f"{margin.mm} mm, not {mm} mm"
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < Mm(0.1)

    paragraphs = [p for p in document.paragraphs if p.text]
    texts = [p.text for p in paragraphs]
    assert texts[0] == "中共江城市委巡察工作领导小组办公室", texts[:3]
    assert number in texts and "〔" in number, f"the 发文字号 {number} in {texts[:4]}"
    title = next(p for p in paragraphs if p.text.startswith("关于") and p.text.endswith("的通知"))
    assert title.runs[0].font.size == Pt(22) and east_asian_font(title.runs[0]) == "方正小标宋简体", "the title in 2号 小标宋"
    assert "市财政局党组织：" in texts, "主送"
    body = paragraphs[texts.index("市财政局党组织：") + 1]
    assert body.runs[0].font.size == Pt(16) and east_asian_font(body.runs[0]) == "仿宋_GB2312", "the body in 3号 仿宋_GB2312"
    assert body.paragraph_format.line_spacing == Pt(28.95), "22 lines to the 版心"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[texts.index("中共江城市委巡察工作领导小组办公室", 1) + 1]), "署名 above the 成文日期"
    assert texts[-1].endswith("印发"), "the 版记 closes it"

    assert document.settings.odd_and_even_pages_header_footer, "odd and even pages have their own footer"
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —", paragraph.text
        assert paragraph.alignment.name == side
        assert " PAGE " in paragraph._p.xml and paragraph.runs[0].font.size == Pt(14)


# Under CI (.ci/run installs it) a missing LibreOffice fails the test rather than skipping it.
@pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true", reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_the_notice_opens_in_libreoffice_on_one_page(demo_server: Server):
    _, data = download_notice(demo_server)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "notice.docx"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, timeout=180, capture_output=True)
        pdf = (Path(folder) / "notice.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, f"the customary notice fits on a page or two, not {pages}"


def test_the_immediate_notice_and_the_feedback_read_back_in_the_standard_layout(demo_server: Server):
    """The demo's issued 立行立改通知书 (in the group's name) and 反馈意见 (in the office's), as downloaded
    over the API: A4 and the 版心, title and body fonts, the 发文字号 in 〔〕, the 成文日期, the page number;
    each converts with LibreOffice where it is installed."""
    from test_chain_documents import Api

    office = Api(demo_server, "office")
    immediate = next(i for i in office.json("GET", "/api/v1/immediate-rectifications")["items"] if i.get("number"))
    feedback = next(f for f in office.json("GET", "/api/v1/feedback")["items"] if f.get("status") == "issued")
    for path, red_head, title in (
        (f"/api/v1/immediate-rectifications/{immediate['id']}/document.docx", "巡察组", "立行立改通知书"),
        (f"/api/v1/feedback/{feedback['id']}/document.docx", "中共江城市委巡察工作领导小组办公室", None),
    ):
        data = office.document(path)
        document = docx.Document(io.BytesIO(data))
        section = document.sections[0]
        assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635), f"{path}: A4"
        for margin, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
            assert abs(margin - Mm(mm)) < Mm(0.1), f"{path}: {margin.mm} mm, not {mm} mm"
        paragraphs = [p for p in document.paragraphs if p.text]
        texts = [p.text for p in paragraphs]
        assert red_head in texts[0], f"{path}: 红头 {texts[0]}"
        assert any("〔" in text and text.endswith("号") for text in texts[:3]), f"{path}: the 发文字号 in 〔〕: {texts[:3]}"
        heading = next(p for p in paragraphs if p.runs and p.runs[0].font.size == Pt(22))
        assert east_asian_font(heading.runs[0]) == "方正小标宋简体", f"{path}: the title in 2号 小标宋"
        if title:
            assert heading.text == title
        assert any(p.runs and p.runs[0].font.size == Pt(16) and east_asian_font(p.runs[0]) == "仿宋_GB2312" for p in paragraphs), f"{path}: 3号 仿宋 body"
        assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text) for text in texts), f"{path}: the 成文日期"
        assert section.footer.paragraphs[0].text == "— 1 —" and " PAGE " in section.footer.paragraphs[0]._p.xml
        if shutil.which("soffice"):
            with tempfile.TemporaryDirectory() as folder:
                source = Path(folder) / "document.docx"
                source.write_bytes(data)
                subprocess.run(
                    ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                    check=True, timeout=180, capture_output=True)
                pdf = (Path(folder) / "document.pdf").read_bytes()
            assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 1, path
