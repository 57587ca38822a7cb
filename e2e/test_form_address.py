"""A refused form stays at its own address: the office registers a unit under a name the register
already holds; the refusal is shown beside the name at /units/new (not at /units, where the form
posts), a reload shows it again instead of posting anew, and the corrected form then registers the
unit with a notice that names it. In a real headless Chrome."""

from __future__ import annotations

from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_browser import (  # noqa: F401  (browser and demo_server are pytest fixtures)
    DEMO_PASSWORD, Server, _keeping_evidence, browser, demo_server, field, fill, open_page, path_of, sign_in, submit_form_of,
    wait_for, wait_notice,
)


def test_a_refused_form_keeps_its_own_address(demo_server: Server, browser):
    _keeping_evidence(demo_server, browser, "form-address", lambda: _run(demo_server, browser))


def _run(server: Server, driver) -> None:
    sign_in(driver, server, "office", DEMO_PASSWORD)
    open_page(driver, server, "/units/new", "input[name=name]")
    fill(driver, {"name": "市财政局"})
    Select(field(driver, "type")).select_by_index(1)
    Select(field(driver, "party_organisation")).select_by_index(1)
    submit_form_of(driver, field(driver, "name"))
    wait_for(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, ".field-error")), "the refusal beside the name")
    assert path_of(driver) == "/units/new", f"the refused form stays at its own address, not {driver.current_url}"
    assert "shown=" in urlparse(driver.current_url).query
    assert field(driver, "name").get_attribute("value") == "市财政局", "what was typed comes back"

    driver.refresh()  # a reload shows the refusal again; nothing is posted
    wait_for(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, ".field-error")), "the refusal after a reload")
    assert path_of(driver) == "/units/new"

    fill(driver, {"name": "市档案馆"})
    submit_form_of(driver, field(driver, "name"))
    wait_notice(driver, "已新建：被巡察单位 市档案馆")
    assert path_of(driver).startswith("/units/")
