"""Library entries for the talent libraries' tests and permission matrix: an entry of any library, submitted through
the service by a firm or team and taken to any state as real use would.

    demand = listing(world, "demands", world.outsider, title="需要GMP慢病毒载体", state=ListingState.PUBLISHED)
"""

import itertools

from talent.models import ListingState
from talent.services import libraries

_numbers = itertools.count(1)

OWN_FIELDS = {
    "projects": {"stage": "prototype", "seeking": "partners", "country": "Japan"},
    "demands": {"demand_kind": "research"},
    "patents": {"patent_kind": "invention", "licensing": "either", "patent_number": "ZL202310000001.X"},
}


def values(world, library, **changes):
    number = next(_numbers)
    data = {
        "programme": world.programme,
        "title": f"测试条目{number}",
        "title_en": "",
        "summary": "用于测试的资源库条目。",
        "summary_en": "",
        "keywords": "",
        "themes": [world.theme],
        "holder_name": "坪山测试团队",
        "contact_name": "张联系",
        "contact_email": "contact@example.cn",
        **OWN_FIELDS[library],
    }
    data.update(changes)
    return data


def listing(world, library, submitter, state=ListingState.PENDING, **changes):
    entry = libraries.submit_listing(actor=submitter, library=library, values=values(world, library, **changes))
    if state == ListingState.PUBLISHED:
        return libraries.curate(actor=world.officer, listing=entry, transition="publish")
    if state == ListingState.RETURNED:
        return libraries.send_back(actor=world.officer, listing=entry, reason="请补充英文摘要。")
    if state == ListingState.ARCHIVED:
        entry = libraries.curate(actor=world.officer, listing=entry, transition="publish")
        return libraries.curate(actor=world.officer, listing=entry, transition="archive")
    if state == ListingState.WITHDRAWN:
        return libraries.withdraw(actor=submitter, listing=entry)
    return entry
