"""The page cache's tags of what the public fund section shows (funds/public.py), and the watchers that purge them
on every write (connected in FundsConfig.ready). Only rows that reach the public figures purge: a deal under review,
its room or a draft evaluation never does (the section shows none of them)."""

from portal.pagecache.watch import watch

from .models import INVESTED, Company, Deal, Disbursement, EvaluationState, Fund, PerformanceEvaluation, Tranche


def theme_funds(theme_pk) -> str:
    """Which funds a theme page shows: a fund set up or moved to another theme."""
    return f"funds:theme:{theme_pk}"


def fund(pk) -> str:
    """One fund as the public sees it: its facts and tranches, its invested figures, its latest approved evaluation."""
    return f"fund:{pk}"


def _deal(deal):
    return (fund(deal.fund_id),) if deal.stage in INVESTED else ()


def _disbursement(disbursement):
    funds = Deal.objects.filter(pk=disbursement.deal_id, stage__in=INVESTED).values_list("fund_id", flat=True)
    return [fund(pk) for pk in funds]


def _company(company):
    # Its Pingshan dates count in the share of the funds that invested in it.
    funds = Deal.objects.filter(company=company, stage__in=INVESTED).values_list("fund_id", flat=True).distinct()
    return [fund(pk) for pk in funds]


def _evaluation(evaluation):
    if evaluation.state != EvaluationState.APPROVED:
        return ()
    return (fund(evaluation.indicator_set.fund_id),)


def connect() -> None:
    watch(Fund, lambda row: (fund(row.pk), theme_funds(row.theme_id)))
    watch(Tranche, lambda row: (fund(row.fund_id),), moves=False)
    # Read before each save: a deal leaving the invested stages, an evaluation approved or reopened.
    watch(Deal, _deal)
    watch(PerformanceEvaluation, _evaluation)
    watch(Disbursement, _disbursement, moves=False)
    watch(Company, _company, moves=False)
