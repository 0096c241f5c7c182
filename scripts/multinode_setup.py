"""What scripts/multinode.py starts, and the rows its checks need.

Imported by multinode.py: the processes (each in its own process group, stopped together), Redis, moto's S3 server,
a new database beside the one DATABASE_URL names, the environment of every portal process (production settings,
throwaway secrets and signing pair), gunicorn's command line and the round-robin proxy.

Run as a script by multinode.py, with that environment, it makes the rows (and with --migrate the schema first):

    .venv/bin/python scripts/multinode_setup.py [--migrate]

--migrate migrates the empty database with the test suite's ``lean_historical_models`` (the same migrations as
``manage.py migrate``, without django-fsm's receivers piling up on historical models: about half the time). The rows
come from the test suite's builders (tests/factories.py, tests/councils_world.py): the small site (a standard page
anonymous visitors read), the council of the workspace tests with its secretariat, chair and members (password
``tests.factories.PASSWORD``), a folder in its plenary workspace, an opinion issuer of the plenary with one opinion
approved by the chair (ready to issue), and a submitted motion put to a written vote of the plenary. They are printed
as one JSON line after ROWS_MARK.
"""

import contextlib
import datetime
import http.client
import itertools
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "portal-multinode"
ROWS_MARK = "MULTINODE ROWS "  # starts the line of the set-up's JSON in its output
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}


class Failed(Exception):
    """A check (or a step of the set-up) did not hold; the message says what."""


def expect(condition, message):
    if not condition:
        raise Failed(message)


def wait_for(what, ready, timeout, process=None, interval=0.25):
    """Call ``ready()`` until it returns something true (its value) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        expect(process is None or process.poll() is None, f"{what}: the process stopped")
        try:
            value = ready()
        except (OSError, requests.RequestException, psycopg.Error):
            value = None
        if value:
            return value
        time.sleep(interval)
    raise Failed(f"{what}: nothing within {timeout} s")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sql(database_url, query, *params):
    with psycopg.connect(database_url) as connection:
        return connection.execute(query, params).fetchall()


# --- the processes ---------------------------------------------------------------------------------------------------


class Processes:
    """Child processes, each in its own process group with its log in ``folder``; ``stop()`` ends them all."""

    def __init__(self, folder):
        self.folder, self.running = folder, {}

    def start(self, name, command, env=None):
        with (self.folder / f"{name}.log").open("w") as log:
            self.running[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self.running[name]

    def finish(self, name, timeout):
        """Wait for a started command to end: its output, or Failed with the end of its log."""
        try:
            code = self.running[name].wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failed(f"{name} did not finish within {timeout} s") from None
        output = (self.folder / f"{name}.log").read_text()
        expect(code == 0, f"{name} failed (exit {code}):\n{output[-3000:]}")
        return output

    def run(self, name, command, env, timeout):
        self.start(name, command, env)
        return self.finish(name, timeout)

    def stop(self):
        """SIGTERM to each process group, SIGKILL after 10 s; a slow stop is told."""
        for name, process in reversed(self.running.items()):
            begun = time.monotonic()
            for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(process.pid, sig)
                    process.wait(timeout=grace)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    print(f"{name} did not stop within {grace} s of {sig.name}", flush=True)
            if time.monotonic() - begun > 3:
                print(f"{name} took {time.monotonic() - begun:.1f} s to stop", flush=True)
        self.running.clear()


def start_redis(processes):
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = processes.start("redis", [*command, "--dir", str(processes.folder)])

    def pong():
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    wait_for("redis-server", pong, 20, process)
    return f"redis://127.0.0.1:{port}/0"


def start_s3():
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    client.create_bucket(Bucket=BUCKET)
    return server, endpoint, client


def create_database(url):
    """A new database beside the one DATABASE_URL names (with-postgres.sh creates none): (its URL, a dropper)."""
    parts = urllib.parse.urlsplit(url)
    expect(parts.scheme.startswith("postgres"), "DATABASE_URL must name a PostgreSQL server (scripts/with-postgres.sh)")
    name, admin = f"portal_multinode_{secrets.token_hex(4)}", parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


def portal_env(folder, database_url, redis_url, s3_endpoint, public):
    """What every portal process gets (each adds its own PORTAL_VAR_DIR)."""
    from cryptography.fernet import Fernet

    sys.path.insert(0, str(ROOT))  # a throwaway signing pair, made by the portal's own development code path
    from portal.opinions.signing import KeyMaterial, _write_dev_certificate

    signing = KeyMaterial(folder / "signing-key.pem", folder / "signing-cert.pem")
    logging.getLogger("portal.opinions.signing").setLevel(logging.ERROR)
    _write_dev_certificate(signing)
    unset = {"DEBUG", "PORTAL_PAGE_CACHE", "PORTAL_FRAGMENT_CACHE", "S3_MEDIA_DOMAIN", "CONN_MAX_AGE"}
    return {name: value for name, value in os.environ.items() if name not in unset} | {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "SECRET_KEY": secrets.token_urlsafe(50)[:50],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PORTAL_TWO_FACTOR": "off",
        "SECURE_SSL_REDIRECT": "0",
        "TRUSTED_PROXIES": "1",
        "LOG_FORMAT": "text",
        "PORTAL_BASE_URL": f"http://{public}",
        "OPINIONS_SIGNING_KEY": str(signing.key_path),
        "OPINIONS_SIGNING_CERT": str(signing.cert_path),
    }


def gunicorn(port):
    program = Path(sys.executable).with_name("gunicorn")
    start = [str(program)] if program.exists() else [sys.executable, "-m", "gunicorn"]
    # --no-control-socket: its default path is one per user, which the two nodes would share.
    return [*start, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"]


# --- the load balancer -----------------------------------------------------------------------------------------------


class RoundRobinProxy(ThreadingHTTPServer):
    """Each request to the next node, as nginx would send it; the answer names the node in X-Multinode-Node."""

    daemon_threads = True

    def __init__(self, nodes):
        self.turn, self.lock = itertools.cycle(nodes.items()), threading.Lock()
        super().__init__(("127.0.0.1", 0), ProxyHandler)

    def next_node(self):
        with self.lock:
            return next(self.turn)


class ProxyHandler(BaseHTTPRequestHandler):
    def forward(self):
        name, base = self.server.next_node()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP}
        before = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{before}, {self.client_address[0]}" if before else self.client_address[0]
        headers["X-Forwarded-Proto"] = "https"
        address = urllib.parse.urlsplit(base)
        upstream = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        except OSError as error:
            self.send_error(502, f"node {name}: {error}")
            return
        finally:
            upstream.close()
        self.send_response_only(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP_BY_HOP | {"content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Multinode-Node", name)
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(OSError):  # the client went away (a check that gave up, Ctrl-C)
                self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = forward

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's signature)
        pass


# --- run as a script, inside Django: the schema and the rows ----------------------------------------------------------


def migrate():
    from django.core.management import call_command

    from tests.dbcache import lean_historical_models

    with lean_historical_models():
        begun = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"migrated in {time.monotonic() - begun:.1f} s", file=sys.stderr)


def build():
    from django.db import transaction
    from django.utils import timezone

    from councils import services as councils
    from councils.services import motions
    from councils.services import opinions as council_opinions
    from portal.opinions import services as opinions
    from portal.opinions.models import OpinionState
    from tests.councils_world import build_world
    from tests.factories import PASSWORD, build_site

    with transaction.atomic():
        pages = build_site()
        world = build_world()
    council, users = world["council"], world["users"]
    secretary, chair, member = users["secretary"], users["chair"], users["council_member"]

    folder = councils.create_folder(actor=secretary, workspace=council, name="多节点测试")

    issuer = council_opinions.set_up_issuer(
        actor=users["superuser"], workspace=council, name="多节点测试理事会", number_prefix="多节点测"
    )
    opinion = opinions.create_opinion(
        actor=secretary,
        issuer=issuer,
        title="关于多节点部署的测试意见",
        body="<p>两个节点、一个后台任务进程，共用数据库、Redis 与对象存储。</p>",
        signatories=[chair],
    )
    opinions.submit_for_review(actor=secretary, opinion=opinion)
    opinion = opinions.sign_off(actor=chair, opinion=opinion, approve=True)
    if opinion.state != OpinionState.APPROVED:
        raise SystemExit(f"the opinion is {opinion.state}, not approved")

    motion = motions.draft_motion(
        actor=member, workspace=council, title="关于多节点表决的动议", text="同意在两个节点上同时投票与结束表决。"
    )
    motions.submit_motion(actor=member, motion=motion)
    motion = motions.open_written_vote(
        actor=secretary, motion=motion, closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    poll = motion.poll
    voters = sorted(poll.entries.values_list("user__username", flat=True))

    standard = pages["standard"]
    return {
        "password": PASSWORD,
        "users": {name: {"username": user.username, "name": user.display_name} for name, user in users.items()},
        "council_slug": council.slug,
        "folder": folder.pk,
        "page": {"id": standard.pk, "url": standard.get_url(), "title": standard.title},
        "opinion": opinion.pk,
        "motion": motion.pk,
        "poll": {"id": poll.pk, "uuid": str(poll.uuid), "voters": voters},
    }


def main():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if "--migrate" in sys.argv[1:]:
        migrate()
    print(ROWS_MARK + json.dumps(build(), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
