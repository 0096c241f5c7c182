from django.utils.translation import get_language


def localized(chinese, english):
    """The English text when English is active and there is one; the Chinese text otherwise."""
    return english if get_language() == "en" and english else chinese
