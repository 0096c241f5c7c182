import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from portal.organizations.models import Organization
from portal.organizations.validators import normalize_uscc, uscc_check_character, validate_uscc
from tests.factories import OrganizationFactory, make_uscc

# Published codes of well-known companies (public business-licence data).
VALID_CODES = [
    "91440300708461136T",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91440300192317458F",  # 中国平安保险（集团）股份有限公司
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_published_codes_are_valid(code):
    validate_uscc(code)


def test_generated_codes_are_valid_and_lowercase_input_is_accepted():
    code = make_uscc()
    validate_uscc(code)
    validate_uscc(code.lower())
    validate_uscc(" ".join([code[:6], code[6:12], code[12:]]))  # as pasted with spaces


def test_check_character_matches_the_standard_weights():
    assert uscc_check_character("91440300708461136") == "T"
    assert uscc_check_character("9144030071526726X") == "G"


@pytest.mark.parametrize("code", ["", "9144030070846113", "91440300708461136TT", "9144030070846113 6"])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == "uscc_length"


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-", "中"])
def test_characters_outside_the_alphabet_are_refused(bad):
    code = "91440300708461136T"
    with pytest.raises(ValidationError) as error:
        validate_uscc(code[:5] + bad + code[6:])
    assert error.value.code == "uscc_alphabet"
    assert bad.upper() in error.value.messages[0]


@pytest.mark.parametrize("last", ["0", "1", "A", "Y"])
def test_wrong_check_character_is_refused(last):
    with pytest.raises(ValidationError) as error:
        validate_uscc("91440300708461136" + last)
    assert error.value.code == "uscc_check"


def test_swapped_digits_are_caught_by_the_check_character():
    with pytest.raises(ValidationError):
        validate_uscc("91440300704861136T")


def test_messages_are_given_in_the_users_language():
    with pytest.raises(ValidationError) as error:
        validate_uscc("123")
    with translation.override("zh-hans"):
        assert "统一社会信用代码" in error.value.messages[0]
    with translation.override("en"):
        assert "unified social credit code" in error.value.messages[0]


def test_normalize_strips_spaces_and_uppercases():
    assert normalize_uscc(" 9144 0300 7084 61136t ") == "91440300708461136T"


@pytest.mark.django_db
def test_codes_are_stored_uppercase_and_unique():
    organization = OrganizationFactory(uscc="91440300708461136t")
    organization.refresh_from_db()
    assert organization.uscc == "91440300708461136T"
    with pytest.raises(IntegrityError):
        OrganizationFactory(uscc="91440300708461136T")


@pytest.mark.django_db
def test_full_clean_rejects_an_invalid_code_and_nothing_is_saved():
    organization = Organization(name="测试企业", uscc="91440300708461136A", kind="enterprise")
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "uscc" in error.value.message_dict
    assert Organization.objects.count() == 0


@pytest.mark.django_db
def test_is_industry_is_derived_from_kind():
    bureau = OrganizationFactory(kind="government")
    firm = OrganizationFactory(kind="enterprise")
    association = OrganizationFactory(kind="industry_association")
    bureau.refresh_from_db()
    firm.refresh_from_db()
    association.refresh_from_db()
    assert (bureau.is_industry, firm.is_industry, association.is_industry) == (False, True, True)
    assert set(Organization.objects.industry()) == {firm, association}
    bureau.kind = "research_institute"
    bureau.save()
    bureau.refresh_from_db()
    assert bureau.is_industry is True
