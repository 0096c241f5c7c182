"""Public pages over HTTP: requests per second and p99 latency of gunicorn under wrk, the page cache on and off.

    make bench                                          # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_http.py     # this one (needs wrk: sh scripts/system-deps.sh bench)

The issue's method: gunicorn with 2 sync workers, the production settings, SQLite, no Redis; wrk with 16 connections
for BENCH_SECONDS (10) per page, BENCH_ROUNDS (3) rounds alternating the pages (A, B, C, A, B, C …); the median
requests per second of the rounds and the median of their p99 latencies. Targets: the cached home page and article
>= 1,000 req/s with p99 under 50 ms; uncached, the article >= 150 req/s and the theme page >= 100 req/s. The
baseline before any cache: home 65 req/s, article 88, news index 59, theme page 43, search 64.

"uncached" is a page-cache miss as production pays it: the page rendered, with what every page shows around its
content, the theme sections and the route read from the store (portal/pagecache/fragments.py); "rendered" (for
information) has that store off too (PORTAL_FRAGMENT_CACHE=off): every query and template of the page, as just
after a change purged everything.

The database: migrated and loaded with seed_demo once (as `make run`), kept in var/bench/ under a hash of the
migrations (tests/dbcache.py's), migrated forward when they change (BENCH_FRESH_DB=1 builds it afresh). Each server
gets a fresh copy of it and an empty page cache. Production needs secrets and a signing pair: throwaway ones are made
once in var/bench/ (never a real key). The server runs twice, cache off (PORTAL_PAGE_CACHE=off) and on; before the
cached rounds, each page must answer `X-Page-Cache: hit`, or its cached figure says "cache not active". With
redis-server on the PATH (BENCH_REDIS=0 leaves it out), a third server caches in a Redis started here without
persistence.
Every server started is stopped at the end, also on failure, Ctrl-C or SIGTERM (each in its own process group).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchtools import ROOT, load, report

BENCH_DIR = ROOT / "var" / "bench"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16
WORKERS = 2
SEARCH_QUERY = "生物医药 基金"
LABELS = {  # page key → what the table calls it
    "home": "home /",
    "article": "news article",
    "news": "news index",
    "theme": "theme page",
    "search": f"search “{SEARCH_QUERY}”",
    "home_en": "home /en/",
}
# (page, column) → (req/s at least, p99 ms under); the issue measured them without Redis.
TARGETS = {
    ("home", "cached"): (1000, 50),
    ("article", "cached"): (1000, 50),
    ("article", "uncached"): (150, None),
    ("theme", "uncached"): (100, None),
}
BASELINE = {"home": 65, "article": 88, "news": 59, "theme": 43, "search": 64}  # req/s before any cache


# --- the database, prepared once -------------------------------------------------------------------------------------


def prepare_database(keys: dict) -> tuple[Path, dict]:
    """(the seeded database, {page key: path}), built by this script's --prepare in a process of its own."""
    building = BENCH_DIR / "building.sqlite3"
    env = _clean_env() | keys
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "0",  # seed_demo's thousands of queries are not kept in memory
        "PORTAL_VAR_DIR": str(BENCH_DIR),
        "DATABASE_URL": f"sqlite:///{building}",
    }
    result = subprocess.run(
        [sys.executable, __file__, "--prepare"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True
    )
    database = Path(result.stdout.strip().splitlines()[-1])
    return database, json.loads(database.with_suffix(".json").read_text())


def _prepare() -> None:
    """In the --prepare process (dev settings on the building file): migrate, seed_demo, find the pages."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.dbcache import lean_historical_models, migrations_key

    database = BENCH_DIR / f"portal-{migrations_key()}.sqlite3"
    pages_file = database.with_suffix(".json")
    if database.exists() and pages_file.exists() and os.environ.get("BENCH_FRESH_DB") != "1":
        print(database)
        return
    building = Path(connection.settings_dict["NAME"])
    _remove_sqlite(building)
    started = time.perf_counter()
    previous = sorted(BENCH_DIR.glob("portal-*.sqlite3"), key=lambda path: path.stat().st_mtime)
    if previous and os.environ.get("BENCH_FRESH_DB") != "1":
        # New migrations (other work adds indexes often): the seeded database of the last ones, migrated forward,
        # in seconds rather than the ~10 minutes of seed_demo; a history that no longer applies starts afresh.
        print(f"Migrating {previous[-1].name} forward …", file=sys.stderr, flush=True)
        shutil.copyfile(previous[-1], building)
        try:
            with lean_historical_models():
                call_command("migrate", verbosity=0, interactive=False)
        except Exception as error:  # noqa: BLE001 (any failure: build it afresh below)
            print(f"  it does not migrate ({error}): building afresh", file=sys.stderr, flush=True)
            connection.close()
            _remove_sqlite(building)
            previous = []
    if not previous or os.environ.get("BENCH_FRESH_DB") == "1":
        print(f"Preparing the benchmark database (migrate + seed_demo) in {building} …", file=sys.stderr, flush=True)
        with lean_historical_models():
            call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", stdout=sys.stderr)
    pages = _find_pages()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file: it is copied alone
    connection.close()
    for stale in BENCH_DIR.glob("portal-*.sqlite3"):
        _remove_sqlite(stale)
        stale.with_suffix(".json").unlink(missing_ok=True)
    os.replace(building, database)
    _remove_sqlite(building)
    pages_file.write_text(json.dumps(pages, ensure_ascii=False, indent=1))
    print(f"  done in {time.perf_counter() - started:.0f} s: {pages}", file=sys.stderr, flush=True)
    print(database)


def _find_pages() -> dict:
    from wagtail.models import Locale

    from portal.pages.models import NewsIndexPage, NewsPage
    from themes.models import ThemePage

    chinese = Locale.objects.get(language_code="zh-hans")

    def first(model, *order):
        page = model.objects.live().public().filter(locale=chinese).order_by(*order).first()
        if page is None:
            raise SystemExit(f"seed_demo made no live {model.__name__}")
        return page.get_url()

    return {
        "home": "/",
        "article": first(NewsPage, "-date", "-pk"),
        "news": first(NewsIndexPage, "pk"),
        "theme": first(ThemePage, "pk"),
        "search": "/search/?" + urllib.parse.urlencode({"q": SEARCH_QUERY}),
        "home_en": "/en/",
    }


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- throwaway secrets and the production environment ----------------------------------------------------------------


def throwaway_keys() -> dict:
    """SECRET_KEY, FIELD_ENCRYPTION_KEYS and a self-signed signing pair, made once in var/bench/ (benchmarks only)."""
    from cryptography import x509
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    stored = BENCH_DIR / "secrets.json"
    key_file, cert_file = BENCH_DIR / "signing-key.pem", BENCH_DIR / "signing-cert.pem"
    if not stored.exists():
        values = {"SECRET_KEY": secrets.token_urlsafe(50), "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
        stored.write_text(json.dumps(values))
    if not (key_file.exists() and cert_file.exists()):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pingshan portal benchmark (throwaway)")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256())
        )
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return json.loads(stored.read_text()) | {
        "OPINIONS_SIGNING_KEY": str(key_file),
        "OPINIONS_SIGNING_CERT": str(cert_file),
    }


def _clean_env() -> dict:
    """This process's environment without what would point a server elsewhere."""
    drop = ("DATABASE_URL", "REDIS_URL", "DEBUG", "PORTAL_PAGE_CACHE", "DJANGO_SETTINGS_MODULE", "PORTAL_VAR_DIR")
    return {name: value for name, value in os.environ.items() if name not in drop}


def production_env(keys: dict, database: Path, **extra) -> dict:
    return (
        _clean_env()
        | keys
        | {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "PORTAL_VAR_DIR": str(BENCH_DIR),
            "DATABASE_URL": f"sqlite:///{database}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; everything else as in production
            "PORTAL_BASE_URL": "http://127.0.0.1",
        }
        | extra
    )


def collectstatic(keys: dict, database: Path) -> None:
    """The production static files (hashed, compressed), collected again only when a static source file changed."""
    stamp, sources = BENCH_DIR / "static.stamp", _static_sources()
    if stamp.exists() and stamp.read_text() == sources and (BENCH_DIR / "static" / "staticfiles.json").exists():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(keys, database),
        check=True,
    )
    stamp.write_text(sources)


def _static_sources() -> str:
    """A digest of the project's static files (name, size, time) and of the requirements that ship the others."""
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for top in sorted(ROOT.iterdir()):
        if top.is_dir() and top.name not in {".venv", "var", ".git", "node_modules", "tests"}:
            for path in sorted(top.rglob("static/**/*")):
                if path.is_file():
                    info = path.stat()
                    digest.update(f"{path.relative_to(ROOT)} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# --- servers ---------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def process_group(command: list[str], log: Path, env: dict | None = None):
    """A server in its own process group, killed with all its children when the block ends, however it ends."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
                try:
                    process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue


@contextlib.contextmanager
def redis_server():
    port = free_port()
    folder = BENCH_DIR / "redis"
    folder.mkdir(exist_ok=True)
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with process_group([*command, "--dir", str(folder)], BENCH_DIR / "redis.log") as process:
        _wait_for(lambda: _answers_redis(port), process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"


def _answers_redis(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
        connection.sendall(b"PING\r\n")
        return connection.recv(16).startswith(b"+PONG")


@contextlib.contextmanager
def gunicorn(env: dict, label: str):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--workers", str(WORKERS)]
    command += ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--error-logfile", "-"]
    command += ["--no-control-socket"]  # its default path is one per user: two servers at once would share it
    log = BENCH_DIR / f"gunicorn-{label.replace(', ', '-').replace(' ', '-')}.log"
    with process_group(command, log, env) as process:
        base = f"http://127.0.0.1:{port}"
        _wait_for(lambda: fetch(base + "/")[0] == 200, process, f"gunicorn (see {log})")
        yield base


def _wait_for(ready, process, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit {process.returncode})")
        with contextlib.suppress(OSError):
            if ready():
                return
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not answer within {seconds:.0f} s")


def fetch(url: str) -> tuple[int, str]:
    """(status, X-Page-Cache header) of one anonymous GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (a loopback URL built here)
            response.read()
            return response.status, response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as error:
        return error.code, ""


# --- measuring -------------------------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(url: str) -> dict:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--timeout", "10s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=SECONDS + 60).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if not (rate and p99):
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    problems = re.findall(r"(Non-2xx or 3xx responses:\s+\d+|Socket errors:.*)", output)
    return {"rate": float(rate[1]), "p99": float(p99[1]) * UNITS_MS[p99[2]], "problems": problems}


def measure(base: str, pages: dict, cached: bool) -> dict:
    """{page key: {"runs": [...]} or {"note": why not measured}} for one server, the pages in alternating rounds."""
    results, measured = {}, []
    for key, path in pages.items():
        statuses = [fetch(base + path) for _ in range(3)]  # warm-up; the cached server stores the page on the first
        status, header = statuses[-1]
        if status != 200:
            results[key] = {"note": f"HTTP {status}"}
        elif cached and header != "hit":
            results[key] = {"note": "cache not active"}
        else:
            results[key] = {"runs": []}
            measured.append(key)
    for _round in range(ROUNDS):
        for key in measured:
            results[key]["runs"].append(wrk(base + _quoted(pages[key])))
    return results


def _quoted(path: str) -> str:
    parts = urllib.parse.urlsplit(path)
    query = urllib.parse.urlencode(urllib.parse.parse_qsl(parts.query))
    return urllib.parse.quote(parts.path) + (f"?{query}" if query else "")


def run_server(column: str, keys: dict, database: Path, pages: dict, **extra) -> dict:
    copy = BENCH_DIR / "serving.sqlite3"
    _remove_sqlite(copy)
    shutil.copyfile(database, copy)
    shutil.rmtree(BENCH_DIR / "cache", ignore_errors=True)  # the production file cache of pages starts empty
    env = production_env(keys, copy, **extra)
    print(f"  {column}: gunicorn {WORKERS} sync workers … (load average {load()})", flush=True)
    started = time.monotonic()
    with gunicorn(env, column) as base:
        results = measure(base, pages, cached=column.startswith("cached"))
    print(f"  {column}: done in {time.monotonic() - started:.0f} s", flush=True)
    return results


# --- the figures -----------------------------------------------------------------------------------------------------


def summary(result: dict) -> tuple[float | None, float | None, str]:
    """(median req/s, median p99 ms, note) of one page on one server."""
    if "note" in result:
        return None, None, result["note"]
    runs = result["runs"]
    problems = sorted({problem for run in runs for problem in run["problems"]})
    return (
        statistics.median(run["rate"] for run in runs),
        statistics.median(run["p99"] for run in runs),
        "; ".join(problems),
    )


def print_figures(columns: dict, pages: dict) -> None:
    print(
        f"\nHTTP: gunicorn {WORKERS} sync workers, production settings, SQLite; wrk {CONNECTIONS} connections, "
        f"{SECONDS} s per page, {ROUNDS} alternating rounds (medians); load average {load()}"
    )
    heading = "".join(f"{column:>30}" for column in columns)
    print(f"  {'page':<26}{heading}")
    for key in pages:
        cells = []
        for results in columns.values():
            rate, p99, note = summary(results[key])
            cells.append(f"{rate:10.1f} req/s {p99:8.1f} ms" if rate is not None else note)
        print(f"  {LABELS[key]:<26}" + "".join(f"{cell:>30}" for cell in cells))
    for column, results in columns.items():
        for key in pages:
            rate, p99, note = summary(results[key])
            rate_target, p99_target = TARGETS.get((key, column), (None, None))
            rate_note = note
            if not column.startswith("cached") and key in BASELINE:
                rate_note = "; ".join(filter(None, [note, f"before any cache {BASELINE[key]} req/s"]))
            name = f"HTTP {LABELS[key]}"
            report(f"{name}: req/s", rate, "req/s", rate_target, "higher", column, rate_note)
            report(f"{name}: p99 latency", p99, "ms", p99_target, "lower", column, note)


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sh scripts/system-deps.sh bench (Debian package wrk)")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # SIGTERM (run.py's time limit) unwinds like Ctrl-C, through the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    keys = throwaway_keys()
    started = time.monotonic()
    database, pages = prepare_database(keys)
    collectstatic(keys, database)
    print(f"database {database.name}, static files ready in {time.monotonic() - started:.0f} s; pages {pages}")
    columns = {
        "uncached": run_server("uncached", keys, database, pages, PORTAL_PAGE_CACHE="off"),
        "rendered": run_server("rendered", keys, database, pages, PORTAL_PAGE_CACHE="off", PORTAL_FRAGMENT_CACHE="off"),
        "cached": run_server("cached", keys, database, pages, PORTAL_PAGE_CACHE="on"),
    }
    if shutil.which("redis-server") and os.environ.get("BENCH_REDIS") != "0":
        with redis_server() as redis_url:
            columns["cached, Redis"] = run_server(
                "cached, Redis", keys, database, pages, PORTAL_PAGE_CACHE="on", REDIS_URL=redis_url
            )
    print_figures(columns, pages)


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare"]:
        _prepare()
    else:
        main()
