"""Every ledger (台账) exported from its page as an Excel workbook and as CSV, over the demo data,
and read back with independent readers: openpyxl for the workbook, Python's csv module for the
CSV. The downloads follow the 导出Excel / 导出CSV links of each page with a signed-in session
cookie, as a browser would; no browser is needed to check a file's bytes."""

from __future__ import annotations

import codecs
import csv
import datetime
import html
import http.cookiejar
import io
import re
import urllib.error
import urllib.parse
import urllib.request

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from test_browser import DEMO_PASSWORD, Server, demo_server  # noqa: F401  (demo_server is a pytest fixture)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# page, account that reads it, sheet title, header row
LEDGERS = [
    ("/ledger?list=problems", "office", "问题清单", ["单位", "反馈意见文号", "序号", "问题", "整改任务数", "已销号", "逾期"]),
    ("/ledger?list=tasks", "office", "任务清单", ["单位", "任务编号", "问题", "整改目标", "整改措施", "完成时限", "类别", "进度", "状态", "预警"]),
    ("/ledger?list=responsibility", "office", "责任清单", ["单位", "任务编号", "整改任务", "责任领导", "责任部门", "责任人", "完成时限", "状态", "预警"]),
    ("/ledger?list=checks", "office", "督查清单", ["单位", "任务编号", "督查日期", "督查主体", "督查人", "督查方式", "督查结果", "情况说明"]),
    ("/ledger?list=overdue-units", "office", "逾期（按单位）", ["单位", "逾期任务数", "最早完成时限"]),
    ("/ledger?list=overdue-people", "office", "逾期（按责任人）", ["责任人", "单位", "逾期任务数", "最早完成时限"]),
    ("/findings", "office", "问题底稿", ["编号", "问题标题", "被巡察单位", "问题表现", "定性依据", "状态", "处置方式", "起草人", "更新时间"]),
    ("/leads", "xiansuo", "线索台账",
     ["线索编号", "反映对象", "职务", "所在单位", "干部管理权限", "问题类别", "线索来源", "状态", "接收单位", "反馈期限", "是否逾期", "登记时间"]),
    ("/immediate-rectifications", "office", "立行立改",
     ["通知书编号", "被巡察单位", "问题", "整改要求", "完成时限", "状态", "签收人", "签收时间", "整改措施", "销号时间"]),
    ("/rule-improvements", "office", "制度台账", ["制度名称", "类别", "制定单位", "文号", "出台日期", "关联问题数", "登记人"]),
    ("/evaluations", "office", "整改评估", ["被巡察单位", "反馈意见文号", "计划评估日期", "评估日期", "评估等次", "二次整改时限", "状态"]),
    ("/follow-ups", "office", "回头看", ["被巡察单位", "计划时间", "事由", "状态", "安排人"]),
    ("/units", "office", "被巡察单位", ["单位名称", "单位类型", "党组织类型", "所属党委", "主要负责人", "录入时间"]),
]


class Session:
    """A signed-in web session: the login form posted with its CSRF token, the cookie kept."""

    def __init__(self, server: Server, username: str):
        self.server = server
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.get("/login")[2].decode("utf-8")
        token = re.search(r'name="_csrf" value="([^"]+)"', form)
        assert token, "the login form carries a CSRF token"
        body = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD, "_csrf": token.group(1)}).encode()
        with self.opener.open(urllib.request.Request(server.base_url + "/login", data=body, method="POST"), timeout=30) as response:
            assert urllib.parse.urlparse(response.url).path == "/", f"{username} signed in (landed on {response.url})"

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(self.server.base_url + path, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def export_links(page: bytes) -> tuple[str, str]:
    text = page.decode("utf-8")
    excel = re.search(r'<a class="button" href="([^"]+)" id="export-excel">导出Excel</a>', text)
    comma = re.search(r'<a class="button" href="([^"]+)" id="export-csv">导出CSV</a>', text)
    assert excel and comma, "the page shows 导出Excel and 导出CSV"
    return html.unescape(excel.group(1)), html.unescape(comma.group(1))


def read_csv(headers: dict[str, str], data: bytes) -> list[list[str]]:
    assert headers["Content-Type"].startswith("text/csv"), headers["Content-Type"]
    assert data.startswith(codecs.BOM_UTF8), "UTF-8 with a BOM, as Excel and WPS expect"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def as_text(cell) -> str:
    """A typed cell as the CSV writes it: a day as 2026-03-05, a share as 85% (or 85.7%), a whole number without .0."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, (int, float)) and "%" in cell.number_format:
        return f"{value * 100:.{1 if '.0' in cell.number_format else 0}f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(headers: dict[str, str], data: bytes, title: str, header: list[str]) -> list[list[str]]:
    """The header and the rows of a ledger's workbook, under its title row (merged across, bold) and
    without its 合计 row, whose SUM formulas are checked here."""
    assert headers["Content-Type"] == XLSX, headers["Content-Type"]
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" + urllib.parse.quote(title) in disposition, disposition
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [title[:31]]
    sheet = book.active
    assert sheet.freeze_panes == "A3", "the title and the header row stay in view"
    heading = sheet.cell(row=1, column=1)
    assert re.fullmatch(re.escape(title) + r"（截至\d{4}年\d{1,2}月\d{1,2}日）", heading.value or ""), heading.value
    assert heading.font.b, "a bold title"
    assert f"A1:{get_column_letter(len(header))}1" in [str(merged) for merged in sheet.merged_cells.ranges], "the title spans the columns"
    rows = [[as_text(cell) for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == header, rows[0]
    assert all(sheet.cell(row=2, column=n).font.b for n in range(1, len(header) + 1)), "a bold header"
    for n in range(1, len(header) + 1):
        dimension = sheet.column_dimensions[get_column_letter(n)]
        assert dimension.customWidth and dimension.width and dimension.width >= 6, f"column {n} of {title} has a width"
    if len(rows) > 2 and rows[-1][0] == "合计":
        last = sheet.max_row
        for n, value in enumerate(rows[-1][1:], start=2):
            letter = get_column_letter(n)
            assert value in ("", f"=SUM({letter}3:{letter}{last - 1})"), f"{title}: 合计 of column {n} is {value}"
        rows = rows[:-1]
    return [row + [""] * (len(header) - len(row)) for row in rows]


def defused(value: str) -> str:
    """A text cell as the CSV carries it: a leading =, +, - or @ is quoted so it never runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def test_every_ledger_downloads_as_a_workbook_and_as_csv_with_the_same_rows(demo_server: Server):
    sessions: dict[str, Session] = {}
    counts = {}
    for path, username, title, header in LEDGERS:
        session = sessions.setdefault(username, Session(demo_server, username))
        status, _, page = session.get(path)
        assert status == 200, f"{path} answered {status}"
        excel, comma = export_links(page)
        assert "format=xlsx" in excel and "format=csv" in comma and "cursor" not in excel
        for link in (excel, comma):
            for key, value in urllib.parse.parse_qsl(urllib.parse.urlparse(path).query):
                assert f"{key}={urllib.parse.quote(value)}" in link, f"{link} carries {key} of {path}"

        status, headers, data = session.get(excel)
        assert status == 200, f"{excel}: {status} {data[:200]!r}"
        sheet = read_workbook(headers, data, title, header)
        status, headers, data = session.get(comma)
        assert status == 200, f"{comma}: {status}"
        table = read_csv(headers, data)
        assert table[0] == header, table[0]
        assert table == [[defused(v) for v in row] if n else row for n, row in enumerate(sheet)], f"{title}: the CSV and the workbook hold the same cells"
        assert headers["Cache-Control"] == "no-store"
        counts[title] = len(table) - 1
    # Numbers, shares and days are typed cells, so SUM, sorting and filters work; numbers that
    # identify (文号, 编号) stay text.
    session = sessions["office"]
    problems = openpyxl.load_workbook(io.BytesIO(session.get("/ledger?list=problems&format=xlsx")[2])).active
    assert problems["A2"].value == "单位" and problems["E2"].value == "整改任务数"
    assert problems["E3"].data_type == "n" and isinstance(problems["E3"].value, int), problems["E3"].value
    assert problems["B3"].data_type == "s", "a 文号 is text"
    totals = problems.cell(row=problems.max_row, column=1)
    assert totals.value == "合计" and problems.cell(row=problems.max_row, column=5).value == f"=SUM(E3:E{problems.max_row - 1})"
    tasks = openpyxl.load_workbook(io.BytesIO(session.get("/ledger?list=tasks&format=xlsx")[2])).active
    assert tasks["F2"].value == "完成时限"
    assert isinstance(tasks["F3"].value, datetime.datetime) and tasks["F3"].number_format == "yyyy-mm-dd", (tasks["F3"].value, tasks["F3"].number_format)
    assert isinstance(tasks["H3"].value, (int, float)) and "%" in tasks["H3"].number_format, "进度 is a percentage"
    assert isinstance(tasks["B3"].value, str) and tasks["B3"].value.startswith(tasks["A3"].value + " "), "a task's number names its unit"

    # The demo data fills the fieldwork and rectification ledgers, so the rows are really compared.
    for title in ("问题清单", "任务清单", "责任清单", "问题底稿", "线索台账", "立行立改", "被巡察单位"):
        assert counts[title] > 0, f"{title} has rows in the demo data ({counts})"


def test_a_unit_exports_only_its_own_rectification_and_never_leads_or_papers(demo_server: Server):
    contact = Session(demo_server, "lianluo")  # 市财政局's contact
    for path in ("/ledger?list=problems&format=csv", "/ledger?list=tasks&format=csv", "/ledger?list=responsibility&format=csv"):
        status, headers, data = contact.get(path)
        assert status == 200, path
        rows = read_csv(headers, data)[1:]
        assert rows and {row[0] for row in rows} == {"市财政局"}, f"{path}: {rows}"
    for path in ("/leads?format=csv", "/leads?format=xlsx", "/findings?format=csv", "/findings?format=xlsx"):
        status, headers, _ = contact.get(path)
        assert status in (403, 404), f"{path} answered {status}"
        assert not headers.get("Content-Disposition"), "nothing to download"
    office = Session(demo_server, "office")
    status, headers, data = office.get("/ledger?list=tasks&format=ods")
    assert status == 400 and "导出格式只支持 csv 或 xlsx" in data.decode("utf-8")
