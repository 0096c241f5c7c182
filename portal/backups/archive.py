"""A backup of the portal: the database (the engine's own dump) and the files (public media and private files), with
a manifest of what they held (rows per table, a SHA-256 per file) that a restore checks itself against.

The database dump is the engine's: ``pg_dump --format=custom`` on PostgreSQL (restored with ``pg_restore``), the
online backup API on SQLite (a consistent copy while the portal runs). Files are copied as they are; the manifest's
hashes prove the copy and the restore.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FOLDERS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """What stops a backup or a restore, said plainly for the operator."""


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}
        & set(connection.introspection.table_names())
    )
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                hashes[path.relative_to(root).as_posix()] = _sha256(path)
    return hashes


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if not found and (folder / name).exists():
            found = str(folder / name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools of the server's version.")
    return found


def _postgres_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    return args, env


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-500:]}")


def dump_database(target: Path) -> str:
    """Write the database into ``target`` (a folder); returns the dump's file name."""
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target / name) as copy:
            connection.connection.backup(copy)
        return name
    if connection.vendor == "postgresql":
        name = "database.dump"
        args, env = _postgres_env()
        db = connection.settings_dict["NAME"]
        _run([_postgres_tool("pg_dump"), *args, "--format=custom", "--no-owner", f"--file={target / name}", db], env)
        return name
    raise BackupError(f"No backup for the {connection.vendor} database.")


def load_database(source: Path, name: str) -> None:
    """Replace the configured database's content with the dump ``name`` in ``source``."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source / name) as dump:
            dump.backup(connection.connection)
        return
    if connection.vendor == "postgresql":
        args, env = _postgres_env()
        db = connection.settings_dict["NAME"]
        connection.close()
        restore = [_postgres_tool("pg_restore"), *args, "--no-owner", "--clean", "--if-exists", "--exit-on-error"]
        _run([*restore, f"--dbname={db}", str(source / name)], env)
        return
    raise BackupError(f"No restore for the {connection.vendor} database.")


def backup(target: Path) -> dict:
    """A backup into the new folder ``target``; returns its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder.")
    target.mkdir(parents=True, exist_ok=True)
    dump = dump_database(target)
    files = {}
    for folder, setting in FOLDERS.items():
        root = Path(getattr(settings, setting))
        if root.is_dir():
            shutil.copytree(root, target / folder)
        files[folder] = file_hashes(target / folder)
    manifest = {
        "made_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": {"vendor": connection.vendor, "dump": dump, "sha256": _sha256(target / dump)},
        "rows": row_counts(),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} holds no readable {MANIFEST}: not a backup of this portal.") from error
    dump = source / manifest["database"]["dump"]
    if not dump.is_file() or _sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"The database dump in {source} is missing or damaged (its SHA-256 differs).")
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(f"This backup is of a {manifest['database']['vendor']} database, not {connection.vendor}.")
    return manifest


def restore(source: Path, *, replace: bool = False) -> list[str]:
    """Restore the backup in ``source``; returns the differences found afterwards (empty when all is back)."""
    manifest = read_manifest(source)
    if not replace and any(row_counts().values()):
        raise BackupError("The database is not empty: restore into a fresh one, or confirm with --replace.")
    load_database(source, manifest["database"]["dump"])
    for folder, setting in FOLDERS.items():
        root = Path(getattr(settings, setting))
        if replace and root.exists():
            shutil.rmtree(root)
        if (source / folder).is_dir():
            shutil.copytree(source / folder, root, dirs_exist_ok=True)
    return differences(manifest)


def differences(manifest: dict) -> list[str]:
    """What the live database and folders hold that differs from ``manifest``."""
    found = []
    rows = row_counts()
    for table, count in manifest["rows"].items():
        if rows.get(table) != count:
            found.append(f"{table}: {rows.get(table)} rows, the backup has {count}")
    for folder, setting in FOLDERS.items():
        live = file_hashes(Path(getattr(settings, setting)))
        for name, digest in manifest["files"].get(folder, {}).items():
            if live.get(name) != digest:
                found.append(f"{folder}/{name}: {'missing' if name not in live else 'different content'}")
    return found
