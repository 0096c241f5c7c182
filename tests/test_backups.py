"""manage.py backup and restore (portal/backups/archive.py): a backup holds the database and the files with a
manifest; restoring it brings back every table's rows and every file's content, and checks that it did; a damaged
or foreign backup, or a database that holds data, is refused with a clear message."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from portal.backups import archive
from portal.files.storage import private_storage
from tests.factories import OrganizationFactory, UserFactory

# Restoring replaces the whole database, so the test owns it outright (no wrapping transaction).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "live" / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "live" / "private")
    return tmp_path


@pytest.fixture
def content(folders):
    for number in range(3):
        UserFactory(username=f"backup-{number}", real_name=f"备份测试{number}")
    OrganizationFactory(name="深圳坪山备份测试有限公司")
    public = default_storage.save("images/logo.txt", ContentFile("坪山".encode()))
    private = private_storage().save("opinions/2026/意见书.pdf", ContentFile(b"%PDF-1.7 secret"))
    return public, private


def _backup(folders):
    out = StringIO()
    call_command("backup", str(folders / "backup"), stdout=out)
    return folders / "backup", out.getvalue()


def test_a_backup_then_a_restore_brings_back_every_row_and_file(folders, content):
    public, private = content
    target, said = _backup(folders)
    manifest = json.loads((target / archive.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["rows"]["accounts_user"] == get_user_model().objects.count() >= 3
    assert set(manifest["files"]["private"]) == {private} and set(manifest["files"]["media"]) == {public}
    assert "files" in said
    # Then the damage: people and an organization gone, a file lost, another changed.
    get_user_model().objects.filter(username__startswith="backup-").delete()
    private_storage().delete(private)
    (folders / "live" / "media" / public).write_bytes(b"changed")
    assert archive.differences(manifest)
    out = StringIO()
    call_command("restore", str(target), "--replace", stdout=out)
    assert "match the backup" in out.getvalue()
    assert get_user_model().objects.filter(username__startswith="backup-").count() == 3
    assert private_storage().open(private).read() == b"%PDF-1.7 secret"
    assert default_storage.open(public).read() == "坪山".encode()
    assert archive.differences(manifest) == []


def test_restore_refuses_a_database_that_holds_data_unless_told(folders, content):
    target, _said = _backup(folders)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target), stdout=StringIO())


def test_a_damaged_dump_or_a_folder_that_is_no_backup_is_refused_and_changes_nothing(folders, content):
    target, _said = _backup(folders)
    users = get_user_model().objects.count()
    dump = next(path for path in target.iterdir() if path.name.startswith("database."))
    data = dump.read_bytes()  # its last 100 bytes inverted: zeros (free space at a file's end) would not change
    dump.write_bytes(data[:-100] + bytes(byte ^ 0xFF for byte in data[-100:]))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(target), "--replace", stdout=StringIO())
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(folders), "--replace", stdout=StringIO())
    assert get_user_model().objects.count() == users


def test_a_backup_goes_into_a_new_folder(folders, content):
    _backup(folders)
    with pytest.raises(CommandError, match="not empty"):
        _backup(folders)
