"""Browser end-to-end test: the real `xuncha` binary driven by headless Chromium.

Run through ./scripts/test, which builds the binary and sets XUNCHA_BIN; by hand:

    XUNCHA_BIN=.build/debug/xuncha python3 -m pytest -q e2e

Needs Debian's `chromium` and `chromium-driver` and `pip install -r e2e/requirements.txt`.

The test starts the server on an empty SQLite database, so it sees exactly what a
new installation shows: the one-time administrator passwords printed at first start,
the forced password change, and then the everyday flow of an administrator creating
an inspection-office account which registers an inspected unit.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parent
ARTIFACTS = E2E_DIR / "artifacts"

STARTUP_TIMEOUT = 60  # seconds for the server to answer /healthz (first start migrates)
WAIT = 20  # seconds for any single page to show what we wait for

# Printed once per administrator at first start, e.g.
#   [初始账号] 用户名=sysadmin 角色=系统管理员 一次性密码=XXXXXXXX
INITIAL_ACCOUNT = re.compile(r"\[初始账号\] 用户名=(\S+) 角色=(\S+) 一次性密码=(\S+)")
ADMINISTRATORS = ("sysadmin", "secadmin", "auditadmin")
UUID_PATH = re.compile(r"^/units/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


# ---------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------


class Server:
    """The xuncha binary running on a fresh temporary database, with its output kept."""

    def __init__(self, binary: str, workdir: Path):
        self.binary = binary
        self.database = workdir / "x.sqlite"
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--database", str(self.database)],
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        # Drain the pipe continuously so the server never blocks on a full pipe.
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            with self._lock:
                self._lines.append(raw.decode("utf-8", errors="replace").rstrip("\n"))

    @property
    def output(self) -> str:
        with self._lock:
            return "\n".join(self._lines)

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode} before it was healthy")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
                    last_error = f"HTTP {response.status}"
            except (urllib.error.URLError, OSError) as error:
                last_error = str(error)
            time.sleep(0.2)  # polling a process, not a page: no WebDriverWait here
        raise AssertionError(f"GET /healthz did not answer 200 within {STARTUP_TIMEOUT} s ({last_error})")

    def initial_passwords(self, timeout: float = 10) -> dict[str, str]:
        """The one-time passwords printed at first start, by user name.

        The lines may arrive a moment after /healthz answers; they must arrive
        without the server stopping (a server that only buffers stdout would show
        them in a service log only at exit, which is useless to an operator).
        """
        deadline = time.monotonic() + timeout
        while True:
            found = {m.group(1): m.group(3) for m in INITIAL_ACCOUNT.finditer(self.output)}
            if all(name in found for name in ADMINISTRATORS) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        missing = [name for name in ADMINISTRATORS if name not in found]
        assert not missing, (
            f"no '[初始账号] 用户名=… 角色=… 一次性密码=…' line for {missing} in the server output "
            "(is stdout flushed after printing?)"
        )
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._reader.join(timeout=5)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(request, demo: bool = False) -> Server:
    """The binary on a fresh temporary database (filled by `xuncha demo` first when asked),
    stopped and removed when the test ends."""
    binary = os.environ.get("XUNCHA_BIN") or str(REPO_DIR / ".build" / "debug" / "xuncha")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"xuncha binary not found at {binary}: run ./scripts/test, or set XUNCHA_BIN")
    workdir = tempfile.TemporaryDirectory(prefix="xuncha-e2e-")
    if demo:
        seeded = subprocess.run([binary, "demo", "--database", str(Path(workdir.name) / "x.sqlite")],
                                capture_output=True, text=True, timeout=300, check=False)
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    srv = Server(binary, Path(workdir.name))

    def finalize():
        srv.stop()
        workdir.cleanup()

    request.addfinalizer(finalize)
    try:
        srv.wait_until_healthy()
    except AssertionError:
        srv.stop()
        print("---- server output ----\n" + srv.output, file=sys.stderr)
        raise
    return srv


@pytest.fixture
def server(request):
    return _serve(request)


@pytest.fixture
def demo_server(request):
    """The server on the demo data (the fictional 江城市; every account's password is DEMO_PASSWORD)."""
    return _serve(request, demo=True)


DEMO_PASSWORD = "Xuncha@2026"


@pytest.fixture
def browser(request):
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    # --disable-dev-shm-usage: containers often have a tiny /dev/shm.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1366,900", "--lang=zh-CN"):
        options.add_argument(argument)
    # An explicit driver path keeps Selenium Manager from trying to download one.
    service = Service(executable_path=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    request.addfinalizer(driver.quit)
    return driver


# ---------------------------------------------------------------------------------------
# Page helpers. Each wait failure says where the browser was and what it showed, so a
# failing run tells what the app did instead.
# ---------------------------------------------------------------------------------------


def _describe(driver: WebDriver) -> str:
    try:
        body = driver.find_element(By.TAG_NAME, "body").text
    except Exception:  # noqa: BLE001 - only for a message
        body = "<no body>"
    return f"at {driver.current_url} (title {driver.title!r}); page text:\n{body[:2000]}"


def wait_for(driver: WebDriver, condition, what: str):
    # A condition that reads elements may catch the page between two loads (a filter that
    # reloads it): an element gone stale means "not yet", as a missing one does.
    try:
        return WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(condition)
    except TimeoutException:
        raise AssertionError(f"timed out waiting for {what}, {_describe(driver)}") from None


def gone(element: WebElement):
    """Wait condition: `element` left the document, i.e. a new page replaced it.

    Unlike EC.staleness_of this also accepts the other errors Chromium gives for a
    node of a page that is being torn down mid-navigation ("Node with given id does
    not belong to the document"). What the next page must show is checked after."""

    def check(_driver):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    return check


def path_of(driver: WebDriver) -> str:
    return urlparse(driver.current_url).path


def wait_for_path(driver: WebDriver, expected: str | re.Pattern) -> str:
    def matches(d):
        path = path_of(d)
        ok = expected.match(path) if isinstance(expected, re.Pattern) else path == expected
        return path if ok else False

    shown = expected.pattern if isinstance(expected, re.Pattern) else expected
    return wait_for(driver, matches, f"the browser to reach {shown}")


def open_page(driver: WebDriver, server: Server, path: str, ready_selector: str) -> None:
    """Load a page and wait until the element we need is there."""
    driver.get(server.base_url + path)
    wait_for(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ready_selector)),
             f"{ready_selector!r} on {path}")


def field(driver: WebDriver, name: str) -> WebElement:
    return wait_for(driver, EC.presence_of_element_located((By.NAME, name)), f"field name={name!r}")


def fill(driver: WebDriver, values: dict[str, str]) -> None:
    for name, value in values.items():
        element = field(driver, name)
        element.clear()
        element.send_keys(value)


def submit_form_of(driver: WebDriver, element: WebElement) -> None:
    """Click the submit button of the form that holds `element`, then wait for the
    next page (the old one going stale), as a person clicking would."""
    form = element.find_element(By.XPATH, "./ancestor::form")
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    wait_for(driver, gone(button), "the form submission to load a new page")


def sign_in(driver: WebDriver, server: Server, username: str, password: str) -> None:
    open_page(driver, server, "/login", "input[name=username]")
    fill(driver, {"username": username, "password": password})
    submit_form_of(driver, field(driver, "password"))


def change_forced_password(driver: WebDriver, current: str, new: str) -> None:
    """A one-time password leads to /password; after the change the user is at home."""
    wait_for_path(driver, "/password")
    fill(driver, {"current_password": current, "new_password": new, "confirm_password": new})
    submit_form_of(driver, field(driver, "confirm_password"))
    wait_for_path(driver, "/")
    # The home page confirms the change with a notice.
    wait_for(driver, EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".notice, .flash, [role=status], [role=alert]")),
        "a notice confirming the password change")


def sign_out(driver: WebDriver, server: Server) -> None:
    button = wait_for(driver, EC.element_to_be_clickable((By.ID, "logout")), "the #logout button")
    button.click()
    wait_for(driver, gone(button), "the sign-out to load a new page")
    # Signed out for real: the home page now sends us to the sign-in page.
    driver.get(server.base_url + "/")
    wait_for_path(driver, "/login")


def strong_password() -> str:
    # >= 10 characters with upper, lower, digit and symbol; never contains a user name.
    return "Zx!" + secrets.token_hex(4) + "9aB"


# ---------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------


def test_an_account_is_opened_granted_its_role_and_registers_a_unit(server: Server, browser: WebDriver):
    _keeping_evidence(server, browser, "failure", lambda: _run_flow(server, browser))


def _keeping_evidence(server: Server, browser: WebDriver, name: str, flow) -> None:
    """Run `flow`; if it fails, keep what the browser last showed (ARTIFACTS/name.png and
    .html) and print the server's side of the story."""
    for stale in (f"{name}.png", f"{name}.html"):  # from an earlier failed run
        (ARTIFACTS / stale).unlink(missing_ok=True)
    try:
        flow()
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
            (ARTIFACTS / f"{name}.html").write_text(browser.page_source, encoding="utf-8")
        except Exception:  # noqa: BLE001 - the original failure matters more
            pass
        print(f"---- browser {_describe(browser)}", file=sys.stderr)
        status = server.process.poll()
        state = "still running" if status is None else f"EXITED with status {status}"
        print(f"---- server output ({state}) ----\n" + server.output, file=sys.stderr)
        raise


def _run_flow(server: Server, driver: WebDriver) -> None:
    passwords = server.initial_passwords()

    # a + b. The system administrator signs in with the printed one-time password and
    # is made to choose a new one before anything else.
    sign_in(driver, server, "sysadmin", passwords["sysadmin"])
    change_forced_password(driver, passwords["sysadmin"], strong_password())

    # c. They open an account for an inspection-office clerk in the default jurisdiction
    # and are shown its one-time password once. Opening an account grants no role
    # (三员分立): the form has no role choices at all.
    open_page(driver, server, "/users/new", "input[name=username]")
    fill(driver, {"username": "e2e.office", "display_name": "测试巡察办"})
    jurisdiction = Select(field(driver, "jurisdiction_id"))
    assert jurisdiction.first_selected_option.get_attribute("value"), \
        "the jurisdiction select should default to a jurisdiction"
    assert not driver.find_elements(By.CSS_SELECTOR, 'input[name="roles"]'), \
        "the system administrator must not be offered roles to grant"
    submit_form_of(driver, field(driver, "username"))
    shown = wait_for(driver, EC.visibility_of_element_located((By.ID, "one-time-password")),
                     "#one-time-password for the new account")
    office_password = (shown.text or shown.get_attribute("value") or "").strip()
    assert office_password, f"#one-time-password is empty, {_describe(driver)}"
    sign_out(driver, server)

    # c'. The security administrator grants the role, confirming the browser's dialog.
    sign_in(driver, server, "secadmin", passwords["secadmin"])
    change_forced_password(driver, passwords["secadmin"], strong_password())
    open_page(driver, server, "/users?q=e2e.office", "#users-table")
    driver.find_element(By.LINK_TEXT, "e2e.office").click()
    role = wait_for(driver, EC.element_to_be_clickable(
        (By.CSS_SELECTOR, 'form[action$="/roles"] input[name="roles"][value="office_staff"]')),
        "the office_staff role checkbox on the account page")
    if not role.is_selected():
        role.click()
    form = role.find_element(By.XPATH, "./ancestor::form")
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
    button.click()
    wait_for(driver, EC.alert_is_present(), "the confirmation dialog before changing roles").accept()
    wait_for(driver, gone(button), "the role change to load a new page")
    wait_for(driver, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "角色已调整"),
             "a notice confirming the role change")
    sign_out(driver, server)

    # d. The new account signs in and must change its password too.
    sign_in(driver, server, "e2e.office", office_password)
    change_forced_password(driver, office_password, strong_password())

    # e. The office registers an inspected unit and lands on that unit's page.
    suffix = secrets.token_hex(3)
    unit_name = f"e2e测试单位{suffix}"
    open_page(driver, server, "/units/new", "input[name=name]")
    fill(driver, {"name": unit_name, "head_name": "张三"})
    Select(field(driver, "type")).select_by_value("department")
    Select(field(driver, "party_organisation")).select_by_value("leadership_group")
    submit_form_of(driver, field(driver, "name"))
    wait_for_path(driver, UUID_PATH)
    wait_for(driver, EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), unit_name),
             f"the unit page's h1 to show {unit_name!r}")

    # f. The list shows it, and filtering by the suffix shows exactly that unit.
    open_page(driver, server, "/units", "#units-table")
    table = driver.find_element(By.ID, "units-table")
    assert unit_name in table.text, f"{unit_name!r} missing from #units-table, {_describe(driver)}"

    open_page(driver, server, "/units?q=" + quote(suffix), "#units-table")
    rows = driver.find_elements(By.CSS_SELECTOR, "#units-table tbody tr")
    assert len(rows) == 1 and unit_name in rows[0].text, (
        f"/units?q={suffix} should list exactly {unit_name!r}; rows: {[r.text for r in rows]}"
    )

    # g. A screenshot of the list, for a person to look at.
    open_page(driver, server, "/units", "#units-table")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "units.png")), "screenshot failed"


# ---------------------------------------------------------------------------------------
# Planning: a round from draft to staffed groups
# ---------------------------------------------------------------------------------------

ROUND_PATH = re.compile(r"^/rounds/[0-9a-fA-F-]{36}$")
ONE_TIME = re.compile(r"一次性密码（仅显示一次）：(\S+)")

# The pool as an office keeps it in a spreadsheet. 钱财政 works at 市财政局, one of the units
# to be inspected: the planted conflict.
ROSTER = (
    "姓名,工作单位,职务,部门类别,职级,入库类别,专长,可抽调\n"
    "张组长,市委组织部,副部长,组织人事,正处级,组长库,干部考察,是\n"
    "孙纪检,市纪委监委,审查调查室主任,纪检监察,,人才库,审查调查,是\n"
    "周审计,市审计局,审计科科长,审计,,人才库,财务审计、工程审计,是\n"
    "钱财政,市财政局,预算科科长,财务,,人才库,预算管理,是\n"
    "吴组织,市委组织部,干部,组织人事,,人才库,,是\n"
)
UNITS = ("市财政局", "市教育局", "市卫生健康委员会")


def console_account(server: Server, username: str, name: str, role: str) -> str:
    """Open an account at the server console (as an administrator on the server would) and
    return its one-time password."""
    done = subprocess.run(
        [server.binary, "user", "add", "--database", str(server.database), "--username", username, "--name", name, "--role", role],
        capture_output=True, text=True, timeout=60, check=False)
    found = ONE_TIME.search(done.stdout)
    assert done.returncode == 0 and found, f"xuncha user add {username} failed: {done.stdout}{done.stderr}"
    return found.group(1)


def api(server: Server, method: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    import json

    request = urllib.request.Request(server.base_url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode("utf-8"))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path} answered {error.code}: {error.read().decode('utf-8', 'replace')}") from None
    return json.loads(text) if text else {}


def confirm_and_wait(driver: WebDriver, button: WebElement, what: str) -> None:
    """Click a button whose form asks first (data-confirm), accept the dialog, wait for the page."""
    button.click()
    wait_for(driver, EC.alert_is_present(), f"the confirmation dialog before {what}").accept()
    wait_for(driver, gone(button), f"{what} to load a new page")


def step_button(driver: WebDriver, step: str) -> WebElement:
    return wait_for(driver, EC.element_to_be_clickable((By.CSS_SELECTOR, f'button[data-step="{step}"]')),
                    f"the {step!r} step button")


def choose_option(select: WebElement, starts_with: str) -> None:
    chooser = Select(select)
    for option in chooser.options:
        if option.text.startswith(starts_with):
            chooser.select_by_value(option.get_attribute("value"))
            return
    raise AssertionError(f"no option starting with {starts_with!r} in {[o.text for o in chooser.options]}")


def test_the_office_plans_a_round_and_accepts_the_proposed_groups(server: Server, browser: WebDriver):
    _keeping_evidence(server, browser, "planning-failure", lambda: _run_planning_flow(server, browser))


def _run_planning_flow(server: Server, driver: WebDriver) -> None:
    server.initial_passwords()  # the server finished its first start
    office_first = console_account(server, "e2e.plan.office", "规划巡察办", "office_staff")
    review_first = console_account(server, "e2e.plan.lg", "领导小组成员甲", "leading_group_member")
    office_password, review_password = strong_password(), strong_password()

    # Seed: the office's own account through the API, and the unit register.
    token = api(server, "POST", "/api/v1/session", body={"username": "e2e.plan.office", "password": office_first})["token"]
    api(server, "POST", "/api/v1/me/password", token, {"current_password": office_first, "new_password": office_password})
    for unit in UNITS:
        api(server, "POST", "/api/v1/units", token, {"name": unit, "type": "department", "party_organisation": "leadership_group"})

    # 1. The office opens a round of 3 units per group and adds its batch, on the pages.
    sign_in(driver, server, "e2e.plan.office", office_password)
    wait_for_path(driver, "/")
    open_page(driver, server, "/rounds", "a[href='/rounds/new']")
    driver.find_element(By.CSS_SELECTOR, "a[href='/rounds/new']").click()
    fill(driver, {"term": "十五届", "sequence": "1", "theme": "政治巡察", "max_units_per_group": "3"})
    Select(field(driver, "kind")).select_by_value("routine")
    # Date inputs take the digits as a person types them in a zh-CN browser.
    driver.execute_script(
        "document.getElementById('planned_start').value='2026-03-01';"
        "document.getElementById('planned_end').value='2026-06-30';")
    submit_form_of(driver, field(driver, "term"))
    wait_for_path(driver, ROUND_PATH)
    round_path = path_of(driver)
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "round-status"), "草拟中"), "the new round in draft")

    driver.execute_script(
        "document.getElementById('entry_date').value='2026-07-01';"
        "document.getElementById('exit_date').value='2026-07-20';")
    submit_form_of(driver, field(driver, "entry_date"))
    wait_for(driver, EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#batch-form .error-box"), "批次日期须在本轮计划时间"),
             "the batch outside the round refused in Chinese")
    driver.execute_script(
        "document.getElementById('entry_date').value='2026-03-10';"
        "document.getElementById('exit_date').value='2026-04-30';")
    submit_form_of(driver, field(driver, "entry_date"))
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "batches-table"), "2026-03-10"), "the batch listed")

    confirm_and_wait(driver, step_button(driver, "submit_for_review"), "submitting for review")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "round-status"), "领导小组审议中"), "the round under review")
    sign_out(driver, server)

    # 2. A leading-group member approves it on the round page.
    sign_in(driver, server, "e2e.plan.lg", review_first)
    change_forced_password(driver, review_first, review_password)
    driver.get(server.base_url + round_path)
    driver.find_element(By.ID, "note-approve").send_keys("同意，报党委审批")
    confirm_and_wait(driver, step_button(driver, "approve"), "the leading group's approval")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "round-status"), "已报党委审批"), "the round submitted")
    sign_out(driver, server)

    # 3. The office records the committee's approval with its document number.
    sign_in(driver, server, "e2e.plan.office", office_password)
    driver.get(server.base_url + round_path)
    driver.find_element(By.ID, "note-record_committee_approval").send_keys("江委〔2026〕3号")
    confirm_and_wait(driver, step_button(driver, "record_committee_approval"), "recording the committee's approval")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "round-status"), "党委已批准"), "the round approved")
    assert "江委〔2026〕3号" in driver.find_element(By.ID, "round-history").text

    # 4. The pools come from the office's spreadsheet, uploaded on the import page.
    roster = Path(tempfile.mkdtemp(prefix="xuncha-roster-")) / "名册.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    open_page(driver, server, "/inspectors/import", "input[type=file][name=file]")
    driver.find_element(By.NAME, "file").send_keys(str(roster))
    submit_form_of(driver, driver.find_element(By.NAME, "file"))
    wait_for_path(driver, "/inspectors")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "inspectors-table"), "钱财政"), "the imported pool listed")

    # 5. The proposal: every unit of the round, one group (一托3), around the planted conflict.
    driver.get(server.base_url + round_path)
    wait_for(driver, EC.element_to_be_clickable((By.LINK_TEXT, "生成组建建议")), "the proposal link").click()
    run = wait_for(driver, EC.element_to_be_clickable((By.ID, "run-proposal")), "the 生成建议 button")
    ticked = [box.get_attribute("value") for box in driver.find_elements(By.CSS_SELECTOR, "input[name=unit_ids]:checked")]
    assert len(ticked) == len(UNITS), f"every unit should start ticked, got {ticked}"
    run.click()
    wait_for(driver, gone(run), "the proposal to load")
    proposal = wait_for(driver, EC.visibility_of_element_located((By.ID, "proposal")), "the proposed groups").text
    assert "组长张组长：正处级" in proposal, proposal
    assert "纪检人员孙纪检" in proposal and "审计/财务人员周审计" in proposal, proposal
    assert "钱财政" not in driver.find_element(By.CSS_SELECTOR, "#proposed-g0 .summary").text, "the conflict is not proposed"
    assert "共跳过人选" in driver.find_element(By.ID, "avoided").text
    avoided = driver.find_element(By.ID, "pool-conflicts").get_attribute("textContent")
    assert "钱财政：本单位人员（钱财政的工作单位即市财政局）" in avoided, avoided

    # 6. The office adds 钱财政 anyway: the acceptance is refused as a whole, in Chinese, the
    # edit is kept and the reason field appears. It takes him out again and accepts.
    slots = driver.find_elements(By.CSS_SELECTOR, "#proposed-g0 select[name=g0_member]")
    choose_option(slots[-1], "钱财政")
    confirm_and_wait(driver, driver.find_element(By.ID, "accept-proposal"), "accepting the proposal")
    refusal = wait_for(driver, EC.visibility_of_element_located((By.ID, "accept-error")), "the refusal").text
    assert "存在回避情形" in refusal and "钱财政的工作单位即市财政局" in refusal, refusal
    assert driver.find_elements(By.NAME, "g0_override_reason"), "the override reason field is revealed"
    slots = driver.find_elements(By.CSS_SELECTOR, "#proposed-g0 select[name=g0_member]")
    kept = [Select(s).first_selected_option.text for s in slots]
    assert any(text.startswith("钱财政") for text in kept), f"the edit should be kept: {kept}"
    for select in slots:
        if Select(select).first_selected_option.text.startswith("钱财政"):
            Select(select).select_by_value("")
    confirm_and_wait(driver, driver.find_element(By.ID, "accept-proposal"), "accepting the edited proposal")

    # 7. The groups are on the round page, staffed and assigned.
    wait_for_path(driver, round_path)
    wait_for(driver, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "已按建议组建巡察组"), "the confirmation")
    group = driver.find_element(By.CSS_SELECTOR, ".group-card h3").text + "\n" + \
        driver.find_element(By.CSS_SELECTOR, ".group-card dl.details").text
    for expected in ("第一巡察组", "张组长", "孙纪检", "周审计") + UNITS:
        assert expected in group, f"{expected!r} missing from the group:\n{group}"
    assert "钱财政" not in group, group

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "round.png")), "screenshot failed"

    # 8. Adding the conflicted cadre by hand to the group that inspects 市财政局 is refused the
    # same way on the round page, and the reason field appears in that form.
    card = driver.find_element(By.CSS_SELECTOR, ".group-card")
    choose_option(card.find_element(By.NAME, "inspector_id"), "钱财政")
    Select(card.find_element(By.NAME, "role")).select_by_value("member")
    submit_form_of(driver, card.find_element(By.NAME, "inspector_id"))
    refusal = wait_for(driver, EC.visibility_of_element_located((By.ID, "page-error")), "the refusal at the top").text
    assert "钱财政的工作单位即市财政局" in refusal, refusal
    card = driver.find_element(By.CSS_SELECTOR, ".group-card")
    assert card.find_elements(By.NAME, "override_reason"), "the override reason field is revealed in the member form"
    assert Select(card.find_element(By.NAME, "inspector_id")).first_selected_option.text.startswith("钱财政"), "the choice is kept"


# ---------------------------------------------------------------------------------------
# Fieldwork to leads and immediate rectification, and what the inspected unit never sees
# ---------------------------------------------------------------------------------------

LEAD_PATH = re.compile(r"^/leads/[0-9a-fA-F-]{36}$")
IMMEDIATE_PATH = re.compile(r"^/immediate-rectifications/[0-9a-fA-F-]{36}$")
FINDING_PATH = re.compile(r"^/findings/[0-9a-fA-F-]{36}$")


def click_and_wait(driver: WebDriver, button: WebElement, what: str) -> None:
    """Click a button whose form does not ask first and wait for the next page."""
    button.click()
    wait_for(driver, gone(button), f"{what} to load a new page")


def form_button(driver: WebDriver, step: str) -> WebElement:
    """The submit button of a working paper's step form (the finding page marks the form by its hidden step)."""
    return wait_for(driver, EC.element_to_be_clickable(
        (By.XPATH, f"//form[input[@name='step' and @value='{step}']]//button[@type='submit']")), f"the {step!r} form's button")


def wait_notice(driver: WebDriver, text: str) -> None:
    wait_for(driver, EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), text), f"the notice {text!r}")


def seeded_accounts(server: Server) -> dict[str, tuple[str, str]]:
    """The people of the flow, opened at the console, each with a password already changed
    through the API so the browser signs straight in. Returns username -> (password, token)."""
    people = {
        "e2e.fw.office": ("巡察办甲", "office_staff"), "e2e.fw.lg": ("领导小组乙", "leading_group_member"),
        "e2e.fw.leader": ("张组长", "group_leader"), "e2e.fw.member": ("周审计", "group_member"),
        "e2e.fw.keeper": ("线索管理员丙", "lead_custodian"), "e2e.fw.jw": ("纪委承办人丁", "discipline_receiver"),
    }
    accounts = {}
    for username, (name, role) in people.items():
        first = console_account(server, username, name, role)
        accounts[username] = _settle(server, username, first)
    return accounts


def _settle(server: Server, username: str, first: str) -> tuple[str, str]:
    password = strong_password()
    token = api(server, "POST", "/api/v1/session", body={"username": username, "password": first})["token"]
    api(server, "POST", "/api/v1/me/password", token, {"current_password": first, "new_password": password})
    token = api(server, "POST", "/api/v1/session", body={"username": username, "password": password})["token"]
    return password, token


def seed_on_site(server: Server, accounts: dict[str, tuple[str, str]], unit: dict) -> tuple[str, dict[str, str]]:
    """Through the API: an approved round with one batch, the two cadres linked to the leader's and
    the member's accounts, one group on `unit`, on site, both pledged. Returns the assignment id and
    the cadres' ids by username."""
    office, lg = accounts["e2e.fw.office"][1], accounts["e2e.fw.lg"][1]
    leader_token, member_token = accounts["e2e.fw.leader"][1], accounts["e2e.fw.member"][1]
    round_ = api(server, "POST", "/api/v1/rounds", office,
                 {"term": "十五届", "sequence": 1, "kind": "routine", "planned_start": "2026-01-01", "planned_end": "2027-12-31"})
    batch = api(server, "POST", f"/api/v1/rounds/{round_['id']}/batches", office, {"entry_date": "2026-11-01", "exit_date": "2027-01-31"})
    version = round_["version"]
    for step, token in (("submit_for_review", office), ("approve", lg), ("record_committee_approval", office)):
        version = api(server, "POST", f"/api/v1/rounds/{round_['id']}/steps", token,
                      {"step": step, "note": "江委〔2026〕9号", "version": version})["version"]
    cadres = {}
    for username, name, pool in (("e2e.fw.leader", "张组长", "in_leader_pool"), ("e2e.fw.member", "周审计", "in_talent_pool")):
        body = {"name": name, "home_unit_name": "市审计局", "category": "审计", "rank": "正处级", pool: True}
        created = api(server, "POST", "/api/v1/inspectors", office, body)
        api(server, "PATCH", f"/api/v1/inspectors/{created['id']}", office, body | {"version": created["version"], "account_username": username})
        cadres[username] = created["id"]
    accepted = api(server, "POST", f"/api/v1/rounds/{round_['id']}/proposal/accept", office, {
        "batch_id": batch["id"], "groups": [{"name": "第一巡察组", "unit_ids": [unit["id"]], "members": [
            {"inspector_id": cadres["e2e.fw.leader"], "role": "leader"}, {"inspector_id": cadres["e2e.fw.member"], "role": "member"}]}]})
    assignment = accepted["items"][0]["assignments"][0]["id"]
    for step in ("start_preparing", "mobilise", "enter"):
        version = api(server, "POST", f"/api/v1/rounds/{round_['id']}/steps", office, {"step": step, "version": version})["version"]
    for token in (leader_token, member_token):
        api(server, "POST", f"/api/v1/rounds/{round_['id']}/pledge", token)
    return assignment, cadres


def test_fieldwork_becomes_a_lead_and_an_immediate_notice_the_unit_sees_alone(server: Server, browser: WebDriver):
    _keeping_evidence(server, browser, "leads-failure", lambda: _run_leads_flow(server, browser))


def _run_leads_flow(server: Server, driver: WebDriver) -> None:
    server.initial_passwords()
    accounts = seeded_accounts(server)
    office = accounts["e2e.fw.office"][1]
    leader_token, member_token = accounts["e2e.fw.leader"][1], accounts["e2e.fw.member"][1]

    # Seed through the API: the unit and its head, an approved round with one batch, the two
    # cadres linked to the leader's and the member's accounts, the group, on site, pledged.
    unit = api(server, "POST", "/api/v1/units", office, {"name": "市财政局", "type": "department", "party_organisation": "leadership_group"})
    head_first = subprocess.run(
        [server.binary, "user", "add", "--database", str(server.database), "--username", "e2e.fw.head", "--name", "局长戊",
         "--role", "unit_head", "--unit", unit["id"]], capture_output=True, text=True, timeout=60, check=False)
    found = ONE_TIME.search(head_first.stdout)
    assert head_first.returncode == 0 and found, head_first.stdout + head_first.stderr
    head_password, _ = _settle(server, "e2e.fw.head", found.group(1))
    assignment, cadres = seed_on_site(server, accounts, unit)
    # Two more approved papers, to triage one of each kind.
    tag = [{"scheme": "six_disciplines", "version": 1, "entry": "integrity"}]
    papers = {}
    for title in ("公务用车管理不规范", "津补贴发放不规范"):
        paper = api(server, "POST", f"/api/v1/assignments/{assignment}/findings", member_token,
                    {"title": title, "manifestation": f"{title}，涉及多笔支出。", "basis": "违反有关规定", "tags": tag})
        paper = api(server, "POST", f"/api/v1/findings/{paper['id']}/steps", member_token, {"step": "submit", "version": paper["version"]})
        api(server, "POST", f"/api/v1/findings/{paper['id']}/steps", leader_token, {"step": "approve", "note": "组务会同意", "version": paper["version"]})
        papers[title] = paper["id"]

    # 1. The member records an interview (two inspectors, one recording) and drafts a paper.
    sign_in(driver, server, "e2e.fw.member", accounts["e2e.fw.member"][0])
    wait_for_path(driver, "/")
    records = f"/assignments/{assignment}/records"
    open_page(driver, server, records, "#record-form input[name=subject]")
    fill(driver, {"subject": "李某", "subject_post": "财务科科长", "body": "谈及局长王某收受管理服务对象礼金。"})
    for username, part in (("e2e.fw.leader", "lead"), ("e2e.fw.member", "recorder")):
        driver.find_element(By.CSS_SELECTOR, f"input[name=inspectors][value='{cadres[username]}']").click()
        Select(driver.find_element(By.NAME, f"part_{cadres[username]}")).select_by_value(part)
    submit_form_of(driver, field(driver, "subject"))
    wait_notice(driver, "工作记录已登记")
    record_link = driver.find_element(By.CSS_SELECTOR, "#records-table a").get_attribute("href")

    open_page(driver, server, f"/assignments/{assignment}/findings/new", "input[name=title]")
    fill(driver, {"title": "局长收受礼金", "manifestation": "王某2025年春节收受管理服务对象礼金2万元。", "basis": "违反廉洁纪律"})
    driver.find_element(By.CSS_SELECTOR, "input[name=tags][value='six_disciplines:1:integrity']").click()
    submit_form_of(driver, field(driver, "title"))
    wait_for_path(driver, FINDING_PATH)
    lead_paper = path_of(driver)
    confirm_and_wait(driver, form_button(driver, "submit"), "submitting the paper")
    wait_notice(driver, "底稿已提交组务会审议")
    sign_out(driver, server)

    # 2. The leader approves it, triages the three papers one of each kind, and studies and
    # proposes the lead.
    sign_in(driver, server, "e2e.fw.leader", accounts["e2e.fw.leader"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, lead_paper, "#note-approve")
    driver.find_element(By.ID, "note-approve").send_keys("组务会一致同意")
    confirm_and_wait(driver, form_button(driver, "approve"), "approving the paper")
    wait_notice(driver, "底稿已审定并编号")

    def triage(path: str, disposition: str, lead: dict[str, str] | None = None) -> None:
        open_page(driver, server, path, "#triage input[name=disposition]")
        lead_fields = driver.find_element(By.ID, "triage-lead")
        assert not lead_fields.is_displayed(), "the lead's fields wait for 移交问题线索 to be chosen"
        driver.find_element(By.CSS_SELECTOR, f"#triage input[name=disposition][value={disposition}]").click()
        assert lead_fields.is_displayed() == (disposition == "lead"), "the lead's fields appear with 移交问题线索 alone"
        if lead:
            fill(driver, {"lead_person_name": lead["name"], "lead_person_post": lead["post"]})
            Select(field(driver, "lead_authority")).select_by_value("committee")
            Select(field(driver, "lead_subject")).select_by_value("discipline")
        button = driver.find_element(By.CSS_SELECTOR, "#triage button[type=submit]")
        confirm_and_wait(driver, button, f"triaging as {disposition}")
        wait_notice(driver, "处置方式已确定")

    triage(lead_paper, "lead", {"name": "王某", "post": "局长"})
    triage(f"/findings/{papers['公务用车管理不规范']}", "immediate")
    triage(f"/findings/{papers['津补贴发放不规范']}", "deadline")
    assert "限期整改" in driver.find_element(By.ID, "finding-disposition").text

    open_page(driver, server, "/leads", "#leads-table")
    driver.find_element(By.CSS_SELECTOR, "#leads-table tbody a").click()
    wait_for_path(driver, LEAD_PATH)
    lead_path = path_of(driver)
    driver.find_element(By.ID, "note-screen").send_keys("组务会研判，确认为问题线索")
    click_and_wait(driver, step_button(driver, "screen"), "screening the lead")
    wait_notice(driver, "线索状态已更新")
    receiver = Select(driver.find_element(By.ID, "receiver-propose"))
    assert receiver.first_selected_option.get_attribute("value") == "discipline", "the subject's body is proposed"
    driver.find_element(By.ID, "note-propose").send_keys("涉嫌违纪，建议移交市纪委监委")
    click_and_wait(driver, step_button(driver, "propose"), "proposing the transfer")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "lead-status"), "拟移交"), "the lead proposed")
    sign_out(driver, server)

    # 3. The leading group approves the transfer and the immediate rectification.
    sign_in(driver, server, "e2e.fw.lg", accounts["e2e.fw.lg"][0])
    wait_for_path(driver, "/")
    driver.get(server.base_url + lead_path)
    confirm_and_wait(driver, step_button(driver, "approve"), "approving the transfer")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "lead-status"), "已批准移交"), "the transfer approved")
    open_page(driver, server, "/immediate-rectifications", "#immediate-table")
    driver.find_element(By.CSS_SELECTOR, "#immediate-table a").click()
    wait_for_path(driver, IMMEDIATE_PATH)
    immediate_path = path_of(driver)
    confirm_and_wait(driver, step_button(driver, "approve"), "consenting to the immediate rectification")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "immediate-status"), "待下达通知书"), "the consent")
    sign_out(driver, server)

    # 4. The leader issues the notice.
    sign_in(driver, server, "e2e.fw.leader", accounts["e2e.fw.leader"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, immediate_path, "#requirement")
    fill(driver, {"problem": "单位公务用车管理不规范，存在公车私用情况。", "requirement": "立即规范公务用车管理，清退违规使用车辆。"})
    confirm_and_wait(driver, step_button(driver, "issue"), "issuing the notice")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "immediate-status"), "待单位签收"), "the notice issued")
    sign_out(driver, server)

    # 5. The custodian transfers the lead with its hand-over sheet.
    sign_in(driver, server, "e2e.fw.keeper", accounts["e2e.fw.keeper"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, lead_path, "#transfer_sheet")
    assert "个月内" in driver.find_element(By.ID, "feedback-due-hint").text
    fill(driver, {"transfer_sheet": "江巡移〔2026〕1号"})
    confirm_and_wait(driver, step_button(driver, "transfer"), "transferring the lead")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "lead-status"), "已移交待反馈"), "the lead transferred")
    sign_out(driver, server)

    # 6. The discipline commission's receiver finds it in the inbox, signs for it and answers.
    sign_in(driver, server, "e2e.fw.jw", accounts["e2e.fw.jw"][0])
    wait_for_path(driver, "/")
    open_page(driver, server, "/leads", "#leads-table")
    assert "待办线索" in driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.CSS_SELECTOR, "#leads-table tbody a").click()
    wait_for_path(driver, lead_path)
    confirm_and_wait(driver, step_button(driver, "receive"), "signing for the lead")
    Select(wait_for(driver, EC.presence_of_element_located((By.ID, "method")), "the method select")).select_by_value("preliminary_verification")
    Select(driver.find_element(By.ID, "form")).select_by_value("2")
    fill(driver, {"people_count": "1", "sanctions": "党内严重警告", "result": "经初步核实，王某收受礼金问题属实。"})
    confirm_and_wait(driver, step_button(driver, "answer"), "answering")
    wait_for(driver, EC.text_to_be_present_in_element((By.ID, "lead-status"), "已反馈"), "the feedback recorded")
    assert "第二种形态" in driver.find_element(By.ID, "lead-details").text
    sign_out(driver, server)

    # 7. The unit head sees the notice, and nothing confidential: no menu entry, and the
    # pages and direct addresses answer 403/404.
    sign_in(driver, server, "e2e.fw.head", head_password)
    wait_for_path(driver, "/")
    nav = driver.find_element(By.CSS_SELECTOR, ".main-nav").get_attribute("innerHTML")
    assert 'href="/immediate-rectifications"' in nav, nav
    for path in ("/records", "/findings", "/leads", "/assignments"):
        assert f'href="{path}"' not in nav, f"the unit head has a {path} menu entry"
    open_page(driver, server, "/immediate-rectifications", "#immediate-table")
    assert "立行立改通知" in driver.find_element(By.TAG_NAME, "h1").text
    assert "公车私用" in driver.find_element(By.ID, "immediate-table").text
    driver.find_element(By.CSS_SELECTOR, "#immediate-table a").click()
    wait_for_path(driver, immediate_path)
    notice = driver.find_element(By.TAG_NAME, "main").text
    assert "立即规范公务用车管理" in notice and "签字背书" in notice, notice
    assert "公务用车管理不规范，涉及多笔支出" not in notice and "/findings/" not in driver.page_source
    for path in ("/findings", "/leads", lead_path, lead_paper, f"/findings/{papers['公务用车管理不规范']}",
                 urlparse(record_link).path, records, f"/leads?assignment_id={assignment}"):
        driver.get(server.base_url + path)
        shown = wait_for(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "main")), f"a page at {path}").text
        refusal = driver.find_elements(By.CSS_SELECTOR, ".error-box[data-code]")
        assert refusal and refusal[0].get_attribute("data-code") in ("forbidden", "not_found"), f"{path} should be refused, {_describe(driver)}"
        assert "您没有办理此事项的权限" in shown or "未找到" in shown, f"{path} says why in words, {_describe(driver)}"
        for secret in ("王某", "礼金", "李某"):
            assert secret not in shown, f"{path} shows {secret!r}"
