"""A real name names a person, never an office.

Names are shown in workspaces, threads and notifications; a member who calls themself 秘书处 or "Admin" would
speak with an authority they do not have. The office words live here, in one list; comparison ignores case,
full-width forms and the spaces or punctuation someone may put between the characters.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Chinese words are refused anywhere in the name; Latin ones as whole words ("Badminton" stays a name).
OFFICE_WORDS_ZH = (
    *("秘书处", "管理员", "理事会", "委员会", "办公室", "系统", "官方", "区政府"),
    *("秘書處", "管理員", "理事會", "委員會", "辦公室", "系統", "區政府"),  # the same in traditional characters
)
OFFICE_WORDS_LATIN = ("secretariat", "admin", "administrator", "official", "system")


def _folded(value):
    """NFKC (full-width → ASCII, compatibility forms) and casefold."""
    return unicodedata.normalize("NFKC", value or "").casefold()


def office_word_in(value):
    """The office word ``value`` is or contains, or None."""
    folded = _folded(value)
    # Only letters count: 秘 书 处, 秘-书-处 and 秘\u200b书处 are 秘书处.
    letters = "".join(char for char in folded if unicodedata.category(char).startswith("L"))
    for word in OFFICE_WORDS_ZH:
        if word in letters:
            return word
    latin_words = re.findall(r"[a-z]+", folded)
    for word in OFFICE_WORDS_LATIN:
        if word in latin_words or "".join(latin_words) == word:
            return word
    return None


def validate_real_name(value):
    word = office_word_in(value)
    if word is not None:
        raise ValidationError(
            _(
                "A real name cannot be or contain the name of an office (“%(word)s”). Write your own name: your "
                "organization and role are shown beside it."
            ),
            code="office_name",
            params={"word": word},
        )
