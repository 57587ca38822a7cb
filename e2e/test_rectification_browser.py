"""The browser flow of issue 5: issued feedback → the unit's rectification plan with a task
under "三个一" → the head's endorsement → the office's approval → progress with evidence →
closure (销号) → the unit's rectification report, signed by its head → accepted by the office →
the disclosure prepared, approved by the leading group, published → read on the committee's
public page without signing in.

The fieldwork before it (round, group, paper, report, feedback) is seeded through the API; the
steps this file is about are clicked in the browser."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import subprocess
import urllib.request
from pathlib import Path

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_browser import (  # noqa: F401  (server and browser are pytest fixtures)
    ONE_TIME, Server, _keeping_evidence, _settle, api, browser, confirm_and_wait, fill, open_page, seeded_accounts, server, sign_in,
    sign_out, submit_form_of, field, seed_on_site, wait_for, wait_for_path, wait_notice,
)

PLAN_PATH = re.compile(r"^/rectification-plans/[0-9a-fA-F-]{36}$")
TASK_PATH = re.compile(r"^/rectification-tasks/[0-9a-fA-F-]{36}$")
RR_PATH = re.compile(r"^/rectification-reports/[0-9a-fA-F-]{36}$")
DISCLOSURE_PATH = re.compile(r"^/disclosures/[0-9a-fA-F-]{36}$")


def test_feedback_becomes_a_plan_a_closed_task_a_signed_report_and_a_public_disclosure(server: Server, browser: WebDriver):
    _keeping_evidence(server, browser, "rectification-failure", lambda: _run_rectification_flow(server, browser))


def _seed_issued_feedback(server: Server, accounts: dict[str, tuple[str, str]]) -> tuple[dict, str]:
    """市财政局 with its head, on site, one 限期整改 paper, the inspection report approved along
    the standard chain, and the feedback issued. Returns the unit and the head's password."""
    office, lg = accounts["e2e.fw.office"][1], accounts["e2e.fw.lg"][1]
    leader_token, member_token = accounts["e2e.fw.leader"][1], accounts["e2e.fw.member"][1]
    unit = api(server, "POST", "/api/v1/units", office, {"name": "市财政局", "type": "department", "party_organisation": "leadership_group"})
    head_first = subprocess.run(
        [server.binary, "user", "add", "--database", str(server.database), "--username", "e2e.rr.head", "--name", "局长戊",
         "--role", "unit_head", "--unit", unit["id"]], capture_output=True, text=True, timeout=60, check=False)
    found = ONE_TIME.search(head_first.stdout)
    assert head_first.returncode == 0 and found, head_first.stdout + head_first.stderr
    head_password, _ = _settle(server, "e2e.rr.head", found.group(1))
    assignment, _ = seed_on_site(server, accounts, unit)
    tag = [{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]
    paper = api(server, "POST", f"/api/v1/assignments/{assignment}/findings", member_token,
                {"title": "三重一大事项未经集体决策", "manifestation": "大额资金使用未经集体研究。", "basis": "违反有关规定", "tags": tag})
    paper = api(server, "POST", f"/api/v1/findings/{paper['id']}/steps", member_token, {"step": "submit", "version": paper["version"]})
    paper = api(server, "POST", f"/api/v1/findings/{paper['id']}/steps", leader_token, {"step": "approve", "note": "组务会同意", "version": paper["version"]})
    api(server, "POST", f"/api/v1/findings/{paper['id']}/triage", leader_token, {"disposition": "deadline", "version": paper["version"]})
    report = api(server, "POST", f"/api/v1/assignments/{assignment}/reports", member_token,
                 {"kind": "inspection", "title": "关于巡察市财政局党组的情况报告", "body": "一、基本情况……", "finding_ids": [paper["id"]]})
    version = report["version"]
    for token, step in ((leader_token, "submit"), (office, "approve"), (lg, "approve"), (office, "approve"), (office, "approve")):
        version = api(server, "POST", f"/api/v1/reports/{report['id']}/steps", token, {"step": step, "version": version})["version"]
    today = datetime.date.today()
    feedback = api(server, "POST", f"/api/v1/assignments/{assignment}/feedback", office, {
        "number": "江巡反〔2026〕1号", "title": "关于巡察市财政局党组的反馈意见", "main_recipient": "市财政局党组", "body": "根据市委统一部署……",
        "plan_due": (today + datetime.timedelta(days=20)).isoformat(), "report_due": (today + datetime.timedelta(days=70)).isoformat()})
    api(server, "POST", f"/api/v1/feedback/{feedback['id']}/issue", office, {"version": feedback["version"]})
    return unit, head_password


def _run_plan_and_task(server: Server, driver: WebDriver, accounts: dict[str, tuple[str, str]], head_password: str) -> None:
    """The plan with its task under "三个一", signed, approved; the task reported on with evidence and closed."""
    # The head finds the feedback waiting for a plan on the home page and writes the plan.
    sign_in(driver, server, "e2e.rr.head", head_password)
    wait_for_path(driver, "/")
    assert "份反馈意见待拟定整改方案" in driver.find_element(By.ID, "waiting").text
    open_page(driver, server, "/rectification-plans", "#awaiting-plans a")
    driver.find_element(By.CSS_SELECTOR, "#awaiting-plans a").click()
    wait_for(driver, EC.presence_of_element_located((By.ID, "plan-form")), "the plan form")
    fill(driver, {"title": "市财政局党组关于巡察反馈意见的整改方案", "meeting": "局党组会议专题研究，同意本方案"})
    submit_form_of(driver, field(driver, "meeting"))
    wait_for_path(driver, PLAN_PATH)
    plan_path = driver.current_url.removeprefix(server.base_url)
    # One task for the problem, with its three owners; the deadline is set as a date picker would.
    fill(driver, {"target": "健全“三重一大”决策制度", "measures": "修订党组议事规则，复查大额支出", "leader": "张局长", "department": "办公室", "cadre": "李科长"})
    deadline = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    driver.execute_script(f"document.getElementById('deadline-p1').value='{deadline}';")
    submit_form_of(driver, field(driver, "target"))
    wait_notice(driver, "整改任务已增加")
    assert "李科长" in driver.find_element(By.ID, "problem-1").text
    driver.find_element(By.CSS_SELECTOR, "#plan-endorse input[name=endorse]").click()
    confirm_and_wait(driver, driver.find_element(By.ID, "endorse-button"), "endorsing the plan")
    wait_notice(driver, "已签字背书")
    assert len(driver.find_element(By.ID, "endorsement-digest").text.strip()) == 64, "the digest of what was signed"
    sign_out(driver, server)

    # The office approves it; the task starts.
    sign_in(driver, server, "e2e.fw.office", accounts["e2e.fw.office"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, plan_path, "#review-button")
    Select(driver.find_element(By.ID, "decision")).select_by_value("approve")
    confirm_and_wait(driver, driver.find_element(By.ID, "review-button"), "the plan's approval")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "plan-status"), "已审核通过"), "the plan approved")
    sign_out(driver, server)

    # The head reports progress, attaches the evidence and asks for closure.
    sign_in(driver, server, "e2e.rr.head", head_password)
    wait_for_path(driver, "/")
    open_page(driver, server, "/ledger?list=responsibility", "#ledger-table a")
    assert "李科长" in driver.find_element(By.ID, "ledger-table").text
    driver.find_element(By.CSS_SELECTOR, "#ledger-table a").click()
    wait_for_path(driver, TASK_PATH)
    task_path = driver.current_url.removeprefix(server.base_url)
    progress = driver.find_element(By.ID, "progress")
    progress.clear()
    progress.send_keys("60")
    driver.find_element(By.ID, "note-progress").send_keys("议事规则修订稿已起草")
    submit_form_of(driver, driver.find_element(By.ID, "note-progress"))
    wait_notice(driver, "整改任务状态已更新")
    evidence = Path(server.database).parent / "议事规则.pdf"
    evidence.write_bytes("%PDF-1.4 议事规则（修订）".encode())
    driver.find_element(By.ID, "evidence-file").send_keys(str(evidence))
    submit_form_of(driver, driver.find_element(By.ID, "evidence-file"))
    wait_notice(driver, "证据材料已上传")
    driver.find_element(By.ID, "note-request_closure").send_keys("议事规则已印发执行，大额支出已逐项复查")
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'button[data-step="request_closure"]'), "asking for closure")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "task-status"), "待销号审核"), "the closure request")
    sign_out(driver, server)

    # The office closes it (销号).
    sign_in(driver, server, "e2e.fw.office", accounts["e2e.fw.office"][0])
    wait_for_path(driver, "/")
    assert "申请销号待审核" in driver.find_element(By.ID, "waiting").text
    open_page(driver, server, task_path, 'button[data-step="close"]')
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, 'button[data-step="close"]'), "closing the task")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "task-status"), "已销号"), "the task closed")
    assert "议事规则.pdf" in driver.find_element(By.ID, "evidence").text
    sign_out(driver, server)
    _check_exports(server, accounts["e2e.fw.office"][1])


def _download(server: Server, path: str, token: str) -> tuple[str, bytes]:
    request = urllib.request.Request(server.base_url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Content-Type"], response.read()


def _check_exports(server: Server, office: str) -> None:
    """The 责任清单 exported as an Excel workbook and as CSV, read back by independent readers."""
    kind, data = _download(server, "/api/v1/rectification-tasks?format=xlsx&list=responsibility", office)
    assert kind.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), kind
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "责任清单"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("责任清单（截至"), "a title row above the header"
    assert rows[1] == ["单位", "任务编号", "整改任务", "责任领导", "责任部门", "责任人", "完成时限", "状态", "预警"], rows[1]
    assert rows[2][:6] == ["市财政局", "市财政局 1-1", "健全“三重一大”决策制度", "张局长", "办公室", "李科长"], rows[2]
    assert rows[2][7] == "已销号"
    assert sheet["G3"].is_date and sheet["G3"].number_format == "yyyy-mm-dd", "完成时限 is a date"
    assert sheet.freeze_panes == "A3", "the title and the header row stay in view"
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["B"].width, "columns sized to their text"
    assert sheet["A2"].font.b, "a bold header"
    kind, data = _download(server, "/api/v1/rectification-tasks?format=csv", office)
    assert kind.startswith("text/csv") and data.startswith(codecs.BOM_UTF8), "UTF-8 with a BOM, as Excel and WPS expect"
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:4] == ["单位", "任务编号", "问题", "整改目标"] and table[1][3] == "健全“三重一大”决策制度", table


def _run_rectification_flow(server: Server, driver: WebDriver) -> None:
    server.initial_passwords()
    accounts = seeded_accounts(server)
    unit, head_password = _seed_issued_feedback(server, accounts)
    _run_plan_and_task(server, driver, accounts, head_password)

    # 1. The head reads the feedback, drafts the rectification report, signs it and sends it.
    sign_in(driver, server, "e2e.rr.head", head_password)
    wait_for_path(driver, "/")
    open_page(driver, server, "/feedback", "#feedback-table a")
    driver.find_element(By.CSS_SELECTOR, "#feedback-table a").click()
    wait_for(driver, EC.presence_of_element_located((By.ID, "rectification-report-form")), "the report form on the feedback")
    assert "/findings/" not in driver.page_source, "the unit never reaches the papers"
    fill(driver, {"title": "关于巡察反馈意见整改情况的报告", "body": "一、整改工作总体情况：问题已全部整改到位。"})
    submit_form_of(driver, field(driver, "body"))
    wait_for_path(driver, RR_PATH)
    report_path = driver.current_url.removeprefix(server.base_url)
    driver.find_element(By.CSS_SELECTOR, "#step-sign input[name=endorse]").click()
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#step-sign button[type=submit]"), "signing the report")
    wait_notice(driver, "已办理")
    assert len(driver.find_element(By.ID, "rr-digest").text.strip()) == 64, "the digest of what was signed"
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#step-submit button[type=submit]"), "sending the report")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "rr-status"), "已报送"), "the report sent")
    sign_out(driver, server)

    # 2. The office accepts it and prepares the public text, naming the exemption it used.
    sign_in(driver, server, "e2e.fw.office", accounts["e2e.fw.office"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, report_path, "#step-accept")
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#step-accept button[type=submit]"), "accepting the report")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "rr-status"), "已审核通过"), "the report accepted")
    assert "问题已全部整改到位" in driver.find_element(By.ID, "d-text").get_attribute("value"), "prefilled from the report"
    fill(driver, {"title": "市财政局党组关于巡察整改情况的通报"})
    driver.find_element(By.CSS_SELECTOR, "#disclosure-form input[name=exemptions][value=pending_case]").click()
    submit_form_of(driver, field(driver, "exemptions"))
    wait_for_path(driver, DISCLOSURE_PATH)
    disclosure_path = driver.current_url.removeprefix(server.base_url)
    assert "正在初核或已立案尚未公布的案件" in driver.find_element(By.ID, "disclosure-exemptions").text
    assert not driver.find_elements(By.ID, "step-publish"), "nothing to publish before the leading group approves"
    sign_out(driver, server)

    # 3. The leading group approves it; 4. the office publishes it.
    sign_in(driver, server, "e2e.fw.lg", accounts["e2e.fw.lg"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, disclosure_path, "#step-approve")
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#step-approve button[type=submit]"), "approving the disclosure")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "disclosure-status"), "已审定"), "the disclosure approved")
    sign_out(driver, server)
    sign_in(driver, server, "e2e.fw.office", accounts["e2e.fw.office"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, disclosure_path, "#step-publish")
    confirm_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#step-publish button[type=submit]"), "publishing the disclosure")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "disclosure-status"), "已发布"), "the disclosure published")
    sign_out(driver, server)

    # 5. Anyone reads it on the committee's public page, without signing in.
    open_page(driver, server, f"/public/{unit['jurisdiction_id']}", ".public-item")
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "市财政局党组关于巡察整改情况的通报" in page and "问题已全部整改到位" in page, page
    assert "logout" not in driver.page_source
