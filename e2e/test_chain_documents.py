"""下载公文 of the report and rectification chains: on the demo city, the records the demo lacks (a
专题报告 of 一巡双报告, the unit's two rectification reports, a graded evaluation, a 专题报告 sent to a
department) are made through the API as their roles would; then each kind is downloaded over the
API and read back with python-docx — independently of the code that wrote it — for the layout of
GB/T 9704-2012, and, where LibreOffice is installed (Debian's libreoffice-writer-nogui, as .ci/run
installs it), converted to PDF to show that each opens."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from test_browser import DEMO_PASSWORD, Server, demo_server  # noqa: F401  (demo_server is a pytest fixture)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


class Api:
    """A bearer token of one demo account, and JSON calls with it."""

    def __init__(self, server: Server, username: str):
        self.server = server
        self.token = self.call("POST", "/api/v1/session", {"username": username, "password": DEMO_PASSWORD}, token=False)[1]["token"]

    def call(self, method: str, path: str, body: dict | None = None, token: bool = True) -> tuple[int, dict | bytes, dict[str, str]]:
        request = urllib.request.Request(self.server.base_url + path, method=method, data=json.dumps(body).encode() if body is not None else None)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, headers, data = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, dict(error.headers), error.read()
        if headers.get("Content-Type", "").startswith("application/json"):
            return status, json.loads(data), headers
        return status, data, headers

    def json(self, method: str, path: str, body: dict | None = None) -> dict:
        status, data, _ = self.call(method, path, body)
        assert status in (200, 201), f"{method} {path}: {status} {data}"
        return data

    def document(self, path: str) -> bytes:
        status, data, headers = self.call("GET", path)
        assert status == 200, f"{path}: {status} {data}"
        assert headers["Content-Type"] == DOCX, headers["Content-Type"]
        return data


def chain_documents(server: Server) -> dict[str, tuple[bytes, str]]:
    """Each kind of the chains as downloaded, with the title it must carry."""
    office, group, head, contact = (Api(server, name) for name in ("office", "zuzhang", "danwei", "lianluo"))
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    report = office.json("GET", "/api/v1/reports?kind=inspection")["items"][0]
    special = group.json("POST", f"/api/v1/assignments/{report['assignment_id']}/reports", {
        "kind": "thematic", "title": "关于市财政局党组选人用人工作的专题报告", "body": "一、总体评价\n选人用人工作总体规范。",
        "finding_ids": report["finding_ids"]})
    status, error, _ = group.call("GET", f"/api/v1/reports/{special['id']}/document.docx")
    assert status == 409 and error["error"]["code"] == "not_issued", "a draft report is not a document yet"
    group.json("POST", f"/api/v1/reports/{special['id']}/steps", {"step": "submit", "version": special["version"]})

    plan = office.json("GET", "/api/v1/rectification-plans")["items"][0]
    feedback_id = plan["feedback_id"]
    reports = {}
    for kind, title in (("rectification", "关于巡察整改情况的报告"), ("head_organising", "关于组织落实巡察整改情况的报告")):
        created = contact.json("POST", f"/api/v1/feedback/{feedback_id}/rectification-reports", {
            "kind": kind, "title": title, "body": "一、整改工作开展情况\n党组专题研究部署。\n二、下一步打算\n持续抓好整改。"})
        head.json("POST", f"/api/v1/rectification-reports/{created['id']}/steps", {"step": "sign", "version": created["version"]})
        contact.json("POST", f"/api/v1/rectification-reports/{created['id']}/steps", {"step": "submit", "version": created["version"] + 1})
        reports[kind] = (created["id"], title)

    evaluation = office.json("POST", f"/api/v1/feedback/{feedback_id}/evaluations", {"planned_on": today})
    office.json("POST", f"/api/v1/evaluations/{evaluation['id']}/steps", {
        "step": "grade", "version": evaluation["version"], "methods": ["书面审核", "实地抽查"], "findings": "整改基本到位。",
        "grade": "fairly_good", "evaluated_on": today})

    feedback = office.json("GET", f"/api/v1/feedback/{feedback_id}")
    finding = feedback["problems"][0]["finding_id"]
    thematic = office.json("POST", "/api/v1/thematic-reports", {
        "title": "关于政府采购领域普遍性问题的专题报告", "body": "一、问题概况\n多个单位存在同类问题。\n二、意见建议\n完善采购内控制度。",
        "department_unit_id": plan["unit_id"], "finding_ids": [finding]})
    worded = office.json("PUT", f"/api/v1/thematic-reports/{thematic['id']}/problems", {
        "problems": [{"finding_id": finding, "wording": "重大采购事项未经集体研究"}], "version": thematic["version"]})
    office.json("POST", f"/api/v1/thematic-reports/{thematic['id']}/steps", {"step": "send", "version": worded["version"]})

    notice = head.json("GET", "/api/v1/notices")["items"][0]
    return {
        "inspection_report": (office.document(f"/api/v1/reports/{report['id']}/document.docx"), report["title"]),
        "special_report": (office.document(f"/api/v1/reports/{special['id']}/document.docx"), "关于市财政局党组选人用人工作的专题报告"),
        "rectification_plan": (head.document(f"/api/v1/rectification-plans/{plan['id']}/document.docx"), plan["title"]),
        "rectification_report": (contact.document(f"/api/v1/rectification-reports/{reports['rectification'][0]}/document.docx"), "关于巡察整改情况的报告"),
        "principal_report": (office.document(f"/api/v1/rectification-reports/{reports['head_organising'][0]}/document.docx"), "关于组织落实巡察整改情况的报告"),
        "evaluation": (head.document(f"/api/v1/evaluations/{evaluation['id']}/document.docx"), "关于市财政局巡察整改情况的评估意见"),
        "thematic_report": (head.document(f"/api/v1/thematic-reports/{thematic['id']}/document.docx"), "关于政府采购领域普遍性问题的专题报告"),
        "announcement": (head.document(f"/api/v1/announcements/{notice['id']}/document.docx"), "关于巡察市财政局的公告"),
    }


def east_asian_font(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_each_document_of_the_chains_reads_back_in_the_standard_layout(demo_server: Server):
    documents = chain_documents(demo_server)
    assert len(documents) == 8
    for kind, (data, title) in documents.items():
        document = docx.Document(io.BytesIO(data))
        section = document.sections[0]
        assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635), f"{kind}: A4"
        for margin, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
            assert abs(margin - Mm(mm)) < Mm(0.1), f"{kind}: {margin.mm} mm, not {mm} mm"

        paragraphs = [p for p in document.paragraphs if p.text]
        texts = [p.text for p in paragraphs]
        heading = next((p for p in paragraphs if title in p.text), None)
        assert heading is not None, f"{kind}: the title {title} in {texts[:5]}"
        assert heading.runs[0].font.size == Pt(22) and east_asian_font(heading.runs[0]) == "方正小标宋简体", f"{kind}: the title in 2号 小标宋"
        body = paragraphs[paragraphs.index(heading) + 1:]
        plain = next(p for p in body if p.runs and east_asian_font(p.runs[0]) == "仿宋_GB2312")
        assert plain.runs[0].font.size == Pt(16), f"{kind}: the body in 3号 仿宋_GB2312"
        assert any(DAY.fullmatch(text) for text in texts), f"{kind}: the 成文日期 in words"
        assert document.settings.odd_and_even_pages_header_footer, f"{kind}: odd and even pages have their own footer"
        footer = section.footer.paragraphs[0]
        assert footer.text == "— 1 —" and " PAGE " in footer._p.xml, f"{kind}: the page number field"

    texts = {kind: "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs) for kind, (data, _) in documents.items()}
    assert "中共江城市委巡察工作领导小组：" in texts["inspection_report"], "the report goes to the leading group"
    assert "中共市财政局党组" in texts["rectification_plan"] and "责任领导：" in texts["rectification_plan"], "the plan is the unit's, with its tasks"
    # None of these kinds carries a 发文字号 of its own; the feedback they answer is cited with 〔〕.
    assert "巡察反馈意见（江巡反〔2026〕1号）" in texts["rectification_plan"] and "〔2026〕" in texts["evaluation"]
    assert "市财政局党组书记　李建国" in texts["principal_report"], "the head signs his own report"
    assert "评估等次为“较好”" in texts["evaluation"] and "江城市纪委监委" in texts["evaluation"]
    assert "1. 重大采购事项未经集体研究" in texts["thematic_report"]
    assert "特此公告。" in texts["announcement"] and "来信来访" in texts["announcement"]


# Under CI (.ci/run installs it) a missing LibreOffice fails the test rather than skipping it.
@pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true", reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_each_document_of_the_chains_opens_in_libreoffice(demo_server: Server):
    documents = chain_documents(demo_server)
    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for kind, (data, _) in documents.items():
            source = Path(folder) / f"{kind}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf", "--outdir", folder, *sources],
            check=True, timeout=600, capture_output=True)
        for kind in documents:
            pdf = (Path(folder) / f"{kind}.pdf").read_bytes()
            assert pdf.startswith(b"%PDF"), kind
            pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
            assert pages >= 1, f"{kind}: {pages} pages"
