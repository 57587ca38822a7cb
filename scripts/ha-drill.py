"""The load, the kill and the count of scripts/ha-drill, which starts the cluster and runs this
with its environment (HA_*). Prints the report; exits 1 if an acknowledged write is missing
after the promotion, or if writes never succeeded again."""

import datetime
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

env = os.environ
WEB, BASE = env["HA_WEB"], env["HA_BASE"]
BEFORE, AFTER, WRITERS = float(env["HA_BEFORE"]), float(env["HA_AFTER"]), int(env["HA_WRITERS"])
GIVE_UP = 120.0  # seconds after the kill without a successful write
RUN = datetime.datetime.now(datetime.timezone.utc).strftime("%H%M%S")


def call(method, path, body=None, token=None, timeout=30):
    request = urllib.request.Request(WEB + path, data=None if body is None else json.dumps(body).encode(), method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except ValueError:
            return error.code, None
    except Exception as error:  # no answer at all: a timeout, a reset
        return None, repr(error)


def is_up(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except Exception:
        return False


status, session = call("POST", "/api/v1/session", {"username": "office", "password": "Xuncha@2026"})
if status not in (200, 201):
    raise SystemExit(f"sign-in failed: {status} {session}")
token = session["token"]

attempts = []  # dicts: writer, name, start, end, status, code, id
lock = threading.Lock()
stop = threading.Event()
start = time.monotonic()


def writer(number):
    sequence = 0
    while not stop.is_set():
        sequence += 1
        name = f"演练单位-{RUN}-{number}-{sequence}"
        began = time.monotonic()
        status, body = call("POST", "/api/v1/units", {"name": name, "type": "department", "party_organisation": "党组"}, token)
        ended = time.monotonic()
        error = body.get("error") if isinstance(body, dict) else None
        record = {
            "writer": number, "name": name, "start": began - start, "end": ended - start, "status": status,
            "code": error.get("code") if isinstance(error, dict) else (None if status else "no_answer"),
            "id": body.get("id") if status == 201 and isinstance(body, dict) else None,
        }
        with lock:
            attempts.append(record)
        if status != 201:
            time.sleep(0.2)  # a client told 503 + Retry-After waits; shorter here, to time the gap finely


promoted = {}


def watch_promotion():
    while not stop.is_set():
        if "at" not in promoted and is_up(env["HA_API2"] + "/primary"):
            promoted["at"] = time.monotonic() - start
        time.sleep(0.1)


threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(1, WRITERS + 1)]
for thread in threads:
    thread.start()
time.sleep(BEFORE)

if not is_up(env["HA_API1"] + "/primary"):
    raise SystemExit("pg1 is not the primary before the fault")
MODE = env.get("HA_MODE", "kill")
killed = time.monotonic() - start
if MODE == "switchover":
    # A planned switch: Patroni demotes pg1 (its sessions end with 57P01) and promotes pg2.
    subprocess.run(["patronictl", "-c", f"{BASE}/pg1.yml", "switchover", "--leader", "pg1", "--candidate", "pg2", "--force"],
                   check=True, capture_output=True)
    fault = "patronictl switchover pg1 → pg2"
else:
    # Kill the primary's node: its Patroni first (so it cannot restart PostgreSQL), then the postmaster.
    patroni_pid = int(open(f"{BASE}/pg1.patroni.pid").read().split()[0])
    postmaster_pid = int(open(f"{BASE}/pg1/data/postmaster.pid").read().split()[0])
    os.kill(patroni_pid, signal.SIGKILL)
    os.kill(postmaster_pid, signal.SIGKILL)
    fault = f"kill -9 pg1 的 Patroni（pid {patroni_pid}）与 postmaster（pid {postmaster_pid}）"
watcher = threading.Thread(target=watch_promotion, daemon=True)
watcher.start()



def interruption(now_attempts):
    """When writes began to fail after the fault (the start of the first failing attempt), and when
    they succeeded again (the end of the first success that began after it)."""
    post = [a for a in now_attempts if a["start"] >= killed]
    failing = [a["start"] for a in post if a["status"] != 201]
    if not failing:
        return None, None
    began = min(failing)
    back = [a["end"] for a in post if a["status"] == 201 and a["start"] >= began]
    return began, (min(back) if back else None)


while True:
    time.sleep(0.1)
    now = time.monotonic() - start
    with lock:
        interrupted, resumed = interruption(attempts)
    settled = "at" in promoted and now - promoted["at"] >= AFTER
    if resumed is not None and now - resumed >= AFTER and settled:
        break
    if interrupted is None and settled:
        break  # a switch no writer noticed
    if now - killed > GIVE_UP:
        break
stop.set()
for thread in threads:
    thread.join(timeout=40)
finished = time.monotonic() - start

# What the promoted primary holds (read on pg2 itself, not through Xuncha).
owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
rows = subprocess.run(
    owner + [f"{env['HA_PG_BIN']}/psql", "-X", "-At", "-h", f"{BASE}/pg2", "-p", env["HA_PG2_PORT"], "-U", "postgres", "-d", "xuncha",
             "-c", f"SELECT id || '|' || name FROM units WHERE name LIKE '演练单位-{RUN}-%'"],
    check=True, capture_output=True, text=True).stdout.split()
found = {uid.lower(): name for uid, name in (row.split("|", 1) for row in rows)}  # id -> name
found_names = set(found.values())

acked = [a for a in attempts if a["status"] == 201]
lost = [a for a in acked if found.get(str(a["id"]).lower()) != a["name"]]
failed = [a for a in attempts if a["status"] != 201]
by_code = {}
for a in failed:
    key = f"{a['status'] or '—'} {a['code']}"
    by_code[key] = by_code.get(key, 0) + 1
unknown = [a for a in failed if a["code"] in ("database_commit_unknown", "no_answer")]
unknown_saved = [a for a in unknown if a["name"] in found_names]
unacked_saved = [a for a in failed if a["name"] in found_names]
interrupted, _ = interruption(attempts)
last_failure = max((a["end"] for a in failed), default=None)
# Writes are back with the first success that began after the last failure (failures may alternate
# with successes while the old primary is being demoted).
last_failing_start = max((a["start"] for a in failed if a["start"] >= killed), default=None)
resumed = None if last_failing_start is None else min(
    (a["end"] for a in attempts if a["status"] == 201 and a["start"] >= last_failing_start), default=None)
succeeded_after = any(a["status"] == 201 and "at" in promoted and a["start"] >= promoted["at"] for a in attempts)


def secs(value):
    return "—" if value is None else f"{value:.1f} s"


lines = [
    f"Xuncha 故障切换演练（scripts/ha-drill） {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
    f"集群：{env['HA_VERSIONS']}；两节点 pg1（主）+ pg2（同步备库），synchronous_mode on，ttl 20 s，loop_wait 2 s",
    f"连接：{env['HA_URL']}",
    f"负载：{WRITERS} 个写入者，POST /api/v1/units（office 账号），共 {len(attempts)} 次写入，历时 {finished:.1f} s",
    f"故障：t={killed:.1f} s 时 {fault}",
    f"提升：pg2 成为主库，于故障后 {secs(promoted['at'] - killed if 'at' in promoted else None)}",
    "",
    f"已确认的写入（201 及其 id）：{len(acked)}",
    f"提升后在新主库上找到：        {len(acked) - len(lost)}",
    f"丢失：                        {len(lost)}",
    f"未确认的写入：{len(failed)}（" + "，".join(f"{k}：{v}" for k, v in sorted(by_code.items())) + "）" if failed else "未确认的写入：0",
    f"  其中结果未知（database_commit_unknown 或无应答）：{len(unknown)}，事后在库中找到：{len(unknown_saved)}",
    f"  未确认但已保存（客户端应核对后再重试）：{len(unacked_saved)}",
    f"写入中断：故障后 {secs(None if interrupted is None else interrupted - killed)} 起（首个失败的写入开始），"
    f"末次失败于故障后 {secs(None if last_failure is None else last_failure - killed)}",
    f"写入恢复：故障后 {secs(None if resumed is None else resumed - killed)}（末次失败之后开始的写入首次成功）"
    + ("" if interrupted is None or resumed is None else f"，不可写 {resumed - interrupted:.1f} s"),
    "",
]
if lost:
    lines.append("结果：失败——以下已确认的写入在新主库上不存在：")
    lines += [f"  {a['id']} {a['name']}" for a in lost[:20]]
elif resumed is None and not (interrupted is None and succeeded_after):
    lines.append(f"结果：失败——故障后 {GIVE_UP:.0f} s 内写入未恢复")
else:
    lines.append("结果：通过——每一次已确认的写入都在提升后的主库上")
print("\n".join(lines))
with open(f"{BASE}/attempts.json", "w") as out:
    json.dump(attempts, out, ensure_ascii=False, indent=1)
raise SystemExit(1 if lost or (resumed is None and not (interrupted is None and succeeded_after)) else 0)
