"""The people of the load scenario (scripts/load.py runs locust on this file against the multi-node set-up).

Anonymous readers (most of the traffic): the home page, the news, theme and other public pages its links lead to,
search, the verify page, the talent base's resource libraries. Applicants (firm1, firm2, overseas1): their
applications and drafts. Evaluators (evaluator1): their review assignments and scorecards. Staff (fundmgr,
fundmgr2, talent_officer, secretariat): the dashboard, the pipeline table and board, the talent office; the fund's
managers also save pipeline filters, each with a new name — the acknowledged writes that scripts/load.py counts in the
database afterwards (LOAD_ACKS: one name per line, written once the portal answered the save with its redirect).

Every request is named "<group>: <page>", so the figures come per group. LOAD_RESULTS receives, at the end, each
request's group, start (seconds since the epoch), time in ms and whether it failed.
"""

import json
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

PASSWORD = os.environ.get("LOAD_PASSWORD", "Pingshan@2026")
FUND = os.environ.get("LOAD_FUND", "pingshan-biomed")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SKIP = re.compile(r"^/(en/)?(accounts|admin|workspace|static|media|documents|verify/.+|search)")
RECORDS = []


class LoopbackCookies(RequestsCookieJar):
    """The portal marks its cookies Secure (it believes X-Forwarded-Proto: https from the proxy); this client speaks
    plain HTTP on loopback, where they would never be sent back. Kept as plain cookies instead."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time=None, **kwargs):
    RECORDS.append((name.split(":")[0], start_time or time.time(), response_time, exception is not None))


@events.quitting.add_listener
def _dump(environment, **kwargs):
    with open(os.environ["LOAD_RESULTS"], "w") as handle:
        json.dump(RECORDS, handle)


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    group = "?"
    people = ()  # who signs in (one of them, at random); none: anonymous

    def on_start(self):
        self.client.cookies = LoopbackCookies()
        self.links = []
        self.username = random.choice(self.people) if self.people else None
        if self.username:
            self.log_in(self.username)

    def get(self, path, page):
        with self.client.get(path, name=f"{self.group}: {page}", catch_response=True, allow_redirects=False) as answer:
            signed_out = "/accounts/login/" in answer.headers.get("Location", "")
            if answer.status_code >= 400 or signed_out:
                answer.failure(f"HTTP {answer.status_code}" + (" to the sign-in page" if signed_out else ""))
            return answer

    def log_in(self, username):
        page = self.client.get("/accounts/login/", name=f"{self.group}: sign-in page")
        token = CSRF.search(page.text)
        referer = {"Referer": f"https://{self.host.split('://', 1)[1]}/accounts/login/"}
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1] if token else ""},
            headers=referer,
            name=f"{self.group}: sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"signing in as {username}: HTTP {answer.status_code}")

    def follow_some(self, answer, pattern, page, limit=3):
        """Open up to ``limit`` of the links on ``answer`` that match ``pattern``."""
        found = sorted(set(re.findall(pattern, answer.text)))
        for path in random.sample(found, min(limit, len(found))):
            self.get(path, page)


class Reader(Person):
    weight = 12
    group = "anonymous"

    @task(4)
    def home(self):
        answer = self.get("/", "home")
        links = [link for link in re.findall(r'href="(/[^"#?]*)"', answer.text) if not SKIP.match(link)]
        self.links = sorted(set(links)) or self.links

    @task(4)
    def a_public_page(self):
        if not self.links:
            return self.home()
        self.get(random.choice(self.links), "public page")

    @task(2)
    def news(self):
        answer = self.get("/news/", "news index")
        self.follow_some(answer, r'href="(/news/[^"/]+/)"', "news article", limit=1)

    @task(1)
    def english(self):
        self.get("/en/", "home (English)")

    @task(2)
    def search(self):
        words = random.choice(["生物医药", "集成电路 人才", "基金", "理事会 意见", "海外人才"])
        self.get(f"/search/?q={words}", "search")

    @task(1)
    def verify(self):
        self.get("/verify/", "verify")

    @task(2)
    def libraries(self):
        answer = self.get("/talent/", "talent base")
        self.follow_some(answer, r'href="(/talent/libraries/[a-z-]+/)"', "resource library", limit=1)


class Applicant(Person):
    weight = 3
    group = "applicant"
    people = ("firm1", "firm2", "overseas1")

    @task
    def applications(self):
        answer = self.get("/workspace/applications/", "my applications")
        self.follow_some(answer, r'href="(/workspace/applications/\d+/)"', "an application", limit=2)


class Evaluator(Person):
    weight = 2
    group = "evaluator"
    people = ("evaluator1",)

    @task
    def reviews(self):
        answer = self.get("/workspace/reviews/", "my reviews")
        self.follow_some(answer, r'href="(/workspace/reviews/assignments/\d+/)"', "an assignment", limit=2)


class Staff(Person):
    weight = 3
    group = "staff"
    people = ("fundmgr", "fundmgr2", "talent_officer", "secretariat")

    @task(3)
    def dashboard(self):
        self.get("/workspace/", "dashboard")

    @task(3)
    def pipeline(self):
        if self.username.startswith("fundmgr"):
            self.get(f"/workspace/funds/{FUND}/deals/?stage=screening", "pipeline table")
            self.get(f"/workspace/funds/{FUND}/", "pipeline board")
        elif self.username == "talent_officer":
            self.get("/talent/office/", "talent office")

    @task(1)
    def save_a_filter(self):
        """An acknowledged write: the portal answered with its redirect, so the filter must be in the database."""
        if not self.username.startswith("fundmgr"):
            return
        table = self.get(f"/workspace/funds/{FUND}/deals/?stage=screening", "pipeline table")
        token = CSRF.search(table.text)
        name = f"load-{uuid.uuid4().hex[:12]}"
        referer = {"Referer": f"https://{self.host.split('://', 1)[1]}/workspace/funds/{FUND}/deals/"}
        with self.client.post(
            f"/workspace/funds/{FUND}/filters/",
            data={"name": name, "query": "stage=screening", "csrfmiddlewaretoken": token[1] if token else ""},
            headers=referer,
            name=f"{self.group}: save a filter",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"HTTP {answer.status_code}")
                return
        with open(os.environ["LOAD_ACKS"], "a") as acks:
            acks.write(name + "\n")
