"""Review pages in English (issue 9, rough edges): the round's title, the rubric's name and each criterion's
guidance have English texts, which the English pages, the admin and the demo carry; Chinese stays the default."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from portal.accounts.roles import RoleCode
from portal.authority import Power
from portal.notifications.models import Notification
from portal.reviews import demo as reviews_demo
from portal.reviews import services
from portal.reviews.models import Assignment, Criterion, ReviewRound, Rubric
from portal.reviews.testing import cleared_assignment, make_expert, make_round, make_rubric, make_subject, open_round
from tests import reviews_fixtures
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "康源生物 PD-1 抗体项目专业评审"
TITLE_EN = "Expert review of the Kangyuan PD-1 antibody project"
RUBRIC = "生物医药项目评审表"
RUBRIC_EN = "Biomedicine project rubric"
# name_zh, name_en, weight, min, max
CRITERIA = (
    ("技术先进性", "Technology", Decimal(3), Decimal(0), Decimal(10)),
    ("团队能力", "Team", Decimal(2), Decimal(0), Decimal(10)),
)
# make_rubric writes the Chinese guidance "<name>的评分要点"; the English guidance goes in by English name.
GUIDANCE = {name_zh: f"{name_zh}的评分要点" for name_zh, *_rest in CRITERIA}
GUIDANCE_EN = {
    "技术先进性": "How advanced the core technology is and how its patents cover it.",
    "团队能力": "The team's experience of research and of bringing products to market.",
}

owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


def english_rubric():
    english = {name_en: {"guidance_en": GUIDANCE_EN[name_zh]} for name_zh, name_en, *_rest in CRITERIA}
    rubric = make_rubric(name=RUBRIC, criteria=CRITERIA, **english)
    rubric.name_en = RUBRIC_EN
    rubric.save()
    return rubric


@pytest.fixture
def review_round(manager, owner):
    return open_round(
        manager,
        owner,
        rubric=english_rubric(),
        subject=make_subject("康源生物融资申请"),
        title=TITLE,
        title_en=TITLE_EN,
    )


def evaluator(language="en"):
    return UserFactory(roles=[RoleCode.EVALUATOR], preferred_language=language)


def page(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


# --- the models ------------------------------------------------------------------------------------------


def test_display_texts_follow_the_language_and_fall_back_to_chinese(review_round):
    rubric = review_round.rubric
    criterion = rubric.criteria.first()
    with translation.override("en"):
        assert review_round.display_title == TITLE_EN
        assert str(review_round) == TITLE_EN
        assert review_round.assignee_label == TITLE_EN
        assert rubric.display_name == RUBRIC_EN
        assert str(rubric) == f"{RUBRIC_EN} (v1)"
        assert criterion.display_guidance == GUIDANCE_EN["技术先进性"]
    with translation.override("zh-hans"):
        assert review_round.display_title == TITLE
        assert str(review_round.assignee_label) == TITLE
        assert str(rubric) == f"{RUBRIC} (v1)"
        assert criterion.display_guidance == GUIDANCE["技术先进性"]
    # Where nobody wrote English, the English pages show the Chinese text rather than nothing.
    Criterion.objects.filter(pk=criterion.pk).update(guidance_en="")
    ReviewRound.objects.filter(pk=review_round.pk).update(title_en="")
    Rubric.objects.filter(pk=rubric.pk).update(name_en="")
    criterion.refresh_from_db()
    review_round.refresh_from_db()
    rubric.refresh_from_db()
    with translation.override("en"):
        assert criterion.display_guidance == GUIDANCE["技术先进性"]
        assert review_round.display_title == TITLE
        assert rubric.display_name == RUBRIC


# --- creating rounds -------------------------------------------------------------------------------------


def test_a_round_takes_an_optional_english_title(manager, owner):
    review_round = make_round(manager, owner, title=f"  {TITLE} ", title_en=f"  {TITLE_EN}  ")
    review_round.refresh_from_db()
    assert (review_round.title, review_round.title_en) == (TITLE, TITLE_EN)
    assert make_round(manager, owner, title=TITLE).title_en == ""


def test_an_overlong_english_title_is_refused_and_nothing_is_made(manager, owner):
    before = ReviewRound.objects.count()
    limit = ReviewRound._meta.get_field("title_en").max_length
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        make_round(manager, owner, title=TITLE, title_en="x" * (limit + 1))
    assert list(refused.value.error_dict) == ["title_en"]
    assert f"at most {limit} characters" in refused.value.message_dict["title_en"][0]
    assert ReviewRound.objects.count() == before
    # Exactly at the limit is accepted.
    assert make_round(manager, owner, title=TITLE, title_en="x" * limit).title_en == "x" * limit


def test_a_hidden_round_refuses_english_texts_naming_the_organization(manager, owner):
    organization = OrganizationFactory(
        name="深圳坪山翠鸟星辰生物医药有限公司", name_en="Kingfisher Stellar Biomedicine"
    )
    hidden = {"hide_applicant_identity": True, "subject_organization": organization, "title": "CAR-T 项目评审"}
    for field, text in (("title_en", "Kingfisher CAR-T review"), ("assignee_title_en", "Kingfisher project")):
        with pytest.raises(ValidationError) as refused:
            make_round(manager, owner, **hidden, **{field: text})
        assert field in refused.value.error_dict
    review_round = make_round(
        manager, owner, **hidden, assignee_title="细胞治疗项目评审", assignee_title_en="A cell-therapy project review"
    )
    with translation.override("en"):
        assert review_round.assignee_label == "A cell-therapy project review"
    with translation.override("zh-hans"):
        assert review_round.assignee_label == "细胞治疗项目评审"


def test_an_english_assignee_title_is_dropped_when_the_round_hides_nobody(manager, owner):
    review_round = make_round(manager, owner, title=TITLE, assignee_title_en="A neutral label")
    review_round.refresh_from_db()
    assert review_round.assignee_title_en == ""


def test_notifications_name_the_round_in_each_reader_s_language(manager, review_round):
    english, chinese = evaluator("en"), evaluator("zh-hans")
    for user in (english, chinese):
        services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    english_title = Notification.objects.get(recipient=english).title
    chinese_title = Notification.objects.get(recipient=chinese).title
    assert TITLE_EN in english_title and TITLE not in english_title
    assert TITLE in chinese_title and TITLE_EN not in chinese_title
    # The managers are told about an acceptance in their own language too.
    manager.preferred_language = "en"
    manager.save()
    assignment = Assignment.objects.get(expert__user=english)
    services.accept_assignment(actor=english, assignment=assignment)
    assert TITLE_EN in Notification.objects.filter(recipient=manager).latest("pk").title


# --- the pages -------------------------------------------------------------------------------------------


def test_the_english_assignment_list_and_dashboard_show_the_english_title(client, manager, review_round):
    user = evaluator()
    services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    for path in ("/en/workspace/reviews/", "/en/workspace/"):
        html = page(client, user, path)
        assert TITLE_EN in html and TITLE not in html, path
    html = page(client, user, "/workspace/reviews/")
    assert TITLE in html and TITLE_EN not in html


def test_the_english_scoring_page_shows_the_english_title_rubric_and_guidance(client, manager, review_round):
    user = evaluator()
    assignment = cleared_assignment(manager, review_round, make_expert(user=user))
    html = page(client, user, f"/en/workspace/reviews/assignments/{assignment.pk}/")
    assert 'name="action" value="submit"' in html  # the scoring form is on the page
    assert f"<title>{TITLE_EN}" in html and f"<h1>{TITLE_EN}</h1>" in html
    assert RUBRIC_EN in html
    for name_zh in GUIDANCE:
        assert escape(GUIDANCE_EN[name_zh]) in html and GUIDANCE[name_zh] not in html
    for chinese in (TITLE, RUBRIC, *GUIDANCE.values()):
        assert chinese not in html
    html = page(client, user, f"/workspace/reviews/assignments/{assignment.pk}/")
    assert f"<h1>{TITLE}</h1>" in html and RUBRIC in html and GUIDANCE["团队能力"] in html
    assert TITLE_EN not in html and escape(GUIDANCE_EN["团队能力"]) not in html


def test_the_english_round_page_and_managers_panel_show_the_english_texts(client, manager, review_round):
    html = page(client, manager, f"/en/workspace/reviews/rounds/{review_round.pk}/")
    assert f"<h1>{TITLE_EN}</h1>" in html and f"{RUBRIC_EN} (v1)" in html
    assert TITLE not in html and RUBRIC not in html
    html = page(client, manager, "/en/workspace/")
    assert TITLE_EN in html and TITLE not in html
    html = page(client, manager, f"/workspace/reviews/rounds/{review_round.pk}/")
    assert f"<h1>{TITLE}</h1>" in html and TITLE_EN not in html


def test_a_hidden_round_shows_english_reviewers_the_english_label(client, manager, owner):
    organization = OrganizationFactory()
    review_round = open_round(
        manager,
        owner,
        rubric=english_rubric(),
        subject_organization=organization,
        hide_applicant_identity=True,
        title=TITLE,
        title_en=TITLE_EN,
        assignee_title="细胞治疗项目评审",
        assignee_title_en="A cell-therapy project review",
    )
    user = evaluator()
    assignment = cleared_assignment(manager, review_round, make_expert(user=user))
    for path in ("/en/workspace/reviews/", f"/en/workspace/reviews/assignments/{assignment.pk}/"):
        html = page(client, user, path)
        assert "A cell-therapy project review" in html, path
        assert TITLE_EN not in html and TITLE not in html and "细胞治疗项目评审" not in html, path


# --- rubrics: revision and the admin ---------------------------------------------------------------------


def test_a_revised_rubric_keeps_its_english_texts_and_criteria_take_english_guidance(manager, review_round):
    editor = UserFactory(is_superuser=True, is_staff=True)
    revised = services.revise_rubric(actor=editor, rubric=review_round.rubric)
    assert revised.name_en == RUBRIC_EN
    assert [c.guidance_en for c in revised.criteria.all()] == [GUIDANCE_EN[name] for name, *_rest in CRITERIA]
    criterion = revised.criteria.first()
    services.update_criterion(actor=editor, criterion=criterion, guidance_en="What the expert weighs.")
    criterion.refresh_from_db()
    assert criterion.guidance_en == "What the expert weighs."


def test_the_admin_edits_the_english_name_and_guidance(client):
    rubric = english_rubric()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/snippets/reviews/rubric/edit/{rubric.pk}/").content.decode()
    assert 'name="name_en"' in html and f'value="{RUBRIC_EN}"' in html
    assert 'name="criteria-0-guidance_en"' in html and GUIDANCE_EN["技术先进性"] in html
    listing = client.get("/admin/snippets/reviews/rubric/?q=Biomedicine").content.decode()
    assert RUBRIC in listing
    # A new rubric saved from the admin keeps what was typed in both languages.
    form = {
        "name": "新评审表",
        "name_en": "New rubric",
        "description": "",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-name_zh": "创新性",
        "criteria-0-name_en": "Novelty",
        "criteria-0-guidance": "是否首创。",
        "criteria-0-guidance_en": "Whether it is a first of its kind.",
        "criteria-0-weight": "1",
        "criteria-0-scale_min": "0",
        "criteria-0-scale_max": "10",
        "criteria-0-reason_required_below": "",
        "criteria-0-reason_required_above": "",
        "criteria-0-ORDER": "1",
        "criteria-0-DELETE": "",
        "criteria-0-id": "",
    }
    response = client.post("/admin/snippets/reviews/rubric/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Rubric.objects.get(name="新评审表")
    assert created.name_en == "New rubric"
    assert created.criteria.get().guidance_en == "Whether it is a first of its kind."


# --- the demo --------------------------------------------------------------------------------------------


def demo_world(owner_grants):
    """What the demo's review steps need: the evaluators, the subject organization, a council's secretariat."""
    for username in reviews_demo.EXPERTS:
        UserFactory(username=username, roles=[RoleCode.EVALUATOR])
    OrganizationFactory(name=reviews_demo.SUBJECT_NAME, name_en="Shenzhen Huayu Cell Therapy Technology Co., Ltd.")
    council = OrganizationFactory(name="坪山区生物医药产业共治委员会")
    secretariat = UserFactory(roles=[RoleCode.SECRETARIAT])
    owner_grants.grant(secretariat, council, Power.MANAGE)
    return council, secretariat


def test_the_demo_round_and_rubric_read_in_english(owner_grants):
    council, secretariat = demo_world(owner_grants)
    out = io.StringIO()
    reviews_demo.seed_reviews(lambda line: out.write(line))
    reviews_demo.seed_round(lambda line: out.write(line), owner=council, manager=secretariat)
    review_round = ReviewRound.objects.get(title=reviews_demo.ROUND_TITLE)
    assert review_round.title_en == reviews_demo.ROUND_TITLE_EN
    rubric = review_round.rubric
    assert rubric.name_en == reviews_demo.RUBRIC_NAME_EN
    criteria = list(rubric.criteria.all())
    assert len(criteria) == len(reviews_demo.CRITERIA)
    for criterion in criteria:
        for english in (criterion.name_en, criterion.guidance_en):
            assert english and english.isascii(), criterion  # real English, not a copy of the Chinese


def test_the_demo_fills_in_english_on_a_database_seeded_before(owner_grants):
    council, secretariat = demo_world(owner_grants)
    reviews_demo.seed_reviews(lambda line: None)
    reviews_demo.seed_round(lambda line: None, owner=council, manager=secretariat)
    # As a database seeded before the English fields existed: the round uses (and so freezes) the rubric.
    Rubric.objects.update(name_en="")
    Criterion.objects.update(guidance_en="")
    ReviewRound.objects.update(title_en="")
    reviews_demo.seed_reviews(lambda line: None)
    assert ReviewRound.objects.get().title_en == reviews_demo.ROUND_TITLE_EN
    assert Rubric.objects.get().name_en == reviews_demo.RUBRIC_NAME_EN
    assert sorted(Criterion.objects.values_list("guidance_en", flat=True)) == sorted(
        guidance_en for *_rest, guidance_en in reviews_demo.CRITERIA
    )
