"""The Simplified Chinese catalogue is complete, compiled and used by the site.

Source strings are English; Chinese is the default language. A string that is added to the
code without a translation would show up in English on the Chinese site, so these tests fail
when the zh_Hans catalogue has an untranslated or fuzzy entry, when a placeholder was lost in
translation, or when the catalogue no longer matches the strings in the source.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

PROJECT_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# The ignores the catalogues are generated with:
# manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=tests \
#     --ignore=portal/pages/demo_content.py
MAKEMESSAGES_IGNORES = [".venv", "var", "tests", "portal/pages/demo_content.py"]


@pytest.fixture(scope="module", autouse=True)
def compiled_messages():
    """Compile the .mo files (git-ignored) so this module also passes when run on its own.

    Yields the compile error, if any, instead of raising it, so that a broken catalogue still
    lets the catalogue tests below say what is wrong with it.
    """
    error = None
    try:
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)
    except CommandError as exc:
        error = exc
    # Forget catalogues loaded before the .mo files existed or changed (Django's and the gettext
    # module's caches), exactly as the development server does when a .mo file changes.
    translation_file_changed(sender=None, file_path=ZH_PO.with_suffix(".mo"))
    yield error


@pytest.fixture
def compiled(compiled_messages):
    assert compiled_messages is None, f"compilemessages failed: {compiled_messages}"


# --- a tiny PO parser -------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries of a PO file as dicts: msgid, msgid_plural, msgstr (list), flags (set).

    Obsolete entries (#~) are left out; the header is the entry whose msgid is "".
    """
    entries: list[dict] = []
    entry: dict | None = None
    field = None

    def start():
        nonlocal entry
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        entries.append(entry)
        return entry

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        new_entry_needed = entry is None or bool(entry["msgstr"])
        if line.startswith("#"):
            if new_entry_needed:
                start()
            field = None
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            key, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if key in ("msgctxt", "msgid") and (new_entry_needed or entry[key] is not None):
                start()
            if key.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = value
            else:
                field = (key, None)
                entry[key] = value
            continue
        assert line.startswith('"') and field is not None, f"{path}: cannot parse line {raw!r}"
        if field[0] == "msgstr":
            entry["msgstr"][field[1]] += _unquote(line)
        else:
            entry[field[0]] += _unquote(line)

    # A comment block with no message after it (flags left over from an obsolete #~ entry) is not an entry.
    entries = [item for item in entries if item["msgid"] is not None]
    for item in entries:
        item["msgstr"] = [item["msgstr"][i] for i in sorted(item["msgstr"])]
    return entries


def split_header(entries: list[dict]) -> tuple[dict, list[dict]]:
    headers = [e for e in entries if e["msgid"] == "" and not e["msgctxt"]]
    assert len(headers) == 1, "a PO file needs exactly one header entry"
    header_fields = dict(line.split(":", 1) for line in headers[0]["msgstr"][0].splitlines() if ":" in line)
    header = {"flags": headers[0]["flags"], **{k.strip(): v.strip() for k, v in header_fields.items()}}
    return header, [e for e in entries if e is not headers[0]]


def untranslated(entries: list[dict]) -> list[str]:
    return [e["msgid"] for e in entries if not e["msgstr"] or any(not s.strip() for s in e["msgstr"])]


def fuzzy(entries: list[dict]) -> list[str]:
    return [e["msgid"] for e in entries if "fuzzy" in e["flags"]]


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in _PLACEHOLDER.finditer(text))


# --- the catalogue file -----------------------------------------------------------------------


def test_the_parser_sees_the_whole_catalogue():
    entries = parse_po(ZH_PO)
    _header, messages = split_header(entries)
    # Guard against a parser that silently reads nothing (and so finds nothing missing).
    assert len(messages) >= 150
    assert any(e["msgid"] == "Log in" for e in messages)
    assert any(e["msgid_plural"] for e in messages)


def test_zh_hans_catalogue_has_no_untranslated_entries():
    _header, messages = split_header(parse_po(ZH_PO))
    missing = untranslated(messages)
    assert not missing, f"{len(missing)} untranslated entries in {ZH_PO}:\n" + "\n".join(f"  {m!r}" for m in missing)


def test_zh_hans_catalogue_has_no_fuzzy_entries():
    header, messages = split_header(parse_po(ZH_PO))
    assert "fuzzy" not in header["flags"], f"the header of {ZH_PO} is marked fuzzy"
    flagged = fuzzy(messages)
    assert not flagged, f"{len(flagged)} fuzzy entries in {ZH_PO}:\n" + "\n".join(f"  {m!r}" for m in flagged)


def test_zh_hans_catalogue_header():
    header, _messages = split_header(parse_po(ZH_PO))
    assert header["Language"] == "zh_Hans"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_zh_hans_translations_keep_placeholders_and_markup():
    _header, messages = split_header(parse_po(ZH_PO))
    problems = []
    for entry in messages:
        for translated in entry["msgstr"]:
            if _placeholders(translated) != _placeholders(entry["msgid"]):
                problems.append(f"{entry['msgid']!r}: placeholders {_placeholders(translated)}")
            if sorted(_TAG.findall(translated)) != sorted(_TAG.findall(entry["msgid"])):
                problems.append(f"{entry['msgid']!r}: HTML tags differ")
        if entry["msgid_plural"]:
            assert len(entry["msgstr"]) == 1, f"{entry['msgid']!r}: Chinese has one plural form"
    assert not problems, "translations that lost or changed placeholders:\n" + "\n".join(problems)


def test_en_catalogue_header_is_valid():
    header, _messages = split_header(parse_po(EN_PO))
    assert "fuzzy" not in header["flags"], f"the header of {EN_PO} is marked fuzzy"
    assert header["Language"] == "en"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


def test_catalogue_matches_the_strings_in_the_source(tmp_path):
    """Regenerating the catalogue from the current source adds no untranslated or fuzzy entry.

    Runs makemessages on a copy of the project, so the repository's catalogue is not touched.
    """
    # gettext is a system requirement (scripts/system-deps.sh installs it); its absence is a failure.
    assert shutil.which("xgettext") and shutil.which("msgmerge"), "GNU gettext tools are not installed"
    copy = tmp_path / "project"
    shutil.copytree(
        PROJECT_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "var",
            ".git",
            "node_modules",
            "test-artifacts",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".make",
            "*.mo",
            "*.pyc",
            "db.sqlite3*",
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONPATH": str(copy)}
    command = [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--verbosity", "0"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    regenerated = copy / ZH_PO.relative_to(PROJECT_DIR)
    assert regenerated.exists(), "makemessages wrote the catalogue somewhere else"
    _header, messages = split_header(parse_po(regenerated))
    stale = sorted(set(untranslated(messages)) | set(fuzzy(messages)))
    assert not stale, (
        "source strings without a (non-fuzzy) Chinese translation; run makemessages and translate them in "
        f"{ZH_PO.relative_to(PROJECT_DIR)}:\n" + "\n".join(f"  {m!r}" for m in stale)
    )


# --- the catalogue in use ---------------------------------------------------------------------


def test_catalogues_compile(compiled_messages):
    assert compiled_messages is None, f"compilemessages failed: {compiled_messages}"
    assert (ZH_PO.with_suffix(".mo")).exists()


def test_key_strings_translate_to_chinese(compiled):
    from portal.accounts.roles import RoleCode

    with translation.override("zh-hans"):
        # "Log in" is also in Django's own admin catalogue; the portal's name is only in ours.
        assert translation.gettext("Pingshan Co-Governance Portal") == "坪山产业共治与创新基金门户"
        assert translation.gettext("Log in") == "登录"
        assert translation.gettext("Workspace") == "工作空间"
        assert str(RoleCode.COUNCIL_MEMBER.label) == "委员会成员"
        results = translation.ngettext("%(counter)s result for “%(query)s”", "%(counter)s results for “%(query)s”", 3)
        assert results % {"counter": 3, "query": "生物医药"} == "找到 3 条与“生物医药”相关的结果"


def test_key_strings_stay_english_in_english(compiled):
    from portal.accounts.roles import RoleCode

    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
        assert translation.gettext("Workspace") == "Workspace"
        assert str(RoleCode.COUNCIL_MEMBER.label) == "Council member"


def test_login_page_is_chinese_by_default(compiled, client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "登录" in html
    assert "坪山产业共治与创新基金门户" in html  # <title> and masthead, only in the portal's catalogue
    assert "工作空间" in html  # the lede: "…进入各自的工作空间。"
    assert "Log in" not in html


def test_login_page_in_english_under_en_prefix(compiled, client, db):
    response = client.get("/en/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html
    assert "Pingshan Co-Governance Portal" in html
    assert "登录" not in html
