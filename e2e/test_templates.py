"""公文模板 in a real headless Chrome, on the demo data: the 巡察办 opens 公文模板 from the menu,
rewords the 立行立改通知书 (红头, 发文字号格式, the 整改时限 sentence) on its page — a mistyped
placeholder is refused beside its field with what was typed kept — and saves it as version 1. A
notice the group then issues is numbered by the pattern, and its .docx, downloaded from its page and
read back with python-docx, shows the change; the notice issued before keeps the customary
template."""

from __future__ import annotations

import html
import io
import re

import docx
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, api, browser, demo_server, field, fill, open_page, sign_in, submit_form_of, wait_for,
    wait_for_path, wait_notice,
)
from test_exports import Session

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RED_HEAD = "中共江城市委巡察机构（立改专用）"
PATTERN = "江巡立改〔{年}〕{序号}号"


def token(server: Server, username: str) -> str:
    return api(server, "POST", "/api/v1/session", body={"username": username, "password": DEMO_PASSWORD})["token"]


def issue_an_immediate_notice(server: Server) -> str:
    """The group leader approves the paper waiting for him, handles it as 立行立改; the leading
    group consents and the leader issues the notice. Returns the item's id."""
    leader = token(server, "zuzhang")
    papers = api(server, "GET", "/api/v1/findings?status=under_review", leader)["items"]
    paper = next(p for p in papers if p["title"] == "公务接待超标准")
    paper = api(server, "POST", f"/api/v1/findings/{paper['id']}/steps", leader, {"step": "approve", "note": "同意", "version": paper["version"]})
    triaged = api(server, "POST", f"/api/v1/findings/{paper['id']}/triage", leader, {"disposition": "immediate", "version": paper["version"]})
    item_id = triaged["immediate_id"]
    item = api(server, "GET", f"/api/v1/immediate-rectifications/{item_id}", leader)
    item = api(server, "POST", f"/api/v1/immediate-rectifications/{item_id}/steps", token(server, "leader"),
               {"step": "approve", "version": item["version"]})
    api(server, "POST", f"/api/v1/immediate-rectifications/{item_id}/steps", leader,
        {"step": "issue", "version": item["version"], "problem": "两次公务接待人均费用超出规定标准。", "requirement": "立即规范公务接待，清退超标费用。",
         "deadline": "2027-06-30"})
    return item_id


def download(session: Session, page_path: str) -> docx.document.Document:
    status, _, page = session.get(page_path)
    assert status == 200, page_path
    link = re.search(r'<a class="button" href="([^"]+)" id="document-link">下载公文（.docx）</a>', page.decode("utf-8"))
    assert link, f"{page_path} offers its document"
    status, headers, data = session.get(html.unescape(link.group(1)))
    assert status == 200 and headers["Content-Type"] == DOCX, (status, headers.get("Content-Type"))
    return docx.Document(io.BytesIO(data))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def test_the_office_rewords_the_immediate_notice_and_the_next_one_issued_shows_it(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "templates-failure", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    office = Session(server, "office")
    before = api(server, "GET", "/api/v1/immediate-rectifications", token(server, "office"))["items"]
    issued_before = next(i for i in before if i["issued_at"])

    sign_in(driver, server, "office", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    menu = driver.find_element(By.CSS_SELECTOR, 'a[href="/document-templates"]')
    assert menu.get_attribute("textContent").strip() == "公文模板", "the office finds 公文模板 in its menu"
    open_page(driver, server, "/document-templates", "#document-templates-table")
    driver.find_element(By.LINK_TEXT, "立行立改通知书").click()
    wait_for_path(driver, "/document-templates/immediate")
    hint = driver.find_element(By.XPATH, "//textarea[@name='slot_deadline']/following-sibling::p[@class='hint']").text
    assert "可用占位符：{整改期限}" in hint, hint

    # A mistyped placeholder is refused beside its field; what was typed stays.
    fill(driver, {"issuer_mark": RED_HEAD, "number_pattern": PATTERN, "slot_deadline": "务必于{期限}前整改到位。", "note": "按本级发文规范"})
    submit_form_of(driver, field(driver, "note"))
    error = wait_for(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, ".field-error")), "the refusal beside its field")
    assert "{期限}" in error.text and "{整改期限}" in error.text, error.text
    assert field(driver, "issuer_mark").get_attribute("value") == RED_HEAD, "what was typed is kept"

    fill(driver, {"slot_deadline": "务必于{整改期限}前整改到位，并书面报告巡察组。"})
    submit_form_of(driver, field(driver, "note"))
    wait_notice(driver, "公文模板已保存为新版本")
    history = driver.find_element(By.ID, "template-history").text
    assert "第1版" in history and "按本级发文规范" in history and "王明" in history, history

    item_id = issue_an_immediate_notice(server)
    document = download(office, f"/immediate-rectifications/{item_id}")
    shown = texts(document)
    assert shown[0] == RED_HEAD, shown[:3]
    assert any(re.fullmatch(r"江巡立改〔\d{4}〕\d+号", t) for t in shown), f"numbered by the pattern: {shown[:4]}"
    assert "务必于2027年6月30日前整改到位，并书面报告巡察组。" in shown, shown

    # The notice issued before the template keeps the customary one.
    earlier = texts(download(office, f"/immediate-rectifications/{issued_before['id']}"))
    assert RED_HEAD not in earlier and not any(t.startswith("务必于") for t in earlier), earlier[:3]
