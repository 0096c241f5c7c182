import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def find_login_user(login):
    """The account a login name (username or email, any case, surrounding spaces) names, or None."""
    login = (login or "").strip()
    if not login:
        return None
    User = get_user_model()
    field = "email" if "@" in login else "username"
    # Usernames are unique only case-sensitively: an exact match wins, then the oldest case-insensitive one.
    users = User._default_manager.filter(**{f"{field}__iexact": login})
    return users.filter(**{field: login}).first() or users.order_by("pk").first()


def lockout_username(request, credentials=None):
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE).

    Every spelling of one account (case, spaces, its email) resolves to the account's username, so a
    lockout cannot be sidestepped by spelling the name differently, and a successful login (which axes
    records under the username) clears the failures of every spelling. An unknown name is folded the same
    way, so spelling variants of a name that does not exist share one allowance too.
    """
    if credentials:
        login = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        login = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(login, str):
        return None
    user = find_login_user(login)
    if user is not None:
        return user.get_username()
    return unicodedata.normalize("NFKC", login).strip().casefold() or None


class UsernameOrEmailBackend(ModelBackend):
    """Log in with either the username or the email address (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = find_login_user(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal which names exist.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
