"""Data at scale (issue 14): each app contributes steps in its own ``scale.py`` and registers them in its
``AppConfig.ready()``; ``manage.py seed_scale`` runs them, in order, on top of the demo data.

    from portal import scale
    scale.register(scale.ScaleStep(key="funds.deals", order=200, size=10_000, noun="deals", run=seed_deals))

``run(count, context)`` writes about ``count`` rows in bulk statements (no per-row save, signal, notification or
mail) and returns how many it wrote. Portal steps use orders below 100 and 900 and up (the audit log comes last,
about what the others wrote), domains 200-899. The helpers here are what every step needs: batches, dates spread
over years in Shenzhen, names that tell scaled rows apart, and inserting the child rows of multi-table models
(a Wagtail page) that Django's ``bulk_create`` refuses.
"""

import datetime
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, connections

from portal.registry import Registry

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 500
# Every scaled name and slug carries it: a second run is recognised, and the demo's own rows are never touched.
MARK = "scale"


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文斌宇浩凯鹏辉晨欣怡博睿思远海峰"
FIRST_NAMES = (
    "Anna",
    "David",
    "Emma",
    "Hans",
    "James",
    "Laura",
    "Lucas",
    "Maria",
    "Mei",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Ravi",
    "Sarah",
    "Sofia",
    "Thomas",
    "Wei",
    "Yuki",
    "Zoe",
)
LAST_NAMES = (
    "Becker",
    "Chen",
    "Dubois",
    "Garcia",
    "Ivanova",
    "Kim",
    "Kumar",
    "Lee",
    "Martin",
    "Müller",
    "Nakamura",
    "Novak",
    "Patel",
    "Rossi",
    "Schmidt",
    "Silva",
    "Smith",
    "Tanaka",
    "Wang",
    "Wong",
)


@dataclass(frozen=True)
class ScaleStep:
    key: str  # "funds.deals": what ``--only`` names
    order: int
    size: int  # rows at --factor 1
    noun: str  # what the command prints after the count ("deals")
    run: Callable  # (count, context) -> rows written
    done: Callable  # () -> bool: its rows are there already (a second run skips the step)


_steps = Registry()


def register(step: ScaleStep) -> None:
    _steps.register(step)


def steps(only=()) -> list[ScaleStep]:
    """The registered steps in the order they run; ``only``: keys, or apps' prefixes (``funds``), to keep."""
    ordered = _steps.ordered()
    if not only:
        return ordered
    return [step for step in ordered if step.key in only or step.key.split(".")[0] in only]


@dataclass
class Context:
    """What a step shares with the others: the moment the run started, a seeded random source (the same data on
    every run), the factor (for sizes a step derives) and where to print."""

    now: datetime.datetime
    factor: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(14))
    log: Callable = print

    def scaled(self, size: int, *, least: int = 1) -> int:
        return max(least, round(size * self.factor))

    def moment(self, *, years: float = 5.0, after=None) -> datetime.datetime:
        """A time in the last ``years`` (or between ``after`` and now), in office hours in Shenzhen."""
        start = after or self.now - datetime.timedelta(days=365 * years)
        span = max(1, int((self.now - start).total_seconds()))
        local = (start + datetime.timedelta(seconds=self.rng.randrange(span))).astimezone(SHANGHAI)
        hour = 9 + self.rng.randrange(9)
        moment = local.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60))
        return min(moment, self.now)

    def day(self, *, years: float = 5.0) -> datetime.date:
        return self.moment(years=years).date()

    def later(self, moment, *, days: int) -> datetime.datetime:
        """A time up to ``days`` after ``moment`` (at least a day), never after now."""
        return min(self.now, moment + datetime.timedelta(days=1 + self.rng.randrange(days), hours=self.rng.random()))

    def chinese_name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))

    def english_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


def chunks(items: Iterable, size: int = BATCH):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_values(model, fields, rows) -> None:
    """INSERT plain ``rows`` (tuples in the order of ``fields``; a foreign key as its id) into ``model``'s table.

    For the big tables whose rows no step reads back (scores, stage changes, folders): no model instance per row,
    each value converted by its field (``get_db_prep_save``) as the ORM would. Fields filled on save (auto_now_add)
    get the values given here."""
    columns = [model._meta.get_field(name) for name in fields]
    db = connections[DEFAULT_DB_ALIAS]  # once: the ``connection`` proxy looks the alias up on every use
    table = db.ops.quote_name(model._meta.db_table)
    names = ", ".join(db.ops.quote_name(column.column) for column in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - model names
    with db.cursor() as cursor:
        for chunk in chunks(rows, BATCH):
            cursor.executemany(
                sql,
                [
                    [column.get_db_prep_save(value, db) for column, value in zip(columns, row, strict=True)]
                    for row in chunk
                ],
            )


def insert_child_rows(model, objects) -> None:
    """The rows of ``model``'s own table for ``objects`` whose parent rows exist (their ``*_ptr_id`` set).

    Django's ``bulk_create`` refuses multi-table inheritance (a Wagtail page type is a ``Page`` row plus its own
    row): the parent rows are bulk-created first, then this writes the children."""
    fields = list(model._meta.local_concrete_fields)
    rows = ([field.pre_save(obj, add=True) for field in fields] for obj in objects)
    insert_values(model, [field.name for field in fields], rows)


class MissingDemo(Exception):
    """A step found none of the demo rows it builds on (the fund, a programme's call, the news index)."""
