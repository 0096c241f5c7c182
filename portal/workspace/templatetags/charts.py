"""``{% load charts %}{% chart chart %}``: a chart of portal/charts in a <figure> with its caption and, in a
<details>, its data table: ``table=False`` where the page shows the figures beside it already,
``caption=False`` under a heading that names the chart (the SVG's <title> still does)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("charts/chart.html")
def chart(chart, table=True, caption=True):
    # The one place the SVG becomes markup: portal/charts/svg.py wrote it from shapes only, its title escaped.
    return {"chart": chart, "markup": mark_safe(chart.svg), "table": table, "caption": caption}
