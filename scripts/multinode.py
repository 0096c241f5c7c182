"""The production topology on loopback, to show that nothing depends on one process's memory or disk (issue 15).

    scripts/with-postgres.sh .venv/bin/python scripts/multinode.py [--lean-migrate] [--keep-logs]

Started here (the machinery is in scripts/multinode_setup.py), all on 127.0.0.1: Redis (no persistence), moto's S3
server with one bucket, a new database in the PostgreSQL that DATABASE_URL names (migrated, with the set-up's rows),
two gunicorn nodes A and B (2 workers each) and one `manage.py worker`, all with the production settings and each
with its own PORTAL_VAR_DIR (its own "disk"), and a round-robin proxy in this process that adds X-Forwarded-For and
X-Forwarded-Proto: https as the load balancer does (TRUSTED_PROXIES=1). A request sent straight to one node carries
what the load balancer would send it (the public Host, X-Forwarded-*). The checks:

  0. the proxy reaches both nodes;
  1. a sign-in made on A is known on B (sessions in Redis and the database), and a sign-out on B ends it on A;
  2. a file uploaded through A's form is downloaded, the same bytes, from B (private files in the bucket);
  3. a public page kept by A's page cache is served by B from it, and unpublishing it on A purges it for both;
  4. an opinion issued on A is rendered and signed by the worker (with the configured key), its PDF read on B;
  5. a ballot on A and the close of the poll on B at the same moment: closed, with a tally equal to the ballots kept,
     and a later ballot refused with a clear message;
  6. nothing was written to a node's or the worker's own disk (their PORTAL_VAR_DIR: static files, font cache).

One line per step and per check with its time; exit 0 when every check passed, 1 when one failed, 2 when the
topology could not be built. Every process started here is stopped at the end, also on failure, Ctrl-C, SIGTERM or
the overall limit (DEADLINE seconds); the logs are kept (and their folder printed) when something failed.
The schema is made by `manage.py migrate --noinput`, as a deploy does: ~70 s of CPU, the longest step (about half of
a run of ~100 s; 180 s on a machine busy with a test suite). --lean-migrate migrates in the set-up process with the
test suite's lean_historical_models instead (the same migrations without django-fsm's receivers on historical models,
about half the time). --keep-logs keeps the logs of a run that passed.
"""

import argparse
import concurrent.futures
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import requests
from multinode_setup import (
    BUCKET,
    ROWS_MARK,
    Failed,
    Processes,
    RoundRobinProxy,
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

DEADLINE = 300  # seconds for everything, set-up included
WORKER_ID = f"multinode-{secrets.token_hex(4)}"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = time.monotonic()


class Stop(BaseException):
    """SIGTERM, or SIGALRM at the overall limit: a BaseException, so that no check's ``except Exception`` takes it."""


def line(status, what, seconds, detail=""):
    stamp = time.monotonic() - STARTED
    print(f"[{stamp:6.1f} s] {status:<4} {what:<56} {seconds:6.2f} s  {detail}".rstrip(), flush=True)


# --- a browser that keeps Secure cookies over plain HTTP -------------------------------------------------------------


class Browser:
    """Cookies kept by hand (http.cookiejar never sends a Secure cookie over http). A request straight to a node
    carries what the load balancer would send it (the public Host, X-Forwarded-*); through the proxy, the proxy does."""

    def __init__(self, proxy):
        self.proxy, self.public, self.cookies = proxy, urllib.parse.urlsplit(proxy).netloc, {}

    def request(self, method, url, data=None, files=None):
        path = urllib.parse.urlsplit(url).path
        headers = {"Origin": f"https://{self.public}", "Referer": f"https://{self.public}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if not url.startswith(self.proxy):
            headers |= {"Host": self.public, "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "https"}
        response = requests.request(
            method, url, data=data, files=files, headers=headers, allow_redirects=False, timeout=30
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if not morsel.value or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        expect(response.status_code < 500, f"{method} {url}: HTTP {response.status_code}")
        return response

    def get(self, url):
        return self.request("GET", url)

    def post(self, url, data=None, files=None):
        return self.request("POST", url, data=data, files=files)

    def token(self, url):
        """The CSRF token of the form on the page at ``url``."""
        response = self.get(url)
        found = CSRF.search(response.text)
        expect(response.status_code == 200 and found, f"GET {url}: HTTP {response.status_code}, no form token")
        return found[1]

    def log_in(self, base, user, password):
        token = self.token(f"{base}/accounts/login/")
        data = {"username": user["username"], "password": password, "csrfmiddlewaretoken": token}
        response = self.post(f"{base}/accounts/login/", data)
        expect(response.status_code == 302, f"signing in as {user['username']}: HTTP {response.status_code}")
        return self


def signed_in(t, who):
    """A browser signed in as one of the set-up's people, through the proxy."""
    return Browser(t["proxy"]).log_in(t["proxy"], t["data"]["users"][who], t["data"]["password"])


# --- the checks ------------------------------------------------------------------------------------------------------


def check_proxy(t):
    nodes = [Browser(t["proxy"]).get(f"{t['proxy']}/health/").headers["X-Multinode-Node"] for _ in range(4)]
    expect(set(nodes) == {"A", "B"}, f"the proxy reached {nodes}, not both nodes")
    return "/health/ 200 from " + ",".join(nodes)


def check_sessions(t):
    a, b, who = t["A"], t["B"], t["data"]["users"]["secretary"]
    browser = Browser(t["proxy"]).log_in(a, who, t["data"]["password"])
    page = browser.get(f"{b}/workspace/")
    expect(page.status_code == 200, f"the dashboard on B after signing in on A: HTTP {page.status_code}")
    expect(who["name"] in page.text, f"the dashboard on B does not name {who['name']}")
    through = [browser.get(f"{t['proxy']}/workspace/").status_code for _ in range(2)]
    expect(through == [200, 200], f"the dashboard through the proxy: {through}")
    kept = dict(browser.cookies)
    out = browser.post(f"{b}/accounts/logout/", {"csrfmiddlewaretoken": browser.token(f"{b}/workspace/")})
    expect(out.status_code in (200, 302), f"signing out on B: HTTP {out.status_code}")
    browser.cookies = kept  # the old session cookie, as a second tab on A still holds it
    after = browser.get(f"{a}/workspace/")
    expect(
        after.status_code == 302 and "/accounts/login/" in after.headers.get("Location", ""),
        f"A still knows the session after the sign-out on B (HTTP {after.status_code})",
    )
    return f"dashboard on B names {who['name']}; after the sign-out on B, A sends the old cookie to the login"


def check_files(t):
    a, b, data = t["A"], t["B"], t["data"]
    slug, browser = data["council_slug"], signed_in(t, "secretary")
    content = ("多节点上传测试 " + secrets.token_hex(16) + "\n").encode() * 64
    form = f"{a}/workspace/councils/{slug}/folders/{data['folder']}/upload/"
    fields = {"title": "多节点测试文件", "note": "", "csrfmiddlewaretoken": browser.token(form)}
    sent = browser.post(form, fields, files={"file": ("多节点.txt", content, "text/plain")})
    document = re.search(rf"/workspace/councils/{slug}/documents/\d+/", sent.headers.get("Location", ""))
    expect(sent.status_code == 302 and document, f"the upload on A: HTTP {sent.status_code}, not the document")
    page = browser.get(b + document[0])
    link = re.search(rf"/workspace/councils/{slug}/versions/(\d+)/download/", page.text)
    expect(page.status_code == 200 and link, f"the document on B: HTTP {page.status_code}, no download link")
    download = browser.get(b + link[0])
    expect(download.status_code == 200, f"the download on B: HTTP {download.status_code}")
    expect(download.content == content, f"B sent {len(download.content)} bytes, not the {len(content)} uploaded")
    ((name,),) = sql(t["db"], "SELECT file FROM councils_documentversion WHERE id = %s", int(link[1]))
    stored = t["s3"].get_object(Bucket=BUCKET, Key=f"private/{name}")["Body"].read()
    expect(stored == content, f"s3://{BUCKET}/private/{name} is not the upload")
    return f"{len(content)} bytes up on A, the same down on B, in s3://{BUCKET}/private/{name[:30]}…"


def check_page_cache(t):
    a, b, page = t["A"], t["B"], t["data"]["page"]
    seen = []
    for base in (a, a, b, b):
        response = Browser(t["proxy"]).get(base + page["url"])  # anonymous: no cookie at all
        expect(response.status_code == 200 and page["title"] in response.text, f"{base}: {response.status_code}")
        seen.append(response.headers.get("X-Page-Cache", "none"))
    expect(seen[1:] == ["hit", "hit", "hit"], f"X-Page-Cache on A, A, B, B: {seen}; B does not serve A's page")
    admin = signed_in(t, "superuser")
    unpublish = f"{a}/admin/pages/{page['id']}/unpublish/"
    done = admin.post(unpublish, {"csrfmiddlewaretoken": admin.token(unpublish)})
    expect(done.status_code == 302, f"unpublishing on A in the admin: HTTP {done.status_code}")
    after = [Browser(t["proxy"]).get(base + page["url"]).status_code for base in (a, b)]
    expect(after == [404, 404], f"after unpublishing on A, A and B answer {after}, not 404 and 404")
    return f"{page['url']} {'/'.join(seen)} on A,A,B,B; unpublished on A: 404 on A and B"


def check_opinion(t):
    a, b, pk = t["A"], t["B"], t["data"]["opinion"]
    browser = signed_in(t, "secretary")
    token = browser.token(f"{a}/workspace/opinions/{pk}/")
    issued = browser.post(f"{a}/workspace/opinions/{pk}/issue/", {"csrfmiddlewaretoken": token})
    expect(issued.status_code == 302, f"issuing on A: HTTP {issued.status_code}")
    pdf_path, begun = f"/workspace/opinions/{pk}/pdf/", time.monotonic()

    def issued_on_b():
        status = browser.get(f"{b}/workspace/opinions/{pk}/status/").text
        expect("form-errors" not in status, f"the worker failed: {re.sub(r'<[^>]+>', ' ', status)[:300]}")
        return pdf_path in status

    wait_for("the opinion issued, seen on B", issued_on_b, 60, interval=0.5)
    waited = time.monotonic() - begun
    pdf = browser.get(b + pdf_path)
    expect(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), f"the PDF on B: HTTP {pdf.status_code}")
    expect(t["certificate"] in pdf.content.lower(), "the PDF is not signed with OPINIONS_SIGNING_CERT")
    rows = sql(
        t["db"],
        "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        "portal.opinions.tasks.issue_opinion",
    )
    expect(len(rows) == 1, f"{len(rows)} issue_opinion tasks, expected 1")
    status, workers, arguments = rows[0]
    expect(arguments["args"][0] == pk, f"the task issued opinion {arguments['args'][0]}, not {pk}")
    expect(status == "SUCCESSFUL" and workers == [WORKER_ID], f"the task is {status}, run by {workers}")
    ((name, number),) = sql(t["db"], "SELECT pdf, number FROM opinions_opinion WHERE id = %s", pk)
    stored = t["s3"].get_object(Bucket=BUCKET, Key=f"private/{name}")["Body"].read()
    expect(stored == pdf.content, f"the PDF from B is not s3://{BUCKET}/private/{name}")
    return f"{number}: issued on A, signed by {WORKER_ID} in {waited:.1f} s, {len(pdf.content)} bytes from B"


def check_vote_race(t):
    a, b, data = t["A"], t["B"], t["data"]
    poll, uuid = data["poll"], data["poll"]["uuid"]
    expect(len(poll["voters"]) >= 2, f"the poll has voters {poll['voters']}")
    voter, clerk = signed_in(t, "council_member"), signed_in(t, "secretary")
    # English pages, so that a refusal's message can be read here.
    ballot, poll_page = f"{a}/en/workspace/voting/{uuid}/ballot/", f"{a}/en/workspace/voting/{uuid}/"
    motion = f"{b}/en/workspace/councils/{data['council_slug']}/motions/{data['motion']}/"
    posts = [
        (voter, ballot, {"choice": "yes", "csrfmiddlewaretoken": voter.token(poll_page)}),
        (clerk, motion + "vote/close/", {"csrfmiddlewaretoken": clerk.token(motion)}),
    ]
    barrier = threading.Barrier(len(posts), timeout=30)

    def at_once(browser, url, fields):
        barrier.wait()
        return browser.post(url, fields)

    with concurrent.futures.ThreadPoolExecutor(len(posts)) as pool:
        cast, closed = [future.result(timeout=60) for future in [pool.submit(at_once, *post) for post in posts]]
    expect(closed.status_code == 302, f"the close on B: HTTP {closed.status_code}")
    late = signed_in(t, "plenary_only")
    refused = late.post(ballot, {"choice": "no", "csrfmiddlewaretoken": late.token(poll_page)})
    expect("This vote has closed." in refused.text, f"a ballot after the close: HTTP {refused.status_code}, no reason")
    ((state, yes, no, abstain),) = sql(
        t["db"], "SELECT state, yes_count, no_count, abstain_count FROM voting_poll WHERE id = %s", poll["id"]
    )
    ballots = sql(
        t["db"],
        "SELECT u.username FROM voting_ballot b JOIN voting_electorateentry e ON e.id = b.entry_id "
        "JOIN accounts_user u ON u.id = e.user_id WHERE e.poll_id = %s",
        poll["id"],
    )
    expect(state == "closed", f"the poll is {state} after the close on B")
    expect(yes + no + abstain == len(ballots), f"the tally {yes}/{no}/{abstain}, but {len(ballots)} ballots stored")
    voted = [username for (username,) in ballots]
    expect(data["users"]["plenary_only"]["username"] not in voted, "the ballot after the close was stored")
    if cast.status_code == 302:
        expect(voted == [data["users"]["council_member"]["username"]], f"accepted, but the ballots are {voted}")
        outcome = "the ballot came first and is counted"
    else:
        expect(not voted, f"the ballot was refused, but ballots {voted} are stored")
        expect("This vote has closed." in cast.text, f"the ballot was refused without a reason ({cast.status_code})")
        outcome = "the close came first, the ballot was refused (“This vote has closed.”)"
    return f"{outcome}; tally {yes}/{no}/{abstain} = {len(ballots)} ballot(s); a later ballot refused"


def check_own_disks(t):
    # Allowed: the static files (built for each deploy) and matplotlib's list of the installed fonts (a cache that
    # portal/charts/engine.py keeps there, rebuilt by any process that lacks it).
    allowed = {"static", "matplotlib"}
    written = [
        str(path.relative_to(t["folder"]))
        for name in ("A", "B", "worker")
        for path in (t["folder"] / f"var-{name}").rglob("*")
        if path.is_file() and path.relative_to(t["folder"] / f"var-{name}").parts[0] not in allowed
    ]
    expect(not written, f"written to a process's own disk: {written[:5]}")
    return "the PORTAL_VAR_DIR of A, B and the worker hold static/ and matplotlib/ (font cache) only"


CHECKS = [
    ("0 the proxy spreads requests over A and B", check_proxy),
    ("1 sign in on A, dashboard on B, sign out on B", check_sessions),
    ("2 upload on A, download on B (S3 private/)", check_files),
    ("3 page cached (Redis), unpublished on A: 404 on A and B", check_page_cache),
    ("4 issue on A, the worker renders, the PDF from B", check_opinion),
    ("5 ballot on A while the poll closes on B", check_vote_race),
    ("6 nothing written to a node's own disk", check_own_disks),
]


# --- the run ---------------------------------------------------------------------------------------------------------


def build(processes, folder, cleanup, lean_migrate):
    """Start everything: the addresses, the set-up's rows and what the checks compare with."""
    begun = time.monotonic()
    expect(os.environ.get("DATABASE_URL"), "DATABASE_URL is not set: run me under scripts/with-postgres.sh")
    expect(shutil.which("redis-server"), "redis-server is not installed (Debian package redis-server)")
    database_url, drop = create_database(os.environ["DATABASE_URL"])
    cleanup.append(drop)
    redis_url = start_redis(processes)
    server, endpoint, s3 = start_s3()
    cleanup.append(server.stop)
    ports = {"A": free_port(), "B": free_port()}
    nodes = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    proxy = RoundRobinProxy(nodes)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    cleanup.append(proxy.shutdown)
    public = f"127.0.0.1:{proxy.server_address[1]}"
    env = portal_env(folder, database_url, redis_url, endpoint, public)
    on = {name: env | {"PORTAL_VAR_DIR": str(folder / f"var-{name}")} for name in ("setup", "A", "B", "worker")}
    line("ok", "PostgreSQL database, Redis, S3 (moto), the proxy", time.monotonic() - begun)

    begun = time.monotonic()
    processes.start("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], on["A"])
    setup = [sys.executable, "scripts/multinode_setup.py", *(["--migrate"] if lean_migrate else [])]
    if not lean_migrate:
        processes.run("migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], on["setup"], 240)
    output = processes.run("setup", setup, on["setup"], 120)
    data = json.loads(output[output.index(ROWS_MARK) + len(ROWS_MARK) :].splitlines()[0])
    processes.finish("collectstatic", 120)
    shutil.copytree(folder / "var-A" / "static", folder / "var-B" / "static")
    line("ok", f"migrate{' (lean)' if lean_migrate else ''}, test rows, collectstatic", time.monotonic() - begun)

    begun = time.monotonic()
    started = {name: processes.start(f"node-{name}", gunicorn(port), on[name]) for name, port in ports.items()}
    worker = [sys.executable, "manage.py", "worker", "--interval", "0.5", "--worker-id", WORKER_ID]
    started["worker"] = processes.start("worker", worker, on["worker"])
    for name, base in nodes.items():
        wait_for(f"node {name} /health/", lambda b=base: requests.get(f"{b}/health/", timeout=5).ok, 90, started[name])
    beats = "SELECT 1 FROM worker_workerbeat WHERE worker_id = %s"
    wait_for("the worker's heartbeat", lambda: sql(database_url, beats, WORKER_ID), 60, started["worker"])
    line("ok", "nodes A and B answer /health/, the worker beats", time.monotonic() - begun)

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate = x509.load_pem_x509_certificate(Path(env["OPINIONS_SIGNING_CERT"]).read_bytes())
    return {
        **nodes,
        **{"proxy": f"http://{public}", "db": database_url, "s3": s3, "data": data, "folder": folder},
        "certificate": certificate.public_bytes(Encoding.DER).hex().encode(),  # as the PDF's signature holds it
        "processes": started,
    }


def run_checks(topology):
    """Every check, each on its own (one failing does not stop the next): how many passed."""
    passed = 0
    for name, check in CHECKS:
        begun = time.monotonic()
        try:
            detail = check(topology)
        except Failed as error:
            line("FAIL", name, time.monotonic() - begun, str(error))
        except Exception as error:  # noqa: BLE001 (a check that broke is a failed check, with its traceback)
            line("FAIL", name, time.monotonic() - begun, f"{type(error).__name__}: {error}")
            traceback.print_exc()
        else:
            line("PASS", name, time.monotonic() - begun, detail)
            passed += 1
        stopped = [name for name, process in topology["processes"].items() if process.poll() is not None]
        if stopped:
            line("FAIL", f"{', '.join(stopped)} stopped: no further checks", 0)
            break
    return passed


def on_signal(number, _frame):
    raise Stop(signal.Signals(number))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lean-migrate", action="store_true", help="migrate as the test suite does (faster)")
    parser.add_argument("--keep-logs", action="store_true", help="keep the logs after a run that passed")
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(DEADLINE)
    folder = Path(tempfile.mkdtemp(prefix="portal-multinode-"))
    processes, cleanup, status = Processes(folder), [], 2
    try:
        topology = build(processes, folder, cleanup, options.lean_migrate)
        passed = run_checks(topology)
        status = 0 if passed == len(CHECKS) else 1
        print(f"{passed} of {len(CHECKS)} checks passed", flush=True)
    except Failed as error:
        line("FAIL", "building the topology", time.monotonic() - STARTED, str(error))
    except Stop as stop:
        if stop.args[0] == signal.SIGALRM:
            line("FAIL", f"the overall limit of {DEADLINE} s passed", time.monotonic() - STARTED)
            status = 1
        else:
            print("stopped by SIGTERM", flush=True)
            status = 143
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        status = 130
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up runs to its end
        processes.stop()
        for step in reversed(cleanup):
            try:
                step()
            except Exception as error:  # noqa: BLE001 (clean up the rest)
                print(f"cleaning up: {error}", file=sys.stderr)
        if (status == 0 and not options.keep_logs) or not any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"logs kept in {folder}", flush=True)
        line("done", f"exit {status}; every process started here is stopped", time.monotonic() - STARTED)
    return status


if __name__ == "__main__":
    sys.exit(main())
