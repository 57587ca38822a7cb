"""工作台, as each demo role meets it in a real headless Chrome: the home page lists what waits for
the person (each item a link to the form where it is done), the menu's 工作台 shows how many, and
/api/v1/me/waiting lists the same items. The leading group's member follows the link to the round,
approves it, and finds it under 已办 while it now waits for the office."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, api, browser, confirm_and_wait, demo_server, sign_in, sign_out, step_button,
    wait_for_path,
)

# What each demo role finds waiting: (kind, a word of the title, the step it waits for). README's
# demo section says the same.
PENDING = {
    "leader": [("round", "第2轮", "审议通过，报党委审批")],
    "zuzhang": [("finding", "公务接待超标准", "组长审定")],
    "zuyuan": [("pledge", "第1轮", "签署保密承诺书")],
    "danwei": [("immediate", "立改", "签收"), ("rectification_task", "任务1-1", "报告进展")],
    "lianluo": [("rectification_task", "任务1-2", "申请销号")],
    "zeren": [("rectification_task", "任务1-1", "报告进展")],
    "jiwei": [("lead", "线索", "签收")],
    "xiansuo": [],
    "zuzhibu": [],
}


def token(server: Server, username: str) -> str:
    return api(server, "POST", "/api/v1/session", body={"username": username, "password": DEMO_PASSWORD})["token"]


def test_each_demo_role_finds_its_pending_items_on_its_home_page_and_in_the_api(demo_server: Server, browser: WebDriver):
    _keeping_evidence(demo_server, browser, "work-centre-failure", lambda: _run(demo_server, browser))


def _run(server: Server, driver: WebDriver) -> None:
    for username, pending in PENDING.items():
        waiting = api(server, "GET", "/api/v1/me/waiting", token=token(server, username))
        assert waiting["total"] == len(waiting["items"]), username
        sign_in(driver, server, username, DEMO_PASSWORD)
        wait_for_path(driver, "/")
        panel = driver.find_element(By.ID, "work")
        links = {a.get_attribute("href").removeprefix(server.base_url): a.text for a in panel.find_elements(By.CSS_SELECTOR, "li a")}
        for kind, title, step in pending:
            item = next((i for i in waiting["items"] if i["kind"] == kind and title in i["title"]), None)
            assert item, f"{username} waits for {kind} {title}: {waiting['items']}"
            assert step in item["steps"], f"{username}: {item}"
            assert links.get(item["href"]) == item["title"], f"{username}'s home page links {item['title']} to {item['href']}: {links}"
            assert step in panel.text, f"{username}'s home page says what to do: {panel.text}"
        badge = driver.find_elements(By.CSS_SELECTOR, "#nav-work .count-badge")
        if waiting["total"]:
            assert badge and badge[0].text == str(waiting["total"]), f"{username}'s menu shows {waiting['total']}"
        else:
            assert not badge and "当前没有待您办理的事项" in panel.text, username
        if username == "xiansuo":
            assert driver.find_element(By.CSS_SELECTOR, "a.card[href='/leads']"), "the 线索管理员 finds the way to the leads"
        sign_out(driver, server)

    # The leader follows the item to the round, approves it; it moves to 已办 and waits for the office.
    sign_in(driver, server, "leader", DEMO_PASSWORD)
    wait_for_path(driver, "/")
    driver.find_element(By.CSS_SELECTOR, "#work li[data-kind='round'] a").click()
    wait_for_path(driver, re.compile(r"^/rounds/[0-9a-f-]+$"))
    confirm_and_wait(driver, step_button(driver, "approve"), "the round's approval")
    driver.get(server.base_url + "/work?list=done")
    assert "审议通过，报党委审批" in driver.find_element(By.ID, "work-table").text
    driver.get(server.base_url + "/work")
    assert "当前没有待您办理的事项" in driver.find_element(By.TAG_NAME, "main").text
    sign_out(driver, server)
    office = api(server, "GET", "/api/v1/me/waiting", token=token(server, "office"))
    assert any(i["kind"] == "round" and i["steps"] == ["登记党委批准"] for i in office["items"]), office["items"]
