"""The admin form every portal page uses (``base_form_class``)."""

from wagtail.admin.forms import WagtailAdminPageForm

from .slugs import available_slug, pinyin_slug


class PortalPageForm(WagtailAdminPageForm):
    """Turns a Chinese slug into pinyin when a page gets it, unique among its siblings.

    The browser fills the slug from the title while the editor types (Wagtail's ``w-slug`` controller),
    keeping Chinese characters. This form, not the model, converts it: only a slug that arrives through
    the admin changes, an ASCII slug the editor typed is kept as typed, and a page whose Chinese slug is
    already published keeps its address until someone edits the slug.
    """

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug.isascii() or slug == self.instance.slug:
            return slug
        max_length = self.fields["slug"].max_length
        base = pinyin_slug(slug, max_length)
        if not base:  # nothing readable to spell (symbols only): leave it to the usual checks
            return slug
        return available_slug(base, self.parent_page, self.instance if self.instance.pk else None, max_length)
