from .admissions import BaseApplication, BaseStage, ProjectStage
from .introductions import Answer, Introduction, IntroductionSource, IntroductionState, Outcome
from .libraries import (
    LIBRARIES,
    DemandKind,
    EnterpriseDemand,
    Licensing,
    ListingState,
    PatentKind,
    PatentListing,
    ProjectListing,
    Seeking,
)
from .programme import Call, Programme, ProgrammeKind
from .roadshows import Interest, InvestorRegistration, Roadshow, RoadshowFeedback, RoadshowProject
from .service_requests import ServiceAttachment, ServiceKind, ServiceRequest, ServiceState

__all__ = [
    "LIBRARIES",
    "Answer",
    "BaseApplication",
    "BaseStage",
    "Call",
    "DemandKind",
    "EnterpriseDemand",
    "Interest",
    "Introduction",
    "IntroductionSource",
    "IntroductionState",
    "InvestorRegistration",
    "Licensing",
    "ListingState",
    "Outcome",
    "PatentKind",
    "PatentListing",
    "Programme",
    "ProgrammeKind",
    "ProjectListing",
    "ProjectStage",
    "Roadshow",
    "RoadshowFeedback",
    "RoadshowProject",
    "Seeking",
    "ServiceAttachment",
    "ServiceKind",
    "ServiceRequest",
    "ServiceState",
]
