import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
}


def clean_body(html: str) -> str:
    """Keep the structure of an official text; drop scripts, styles, attributes, links and everything else."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={}, link_rel=None, strip_comments=True).strip()


def is_blank(html: str) -> bool:
    return not nh3.clean(html or "", tags=set()).strip()
