"""Encryption at rest of personal identifiers (portal/crypto.py): sealing, a missing key, key rotation with
``manage.py rotate_field_keys``, the data migration that seals answers stored before encryption, and production's
refusal of a bad key."""

import importlib
import io
import logging

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from portal import crypto
from portal.applications import sealing
from portal.applications.models import Application, Submission
from talent.models import SpecialTalentApplication
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, special_application
from tests.talent_world import base_application, build_world, draft, team_user
from tests.test_settings import import_production

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
PASSPORT = "TK1234567"  # tests/talent_world.py's team lead


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def raw_identifiers(special):
    return (
        raw("select id_number from talent_specialtalentapplication where id = %s", special.pk),
        raw("select birth_date from talent_specialtalentapplication where id = %s", special.pk),
        raw("select answers from applications_application where id = %s", special.application_id),
        raw("select answers from applications_submission where application_id = %s", special.application_id),
    )


# --- sealing ------------------------------------------------------------------------------------------------------


def test_seal_hides_the_value_and_unseal_opens_it():
    token = crypto.seal(RESIDENT_ID)
    assert token.startswith(crypto.PREFIX) and RESIDENT_ID not in token
    assert crypto.unseal(token) == RESIDENT_ID
    assert crypto.seal(RESIDENT_ID) != token  # a fresh IV each time: equal values are not recognisable
    assert crypto.seal(token) == token  # never sealed twice
    assert crypto.seal("") == "" and crypto.seal(None) is None
    assert crypto.unseal("written before encryption") == "written before encryption"


def test_a_token_no_key_opens_reads_as_empty_never_as_the_token(caplog):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        token = crypto.seal(RESIDENT_ID)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), caplog.at_level(logging.DEBUG):
        value = crypto.unseal(token)
    assert value == "" and not value
    assert token not in caplog.text and RESIDENT_ID not in caplog.text
    assert "could not be decrypted" in caplog.text
    assert crypto.unseal(crypto.PREFIX + "not-a-token") == ""


def test_changing_the_keys_setting_takes_effect_without_a_restart():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        token = crypto.seal(RESIDENT_ID)
        assert Fernet(OLD_KEY).decrypt(token.removeprefix(crypto.PREFIX).encode()).decode() == RESIDENT_ID
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert crypto.unseal(token) == RESIDENT_ID
        assert not crypto.is_current(token)
        assert crypto.is_current(crypto.rotate(token))


# --- the encrypted columns and answers ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_raw_rows_hold_tokens_and_python_reads_plain_text():
    world = build_special_world()
    special = special_application(world)
    for stored in raw_identifiers(special):
        assert RESIDENT_ID not in stored and BIRTH_DATE not in stored and "19580307" not in stored
    column_id, column_birth, *_answers = raw_identifiers(special)
    assert column_id.startswith(crypto.PREFIX) and column_birth.startswith(crypto.PREFIX)
    fresh = SpecialTalentApplication.objects.get(pk=special.pk)
    assert (fresh.id_number, fresh.birth_date) == (RESIDENT_ID, BIRTH_DATE)


@pytest.mark.django_db
def test_the_offshore_bases_passport_numbers_are_sealed_in_drafts_and_submissions():
    world = build_world()
    application = base_application(world, team_user("crypto_team", "Ada Team")).application
    stored = raw("select answers from applications_application where id = %s", application.pk)
    assert PASSPORT not in stored and crypto.PREFIX in stored
    submitted = raw("select answers from applications_submission where application_id = %s", application.pk)
    assert PASSPORT not in submitted and crypto.PREFIX in submitted


@pytest.mark.django_db
def test_saving_a_row_whose_key_is_missing_keeps_its_token():
    world = build_special_world()
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        special = special_application(world)
    token = raw_identifiers(special)[0]
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        fresh = SpecialTalentApplication.objects.get(pk=special.pk)
        assert fresh.id_number == "" and token not in repr(fresh.__dict__.get("id_number"))
        fresh.field = "改过的领域"
        fresh.save()
    assert raw_identifiers(special)[0] == token
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert SpecialTalentApplication.objects.get(pk=special.pk).id_number == RESIDENT_ID


# --- rotation -----------------------------------------------------------------------------------------------------


def rotate(**options):
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out, **options)
    return out.getvalue()


def opens_with(key, token) -> bool:
    try:
        Fernet(key).decrypt(token.removeprefix(crypto.PREFIX).encode())
    except Exception:  # noqa: BLE001  (any failure means: not this key)
        return False
    return True


def tokens_in(answers_json) -> list:
    return [part.split('"')[0] for part in answers_json.split(crypto.PREFIX)[1:]]


@pytest.mark.django_db
def test_rotation_re_encrypts_every_sealed_value_with_the_new_key_and_is_idempotent():
    world = build_special_world()
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        special = special_application(world)
        base_draft = draft(build_world(), team_user("crypto_rotate", "Ada Rotate"))
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        # The old key still decrypts while it is listed.
        assert SpecialTalentApplication.objects.get(pk=special.pk).id_number == RESIDENT_ID
        out = rotate(batch_size=1)
        assert "talent.SpecialTalentApplication.id_number: 1 rotated, 0 sealed, 0 current, 0 unreadable" in out
        assert "talent.SpecialTalentApplication.birth_date: 1 rotated" in out
        # the candidate's ID number and birth date, the base team lead's passport number
        assert "applications.Application.answers: 3 rotated, 0 sealed, 0 current, 0 unreadable" in out
        assert "applications.Submission.answers: 2 rotated" in out
        assert RESIDENT_ID not in out and BIRTH_DATE not in out
        again = rotate()
        assert "talent.SpecialTalentApplication.id_number: 0 rotated, 0 sealed, 1 current" in again
        assert "applications.Application.answers: 0 rotated, 0 sealed, 3 current" in again
    stored = raw_identifiers(special)
    base_answers = raw("select answers from applications_application where id = %s", base_draft.pk)
    tokens = [stored[0], stored[1], *tokens_in(stored[2]), *tokens_in(stored[3]), *tokens_in(base_answers)]
    assert len(tokens) == 7
    assert all(opens_with(NEW_KEY, token) and not opens_with(OLD_KEY, token) for token in tokens)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):  # only the new key is needed now
        fresh = SpecialTalentApplication.objects.get(pk=special.pk)
        assert (fresh.id_number, fresh.birth_date) == (RESIDENT_ID, BIRTH_DATE)
        from portal.applications.answers import opened

        assert opened(Application.objects.get(pk=special.application_id).answers["candidate"])["id_number"] == (
            RESIDENT_ID
        )
        submission = Submission.objects.get(application_id=special.application_id)
        assert opened(submission.answers["candidate"])["birth_date"] == BIRTH_DATE
        assert opened(Application.objects.get(pk=base_draft.pk).answers["team"])[0]["passport_number"] == PASSPORT


@pytest.mark.django_db
def test_rotation_reports_values_no_key_opens_and_leaves_them_alone():
    world = build_special_world()
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        special = special_application(world)
    before = raw_identifiers(special)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(CommandError, match="could not be"):
        rotate()
    assert raw_identifiers(special) == before


@pytest.mark.django_db
def test_rotation_seals_values_stored_before_encryption():
    world = build_special_world()
    special = special_application(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "update talent_specialtalentapplication set id_number = %s where id = %s", [RESIDENT_ID, special.pk]
        )
    assert raw_identifiers(special)[0] == RESIDENT_ID
    out = rotate()
    assert "talent.SpecialTalentApplication.id_number: 0 rotated, 1 sealed, 0 current" in out
    assert raw_identifiers(special)[0].startswith(crypto.PREFIX)
    assert SpecialTalentApplication.objects.get(pk=special.pk).id_number == RESIDENT_ID


@pytest.mark.django_db
def test_rotation_refuses_a_batch_size_below_one():
    with pytest.raises(CommandError, match="batch-size"):
        rotate(batch_size=0)


# --- the data migration for answers stored before encryption ---------------------------------------------------------


def plain_answers(application):
    """The answers as the code before encryption wrote them (passport numbers in plain text)."""
    from portal.applications.answers import opened

    answers = {code: opened(stored) for code, stored in application.answers.items()}
    Application.objects.filter(pk=application.pk).update(answers=answers)
    Submission.objects.filter(application=application).update(answers=answers)
    return answers


@pytest.mark.django_db
def test_the_migration_seals_passport_numbers_stored_in_plain_text():
    from django.apps import apps

    world = build_world()
    application = base_application(world, team_user("crypto_old", "Old Team")).application
    plain_answers(application)
    assert PASSPORT in raw("select answers from applications_application where id = %s", application.pk)
    assert PASSPORT in raw("select answers from applications_submission where application_id = %s", application.pk)
    migration = importlib.import_module("portal.applications.migrations.0002_seal_private_answers")
    migration.seal_plain_answers(apps, None)
    stored = raw("select answers from applications_application where id = %s", application.pk)
    assert PASSPORT not in stored and crypto.PREFIX in stored
    submitted = raw("select answers from applications_submission where application_id = %s", application.pk)
    assert PASSPORT not in submitted and crypto.PREFIX in submitted
    before = stored
    migration.seal_plain_answers(apps, None)  # already sealed: left alone
    assert raw("select answers from applications_application where id = %s", application.pk) == before
    from portal.applications.answers import opened

    assert opened(Application.objects.get(pk=application.pk).answers["team"])[0]["passport_number"] == PASSPORT


def test_reseal_walks_forms_and_formset_rows_and_leaves_other_answers():
    answers = {
        "team": [{"name": "A", "passport_number": "E1234567"}, {"name": "B", "passport_number": ""}],
        "candidate": {"id_number": RESIDENT_ID, "birth_date": BIRTH_DATE, "name": "张工"},
        "project": {"title": "x"},
    }
    private = {"team": ("passport_number",), "candidate": ("id_number", "birth_date"), "absent": ("x",)}
    sealed, counts = sealing.reseal(answers, private, sealing.seal_value)
    assert counts == {sealing.SEALED: 3, sealing.CURRENT: 1}
    assert sealed["project"] == answers["project"] and sealed["team"][1]["passport_number"] == ""
    assert crypto.is_sealed(sealed["team"][0]["passport_number"]) and sealed["candidate"]["name"] == "张工"
    assert answers["candidate"]["id_number"] == RESIDENT_ID  # the given answers are not modified


# --- production -------------------------------------------------------------------------------------------------------


def test_production_refuses_a_key_that_is_not_a_fernet_key():
    result = import_production(
        SECRET_KEY="s3cr3t-" + "x" * 40, ALLOWED_HOSTS="portal.example.gov.cn", FIELD_ENCRYPTION_KEYS="not-a-key"
    )
    assert result.returncode != 0
    assert "is not a Fernet key" in result.stderr


def test_production_accepts_a_new_key_first_and_an_old_one_after_it():
    result = import_production(
        "import django; django.setup(); from django.conf import settings; print(len(settings.FIELD_ENCRYPTION_KEYS))",
        SECRET_KEY="s3cr3t-" + "x" * 40,
        ALLOWED_HOSTS="portal.example.gov.cn",
        FIELD_ENCRYPTION_KEYS=f"{NEW_KEY}, {OLD_KEY}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
