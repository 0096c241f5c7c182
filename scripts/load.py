"""Load with faults on the multi-node set-up (issue 15): `make load`, or

    scripts/with-postgres.sh .venv/bin/python scripts/load.py [--users 50] [--steady 60] [--faults 100]

Starts, on loopback, what scripts/multinode.py starts (PostgreSQL from with-postgres.sh, Redis, moto's S3, two
gunicorn nodes with 2 workers each and `manage.py worker`, production settings) behind nginx made from
deploy/nginx.conf, with the demo data (seed_demo). A supervisor here restarts any portal process that dies, as
compose's `restart: unless-stopped` or systemd would. Then locust (scripts/load_users.py) runs twice:

1. steady: USERS concurrent people (anonymous readers, applicants, evaluators, staff) for STEADY seconds. Targets:
   no error; anonymous pages p95 under 200 ms.
2. faults: the same load for FAULTS seconds, during which PostgreSQL is restarted, the worker is killed while it
   renders an opinion (its task runs again on the restarted worker: the opinion is issued once), and node B is
   killed (nginx sends its requests to A until it is back). The errors are counted per 5 seconds, to show when
   the system had recovered, with nobody's help.

Acknowledged writes (pipeline filters the fund's managers save, each with a new name, written down once the
portal redirected) are counted in the database at the end: none may be missing. One table of figures at the end.
Bounded: about 4 minutes for set-up and the default phases. Needs nginx (Debian's nginx-light), redis-server,
PostgreSQL's server binaries and locust (requirements-load.txt); `make load` installs them.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from multinode_setup import (
    BUCKET,
    ROOT,
    Failed,
    Processes,
    create_database,
    expect,
    free_port,
    gunicorn,
    portal_env,
    sql,
    start_redis,
    start_s3,
    wait_for,
)

STARTED = time.monotonic()
WINDOW = 5  # seconds per line of the fault phase's error count
LEAN_MIGRATE = (
    "import django; django.setup()\n"
    "from django.core.management import call_command\n"
    "from tests.dbcache import lean_historical_models\n"
    "with lean_historical_models():\n"
    "    call_command('migrate', interactive=False, verbosity=0)\n"
)
# An opinion of the demo taken to "approved" (its signatories sign), and who may issue it: issued during the faults.
APPROVE_ONE = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from portal.opinions import permissions, services
from portal.opinions.models import Opinion, OpinionState
people = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
for opinion in Opinion.objects.filter(state=OpinionState.IN_REVIEW).order_by("pk"):
    signed = True
    while signed and opinion.state == OpinionState.IN_REVIEW:
        signed = next((person for person in people if permissions.can_sign(person, opinion)), None)
        if signed:
            opinion = services.sign_off(actor=signed, opinion=opinion, approve=True)
    issuer = next((person for person in people if permissions.can_issue(person, opinion)), None)
    if opinion.state == OpinionState.APPROVED and issuer is not None:
        print("APPROVED " + json.dumps({"opinion": opinion.pk, "issuer": issuer.username}))
        break
"""


class LoopbackCookies(requests.cookies.RequestsCookieJar):
    """Send the portal's Secure cookies back over loopback HTTP (the portal believes it is behind HTTPS)."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def say(what, detail=""):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {what:<58} {detail}".rstrip(), flush=True)


class Supervisor(threading.Thread):
    """Restarts a portal process that exits (after a second), as compose or systemd would; counts the restarts."""

    def __init__(self, processes, commands):
        super().__init__(daemon=True)
        self.processes, self.commands, self.restarts = processes, commands, dict.fromkeys(commands, 0)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.5):
            for name, (command, env) in self.commands.items():
                if self.processes.running[name].poll() is not None and not self.stopped.is_set():
                    time.sleep(1)
                    self.processes.start(name, command, env)
                    self.restarts[name] += 1

    def kill(self, name):
        os.killpg(self.processes.running[name].pid, signal.SIGKILL)


def nginx_conf(folder, nodes, proxy_port, s3_endpoint, bucket):
    """deploy/nginx.conf on loopback: the two nodes, this port, the S3 endpoint, HTTPS as the portal is told."""
    server = (ROOT / "deploy" / "nginx.conf").read_text()
    server = server.replace("server web1:8000", f"server {nodes['A']}").replace(
        "server web2:8000", f"server {nodes['B']}"
    )
    server = server.replace("listen 80;", f"listen 127.0.0.1:{proxy_port};")
    server = server.replace("http://objects:9000/portal/", f"{s3_endpoint}/{bucket}/")
    server = server.replace("X-Forwarded-Proto $scheme", "X-Forwarded-Proto https")
    server = server.replace("Host $host;", "Host $http_host;")  # with the port: the CSRF check compares Referer
    expect(f"127.0.0.1:{proxy_port}" in server and nodes["B"] in server, "deploy/nginx.conf changed shape")
    for name in ("body", "proxy"):
        (folder / "nginx" / name).mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx" / "nginx.conf"
    conf.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder}/nginx/nginx.pid;\nerror_log {folder}/nginx/error.log warn;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\n  access_log off;\n"
        f"  client_body_temp_path {folder}/nginx/body;\n  proxy_temp_path {folder}/nginx/proxy;\n{server}\n}}\n"
    )
    return conf


def locust(phase, folder, host, users, seconds, env):
    """Run scripts/load_users.py headless; each request's (group, start, ms, failed)."""
    results = folder / f"{phase}.json"
    command = [
        sys.executable, "-m", "locust", "-f", "scripts/load_users.py", "--headless", "--host", host,
        "-u", str(users), "-r", str(max(users // 5, 1)), "-t", f"{seconds}s", "--only-summary", "--stop-timeout", "5",
    ]  # fmt: skip
    log = (folder / f"locust-{phase}.log").open("w")
    subprocess.run(command, cwd=ROOT, env=env | {"LOAD_RESULTS": str(results)}, stdout=log, stderr=subprocess.STDOUT,
                   timeout=seconds + 60, check=False)  # fmt: skip
    return json.loads(results.read_text())


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def figures(records, seconds):
    """Per group and in all: requests, per second, failures, p50/p95/p99 ms."""
    groups = {}
    for group, _start, ms, failed in records:
        for key in (group, "all"):
            groups.setdefault(key, []).append((ms, failed))
    return {
        group: {
            "requests": len(rows),
            "rps": len(rows) / seconds,
            "errors": sum(failed for _ms, failed in rows),
            "p50": percentile([ms for ms, _f in rows], 0.50),
            "p95": percentile([ms for ms, _f in rows], 0.95),
            "p99": percentile([ms for ms, _f in rows], 0.99),
        }
        for group, rows in groups.items()
    }


def table(title, result):
    print(f"\n{title}")
    print(f"  {'group':<10} {'requests':>9} {'req/s':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for group in ("anonymous", "applicant", "evaluator", "staff", "all"):
        if group in result:
            row = result[group]
            print(
                f"  {group:<10} {row['requests']:>9,} {row['rps']:>7.1f} {row['errors']:>7} {row['p50']:>8.0f} "
                f"{row['p95']:>8.0f} {row['p99']:>8.0f}"
            )


def restart_postgres():
    owner = os.environ.get("PORTAL_PG_OWNER")
    data = Path(os.environ["PORTAL_PG_DATA"])
    command = [os.environ["PORTAL_PG_CTL"], "-D", str(data), "-l", str(data.parent / "server.log"), "-m", "fast"]
    prefix = ["runuser", "-u", owner, "--"] if owner else []
    # The restarted server keeps whatever output it is given open: a log file, not a pipe to wait on.
    subprocess.run([*prefix, *command, "-w", "restart"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)  # fmt: skip


def faults(t, events):
    """The fault phase's script: PostgreSQL restarted, the worker killed mid-task, node B killed."""
    time.sleep(15)
    begun = time.time()
    restart_postgres()
    events.append(("PostgreSQL restarted", begun, time.time()))

    time.sleep(10)
    opinion = t["opinion"]
    browser = requests.Session()
    browser.cookies = LoopbackCookies()
    login = browser.get(f"{t['proxy']}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
    referer = {"Referer": f"https://{t['public']}/accounts/login/"}
    data = {"username": opinion["issuer"], "password": "Pingshan@2026", "csrfmiddlewaretoken": token}
    browser.post(f"{t['proxy']}/accounts/login/", data=data, headers=referer, allow_redirects=False)
    page = browser.get(f"{t['proxy']}/workspace/opinions/{opinion['opinion']}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    referer = {"Referer": f"https://{t['public']}/workspace/opinions/{opinion['opinion']}/"}
    issued = browser.post(
        f"{t['proxy']}/workspace/opinions/{opinion['opinion']}/issue/",
        data={"csrfmiddlewaretoken": token},
        headers=referer,
        allow_redirects=False,
    )
    expect(issued.status_code == 302, f"asking for the opinion's issue: HTTP {issued.status_code}")
    running = "SELECT id FROM django_tasks_database_dbtaskresult WHERE task_path = %s AND status = 'RUNNING'"
    wait_for("the worker rendering the opinion", lambda: sql(t["db"], running, "portal.opinions.tasks.issue_opinion"),
             30, interval=0.02)  # fmt: skip
    begun = time.time()
    t["supervisor"].kill("worker")
    events.append(("worker killed while rendering", begun, time.time()))

    time.sleep(15)
    begun = time.time()
    t["supervisor"].kill("node-B")
    events.append(("node B killed", begun, time.time()))


def build(processes, folder, cleanup):
    expect(os.environ.get("PORTAL_PG_CTL"), "run me under scripts/with-postgres.sh (it says how to restart its server)")
    for program in ("nginx", "redis-server"):
        expect(shutil.which(program), f"{program} is not installed (make load installs it)")
    database_url, drop = create_database(os.environ["DATABASE_URL"])
    cleanup.append(drop)
    redis_url = start_redis(processes)
    server, endpoint, _s3 = start_s3()
    cleanup.append(server.stop)
    ports = {"A": free_port(), "B": free_port(), "proxy": free_port()}
    public = f"127.0.0.1:{ports['proxy']}"
    env = portal_env(folder, database_url, redis_url, endpoint, public) | {
        "WORKER_LEASE_SECONDS": "10",  # a dead worker's task goes to another after 10 s (60 in production)
        "PORTAL_VAR_DIR": str(folder / "var"),
    }
    begun = time.monotonic()
    processes.run("migrate", [sys.executable, "-c", LEAN_MIGRATE], env, 300)
    demo = env | {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DEBUG": "0"}
    processes.run("seed_demo", [sys.executable, "manage.py", "seed_demo"], demo, 600)
    processes.run("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env, 120)
    output = processes.run("approve", [sys.executable, "-c", APPROVE_ONE], env, 120)
    found = re.search(r"^APPROVED (.*)$", output, re.M)
    expect(found, f"no demo opinion could be approved:\n{output[-2000:]}")
    say("migrate, seed_demo, collectstatic", f"{time.monotonic() - begun:.0f} s")

    nodes = {name: f"127.0.0.1:{ports[name]}" for name in ("A", "B")}
    commands = {f"node-{name}": (gunicorn(ports[name]), env) for name in ("A", "B")}
    commands["worker"] = ([sys.executable, "manage.py", "worker", "--interval", "0.5"], env)
    for name, (command, environment) in commands.items():
        processes.start(name, command, environment)
    supervisor = Supervisor(processes, commands)
    supervisor.start()
    cleanup.append(supervisor.stopped.set)
    conf = nginx_conf(folder, nodes, ports["proxy"], endpoint, BUCKET)
    processes.start("nginx", ["nginx", "-c", str(conf), "-p", str(folder / "nginx")])
    for name, address in nodes.items():
        wait_for(f"node {name}", lambda a=address: requests.get(f"http://{a}/health/", timeout=5).ok, 60)
    return {
        "db": database_url,
        "proxy": f"http://{public}",
        "public": public,
        "opinion": json.loads(found[1]),
        "supervisor": supervisor,
        "env": env,
    }


def verify(t, folder):
    """After the run: every acknowledged write is there; the opinion was issued once, by a second attempt."""
    acks = (
        [line for line in (folder / "acks.txt").read_text().splitlines() if line]
        if (folder / "acks.txt").exists()
        else []
    )
    stored = {name for (name,) in sql(t["db"], "SELECT name FROM funds_savedfilter WHERE name LIKE 'load-%%'")}
    missing = [name for name in acks if name not in stored]
    say("acknowledged writes (saved filters) in the database", f"{len(acks) - len(missing)} of {len(acks)}")
    opinion = t["opinion"]["opinion"]

    def issued():
        return sql(t["db"], "SELECT state, number FROM opinions_opinion WHERE id = %s AND state = 'issued'", opinion)

    (state, number), = wait_for("the opinion issued after the worker's death", issued, 60, interval=0.5)  # fmt: skip
    ((attempts, status),) = sql(
        t["db"],
        "SELECT jsonb_array_length(worker_ids), status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        "portal.opinions.tasks.issue_opinion",
    )
    numbered = sql(t["db"], "SELECT count(*) FROM opinions_opinion WHERE number = %s", number)[0][0]
    say(
        "the opinion rendered when the worker was killed",
        f"{number}: {status} after {attempts} attempts, {numbered} row",
    )
    return {"acks": len(acks), "missing": len(missing), "attempts": attempts, "issued_once": numbered == 1}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--steady", type=int, default=60)
    parser.add_argument("--faults", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="portal-load-"))
    processes, cleanup, failed = Processes(folder), [], True
    try:
        t = build(processes, folder, cleanup)
        run_env = t["env"] | {"LOAD_ACKS": str(folder / "acks.txt")}
        say(f"steady: {args.users} users for {args.steady} s")
        steady = figures(locust("steady", folder, t["proxy"], args.users, args.steady, run_env), args.steady)
        events = []
        fault_thread = threading.Thread(target=faults, args=(t, events), daemon=True)
        say(f"faults: {args.users} users for {args.faults} s")
        begun = time.time()
        fault_thread.start()
        records = locust("faults", folder, t["proxy"], args.users, args.faults, run_env)
        fault_thread.join(timeout=30)
        checked = verify(t, folder)
        table(
            f"Steady load, {args.users} users, {args.steady} s (nginx, 2 nodes × 2 gunicorn workers, PostgreSQL)",
            steady,
        )
        table(f"With faults, {args.users} users, {args.faults} s", figures(records, args.faults))
        print("\n  errors per 5 s during the faults (t from the start of the phase):")
        for what, at, done in events:
            print(f"  t={at - begun:5.1f} s  {what} ({done - at:.1f} s)")
        windows = {}
        for _group, start, _ms, failed_request in records:
            windows.setdefault(int((start - begun) // WINDOW), [0, 0])[failed_request] += 1
        for window in sorted(windows):
            ok, errors = windows[window]
            span = f"{window * WINDOW}–{window * WINDOW + WINDOW} s"
            print(f"  {span:>10}  {ok + errors:5d} requests  {errors:4d} errors")
        restarts = t["supervisor"].restarts
        print(f"\n  restarted by the supervisor: {restarts}")
        last = max(windows) if windows else 0
        recovered = all(windows[w][1] == 0 for w in windows if w >= last - 2)
        print(
            f"  acknowledged writes lost: {checked['missing']} of {checked['acks']}; the opinion issued once: "
            f"{checked['issued_once']} (attempts {checked['attempts']}); errors in the last 15 s: "
            f"{'none' if recovered else 'some'}"
        )
        anonymous = steady.get("anonymous", {})
        met = steady["all"]["errors"] == 0 and anonymous.get("p95", 1e9) < 200
        failed = not (met and checked["missing"] == 0 and checked["issued_once"] and recovered)
        print(f"  targets (no error at {args.users} users, anonymous p95 < 200 ms): {'met' if met else 'NOT met'}")
    except Failed as error:
        say("FAILED", str(error))
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except Exception as error:  # noqa: BLE001 (a cleanup step must not stop the others)
                print(f"cleanup: {error}", flush=True)
        processes.stop()
        if failed:
            print(f"logs kept in {folder}", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
