"""Shared set-up for the opinion tests: people, an issuer, helpers that walk an opinion to approval."""

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.authority import Power
from portal.opinions import services
from portal.opinions.models import Issuer
from tests.factories import OrganizationFactory, UserFactory

TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def fast_pdf(monkeypatch):
    """Replace rendering and signing by a fixed document: these tests are about workflow, not PDF."""
    calls = []

    def render(opinion):
        calls.append(opinion.number)
        return TINY_PDF + opinion.number.encode()

    monkeypatch.setattr(services, "render_signed_pdf", render)
    return calls


@pytest.fixture
def people(db):
    return {
        "editor": UserFactory(username="op_editor"),
        "first": UserFactory(username="op_first"),
        "second": UserFactory(username="op_second"),
        "outsider": UserFactory(username="op_outsider"),
    }


@pytest.fixture
def owner(people, owner_grants):
    """The body behind the issuer (a stand-in owner): the editor manages it, first and second sign for it."""
    body = OrganizationFactory(name="坪山区生物医药产业共治委员会")
    owner_grants.grant(people["editor"], body, Power.MANAGE)
    owner_grants.grant(people["first"], body, Power.SIGN)
    owner_grants.grant(people["second"], body, Power.SIGN)
    return body


@pytest.fixture
def issuer(owner):
    return Issuer.objects.create(
        name="坪山区生物医药产业共治委员会",
        name_en="Pingshan Biomedicine Council",
        number_prefix="坪生医共治",
        addressee_default="坪山区科技创新局",
        signatory_lines="坪山区生物医药产业共治委员会",
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=str(owner.pk),
    )


def make_opinion(issuer, people, **overrides):
    fields = {
        "title": "关于某孵化器招商引资项目的专业评价意见",
        "body": "<p>经评审，项目符合坪山生物医药产业集聚发展方向。</p>",
        "signatories": [people["first"], people["second"]],
    }
    fields.update(overrides)
    return services.create_opinion(actor=people["editor"], issuer=issuer, **fields)


def approve(opinion, people):
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    services.sign_off(actor=people["first"], opinion=opinion, approve=True)
    return services.sign_off(actor=people["second"], opinion=opinion, approve=True)
