from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "pages/blocks/quote.html"
        label = _("Quote")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), max_length=120, form_classname="title", template="pages/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Image"), template="pages/blocks/image.html")
    quote = QuoteBlock()


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Value"), max_length=20)
    unit = blocks.CharBlock(label=_("Unit"), max_length=20, required=False)
    label = blocks.CharBlock(label=_("Label"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Key figure")
