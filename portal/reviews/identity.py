"""What names an organization, for rounds that hide the applicant from the reviewers.

A reviewer of such a round must find no name nor unified social credit code of the subject organization in
anything shown or sent to them. Text that reviewers read and that people write (the round's title and the
label reviewers see, a recusal reason) is checked against the organization's **identifying forms**:

* its full names (Chinese and English) and its unified social credit code;
* the core of its name once place names and company forms are removed (深圳坪山康源生物医药有限公司 → 康源生物医药);
* the trade name (字号) left when industry words are also removed from the end of the core (康源生物医药 → 康源).

Comparison ignores case and full-width forms. In an English name the first word after the place names counts
as the trade name when it has four letters or more.
"""

import unicodedata

from .conflicts import normalize_name

# Industry words that follow a Chinese trade name (字号) in company names; removed from the end of the core.
_INDUSTRY_WORDS = (
    "生物医药",
    "生物科技",
    "生物技术",
    "细胞治疗",
    "基因治疗",
    "医疗器械",
    "医疗科技",
    "新能源汽车",
    "新能源",
    "集成电路",
    "半导体",
    "微电子",
    "电子",
    "医药",
    "医疗",
    "制药",
    "药业",
    "生物",
    "科技",
    "技术",
    "汽车",
    "智能",
    "信息",
    "投资",
    "管理",
    "发展",
    "实业",
    "控股",
    "研究院",
)
_MIN_TRADE_NAME = 2
_MIN_LATIN_WORD = 4


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def _trade_name(core: str) -> str:
    """康源生物医药 → 康源; 华屿细胞治疗技术 → 华屿. The core itself when nothing known follows the trade name."""
    name = core
    changed = True
    while changed:
        changed = False
        for word in _INDUSTRY_WORDS:
            if name.endswith(word) and len(name) - len(word) >= _MIN_TRADE_NAME:
                name = name[: -len(word)].strip()
                changed = True
    return name


def identifying_forms(organization) -> list[str]:
    """The folded strings that give the organization away, longest first."""
    if organization is None:
        return []
    forms = set()
    for name in (organization.name, organization.name_en):
        if not name:
            continue
        forms.add(_fold(name).strip())
        core = normalize_name(name)
        if not core:
            continue
        if core.isascii():
            forms.add(core)
            first = core.split()[0]  # the trade name leads an English company name
            if len(first) >= _MIN_LATIN_WORD:
                forms.add(first)
        else:
            for part in core.split():
                if len(part) >= _MIN_TRADE_NAME:
                    forms.add(part)
                    forms.add(_trade_name(part))
    if organization.uscc:
        forms.add(_fold(organization.uscc))
    return sorted((form for form in forms if form), key=len, reverse=True)


def names_organization(text: str, organization) -> bool:
    """Whether ``text`` contains any identifying form of ``organization``."""
    folded = _fold(text)
    return bool(folded) and any(form in folded for form in identifying_forms(organization))
