"""The officers' reports on a special-talent programme: applications by stage, by sector, by the standard criteria
the candidates miss, and the time spent in each stage.

``gather(programme, year)`` reads what the reports need in a fixed number of queries (whatever the number of
applications); the figures come from pure functions of those rows (``by_stage``, ``by_sector``, ``by_reason``,
``time_in_stage``), which the tests check against figures worked out by hand. The rows never hold the candidate's
ID number or date of birth: the reports and their workbook name a candidate, nothing more personal.
"""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models.functions import ExtractYear

from portal.i18n import localized

from .models import MissedCriterion, SpecialStage, SpecialTalentApplication, StageVisit

# The stages work is done in: time spent in each is worth reporting. A decided application stays decided.
WORKING_STAGES = (
    SpecialStage.PRE_REVIEW,
    SpecialStage.PANEL,
    SpecialStage.DELIBERATION,
    SpecialStage.NOTICE,
    SpecialStage.FILING,
)
SECONDS_A_DAY = Decimal(86400)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Row:
    """One application as the reports read it (no identifiers, no birth date)."""

    pk: int
    reference: str
    candidate_name: str
    candidate_name_en: str
    employer: str
    employer_en: str
    sector_code: str
    sector_zh: str
    sector_en: str
    sector_order: int
    stage: str
    missed_criteria: tuple
    submitted_at: datetime.datetime | None
    stage_changed_at: datetime.datetime

    @property
    def sector(self) -> str:
        return localized(self.sector_zh, self.sector_en)

    @property
    def employer_name(self) -> str:
        return localized(self.employer, self.employer_en)

    @property
    def stage_label(self) -> str:
        return SpecialStage(self.stage).label

    @property
    def missed_labels(self) -> list:
        return [MissedCriterion(code).label for code in self.missed_criteria if code in MissedCriterion.values]


@dataclass(frozen=True)
class Visit:
    application: int
    stage: str
    entered_at: datetime.datetime
    left_at: datetime.datetime | None


@dataclass(frozen=True)
class Count:
    """A line of a count table: its code (a stage, a sector, a criterion), its label and how many."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class StageTime:
    """Time spent in one stage: over the visits that have ended, the median and mean in days (None when none has
    ended); and how many applications are in the stage now."""

    stage: str
    label: str
    ended: int
    median_days: Decimal | None
    mean_days: Decimal | None
    now: int


@dataclass(frozen=True)
class Report:
    programme: object
    year: int | None
    years: tuple
    rows: tuple
    stages: tuple
    sectors: tuple
    reasons: tuple
    times: tuple

    @property
    def total(self) -> int:
        return len(self.rows)


# --- the figures (pure) -----------------------------------------------------------------------------------------


def by_stage(rows) -> list[Count]:
    """Every stage in the order declared, those with no application too."""
    counts = Counter(row.stage for row in rows)
    return [Count(stage.value, str(stage.label), counts[stage.value]) for stage in SpecialStage]


def by_sector(rows) -> list[Count]:
    """The sectors that have applications, in the themes' order."""
    counts = Counter(row.sector_code for row in rows)
    firsts = {}
    for row in rows:
        firsts.setdefault(row.sector_code, row)
    ordered = sorted(firsts.values(), key=lambda row: (row.sector_order, row.sector_code))
    return [Count(row.sector_code, row.sector, counts[row.sector_code]) for row in ordered]


def by_reason(rows) -> list[Count]:
    """Every standard criterion: how many candidates miss it (one who misses two counts under both)."""
    counts = Counter(code for row in rows for code in set(row.missed_criteria))
    return [Count(criterion.value, str(criterion.label), counts[criterion.value]) for criterion in MissedCriterion]


def days(delta: datetime.timedelta) -> Decimal:
    """A duration in days, exactly (the rounding comes last)."""
    return Decimal(round(delta.total_seconds())) / SECONDS_A_DAY


def _tenths(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def time_in_stage(visits, rows) -> list[StageTime]:
    """For each working stage: median and mean days over its ended visits (to a tenth of a day), and the
    applications in it now."""
    spent = {stage: [] for stage in WORKING_STAGES}
    for visit in visits:
        if visit.left_at is not None and visit.stage in spent:
            spent[visit.stage].append(days(visit.left_at - visit.entered_at))
    now = Counter(row.stage for row in rows)
    return [
        StageTime(
            stage=stage.value,
            label=str(stage.label),
            ended=len(spent[stage]),
            median_days=_tenths(statistics.median(spent[stage])) if spent[stage] else None,
            mean_days=_tenths(sum(spent[stage]) / len(spent[stage])) if spent[stage] else None,
            now=now[stage.value],
        )
        for stage in WORKING_STAGES
    ]


# --- reading them (a fixed number of queries) -------------------------------------------------------------------


def applications_of(programme, year=None):
    rows = SpecialTalentApplication.objects.filter(call__programme=programme)
    if year is not None:
        rows = rows.filter(application__submitted_at__year=year)  # in Asia/Shanghai (TIME_ZONE)
    return rows


def years_of(programme) -> tuple:
    """The years (Asia/Shanghai) in which the programme's applications were sent, latest first."""
    years = (
        applications_of(programme)
        .annotate(year=ExtractYear("application__submitted_at"))
        .order_by()  # the model's ordering would make each row distinct
        .values_list("year", flat=True)
        .distinct()
    )
    return tuple(sorted({year for year in years if year is not None}, reverse=True))


ROW_FIELDS = (
    "pk",
    "application__reference",
    "candidate_name",
    "candidate_name_en",
    "employer__name",
    "employer__name_en",
    "theme__code",
    "theme__name_zh",
    "theme__name_en",
    "theme__order",
    "stage",
    "missed_criteria",
    "application__submitted_at",
    "stage_changed_at",
)


def _row(values) -> Row:
    (pk, reference, name, name_en, employer, employer_en, code, zh, en, order, stage, missed, sent, since) = values
    return Row(
        pk=pk,
        reference=reference or "",
        candidate_name=name,
        candidate_name_en=name_en,
        employer=employer,
        employer_en=employer_en or "",
        sector_code=code,
        sector_zh=zh,
        sector_en=en,
        sector_order=order,
        stage=stage,
        missed_criteria=tuple(missed or ()),
        submitted_at=sent,
        stage_changed_at=since,
    )


def gather(programme, year=None, years=None) -> Report:
    """Everything the report page and its workbook show, for applications sent in ``year`` (all years: None);
    ``years``: ``years_of(programme)`` when the caller has asked it already."""
    applications = applications_of(programme, year)
    rows = tuple(
        _row(values) for values in applications.order_by("application__submitted_at", "pk").values_list(*ROW_FIELDS)
    )
    visits = tuple(
        Visit(*values)
        for values in StageVisit.objects.filter(application__in=applications.values("pk")).values_list(
            "application_id", "stage", "entered_at", "left_at"
        )
    )
    return Report(
        programme=programme,
        year=year,
        years=years_of(programme) if years is None else tuple(years),
        rows=rows,
        stages=tuple(by_stage(rows)),
        sectors=tuple(by_sector(rows)),
        reasons=tuple(by_reason(rows)),
        times=tuple(time_in_stage(visits, rows)),
    )
