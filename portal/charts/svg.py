"""matplotlib's SVG made fit to sit inside a page: nothing active or external, ids of its own, accessible.

- Kept: shapes, glyph paths, clip paths, ``<use>`` of them. Dropped: ``<metadata>`` (a date), the ``<style>``
  element (the page's Content-Security-Policy refuses inline style elements; its two rules become attributes of
  the root), comments (the labels' text: the data table carries it), anything but shapes (no script,
  foreignObject, image, a, animation) and every reference that is not to an id inside the chart.
- ``style`` attributes become presentation attributes (``fill="#1552a0"``): no inline CSS at all.
- Ids are prefixed with a digest of the chart, so two charts on one page never share an id; references are plain
  ``href`` and the SVG namespace the default one, so the markup has no namespace prefix at all.
- The root has a viewBox, width 100% and no height: the chart scales to its column, 390 px or A4.
- ``role="img"`` with a ``<title>`` first: the chart's accessible name.
"""

import hashlib
import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

ALLOWED = {f"{{{SVG}}}{name}" for name in ("svg", "g", "defs", "path", "use", "clipPath", "rect", "title")}
HREFS = (f"{{{XLINK}}}href", "href")
URL = re.compile(r"url\(#([^)]+)\)")


def _walk(parent):
    for child in list(parent):
        if child.tag not in ALLOWED:
            parent.remove(child)
            continue
        _walk(child)


def clean(markup: str, title: str) -> str:
    """The SVG ``markup`` matplotlib wrote, made safe to place in a page, named ``title``."""
    root = ET.fromstring(markup.encode())
    _walk(root)
    prefix = "chart-" + hashlib.sha256(markup.encode()).hexdigest()[:10]
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, f"{prefix}-{value}")
            elif name in HREFS:
                # Plain href (SVG 2: every browser, WeasyPrint): no xlink namespace to declare.
                del element.attrib[name]
                if value.startswith("#"):  # only references inside the chart
                    element.set("href", f"#{prefix}-{value[1:]}")
            elif name == "style":
                # As presentation attributes: WeasyPrint reads style="" as page CSS and logs each SVG property
                # as unknown, and the page's Content-Security-Policy need not allow inline styles for it.
                del element.attrib[name]
                for declaration in value.split(";"):
                    prop, _colon, setting = declaration.partition(":")
                    if prop.strip() and setting.strip():
                        element.set(prop.strip(), URL.sub(lambda match: f"url(#{prefix}-{match[1]})", setting.strip()))
            elif "url(" in value:
                element.set(name, URL.sub(lambda match: f"url(#{prefix}-{match[1]})", value))
            elif name.startswith("on"):
                del element.attrib[name]
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    root.set("focusable", "false")
    root.set("stroke-linejoin", "round")  # matplotlib's <style>: *{stroke-linejoin: round; stroke-linecap: butt}
    root.set("stroke-linecap", "butt")
    # Plain tag names and a literal xmlns: ElementTree's prefix table is process-wide (other libraries rewrite
    # it, and WeasyPrint once turned every chart into <ns0:svg>), and its default_namespace option refuses
    # attributes without a namespace.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG}}}")
    root.set("xmlns", SVG)
    name = ET.Element("title", id=f"{prefix}-title")
    name.text = title
    root.insert(0, name)
    return ET.tostring(root, encoding="unicode")
