"""Rendering of discussion posts: plain text, escaped, with the @mentions that were resolved highlighted."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ..services.discussions import mention_spans

register = template.Library()


@register.filter
def post_body(post):
    """``{{ post|post_body }}``: the body escaped, line breaks kept, each mention of someone the post mentions
    as ``<span class="mention">@name</span>``. Only the post's resolved mentions are highlighted (use
    ``prefetch_related("mentions")`` on lists)."""
    body = post.body or ""
    pieces, position = [], 0
    for start, end, _user in mention_spans(body, list(post.mentions.all())):
        pieces.append(conditional_escape(body[position:start]))
        pieces.append(format_html('<span class="mention">{}</span>', body[start:end]))
        position = end
    pieces.append(conditional_escape(body[position:]))
    html = "".join(str(piece) for piece in pieces)
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>\n"))  # noqa: S308 - every piece is escaped
