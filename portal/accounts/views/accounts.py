from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from portal.calls import REFUSED, call_service, call_with_form

from .. import services
from ..forms import LoginForm, ProfileForm, RegistrationForm, ResendConfirmationForm
from ..redirects import is_safe, safe_next


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Continue in the language the person chose in their profile.
        language = form.get_user().preferred_language
        if language and language != translation.get_language():
            # Translate while the current language is active: that is the language the path is in. A path that
            # already names its language (next=/en/…) was chosen on purpose and is kept: translating it again
            # under Chinese matched the pages' catch-all and gave /en/en/….
            if translation.get_language_from_path(urlsplit(response["Location"]).path) is None:
                response["Location"] = translate_url(response["Location"], language)
            translation.activate(language)
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    # A copy of the user: a refused form has already written its values to its instance, and the page's header
    # shows request.user, which must keep the saved name.
    form = ProfileForm(request.POST or None, instance=get_user_model().objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        profile = services.update_profile(user=request.user, form=form)
        messages.success(request, _("Your profile has been saved."))
        return redirect(translate_url(reverse("accounts:profile"), profile.preferred_language))
    links = request.user.organization_links.select_related("organization")
    pending = request.user.organization_claims.pending().select_related("organization")
    context = {"form": form, "organization_links": links, "pending_claims": pending}
    return render(request, "accounts/profile.html", context)


# Registration ------------------------------------------------------------------------------------------------

# Per client address (RATELIMIT_IP_META_KEY): enough for a family or an office behind one address, too few to
# fill the user table or to probe which addresses are registered.
REGISTER_RATE = "10/h"
RESEND_RATE = "5/h"


def _limited(request):
    return render(request, "accounts/limited.html", {"page_title": _("Too many requests")}, status=429)


@ratelimit(key="ip", rate=REGISTER_RATE, method="POST", block=False)
def register(request):
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "workspace:dashboard")
    if request.limited:
        return _limited(request)
    form = RegistrationForm(request.POST or None, initial={"preferred_language": translation.get_language()})
    user = call_with_form(request, form, services.register, values=RegistrationForm.values, next_url=next_url)
    if user is not REFUSED:
        request.session[REGISTERED_EMAIL] = user.email
        return redirect("accounts:register_sent")
    return render(request, "accounts/register.html", {"form": form, "next": next_url})


REGISTERED_EMAIL = "accounts.registered_email"  # the session key the "check your mail" page reads


@require_GET
def register_sent(request):
    return render(request, "accounts/register_sent.html", {"email": request.session.get(REGISTERED_EMAIL, "")})


def register_confirm(request, token):
    """GET shows what the link is for (mail scanners that open links change nothing); the button confirms,
    logs the person in and sends them on: to ``next`` from the link, else to attach their organization."""
    errors = []
    action = services.confirm_registration if request.method == "POST" else services.confirmation_of
    result = call_service(request, action, on_error=lambda error: errors.extend(error.messages), token=token)
    if result is REFUSED:
        context = {"errors": errors, "form": ResendConfirmationForm()}
        return render(request, "accounts/register_confirm.html", context)
    user, next_url = result
    if request.method != "POST":
        return render(request, "accounts/register_confirm.html", {"pending": user})
    login(request, user, backend="portal.accounts.backends.UsernameOrEmailBackend")
    language = user.preferred_language or settings.LANGUAGE_CODE
    translation.activate(language)
    messages.success(request, _("Your account is confirmed and you are logged in."))
    if is_safe(request, next_url):
        return redirect(next_url)
    return redirect(reverse("accounts:organization"))


@ratelimit(key="ip", rate=RESEND_RATE, method="POST", block=False)
def register_resend(request):
    if request.limited:
        return _limited(request)
    form = ResendConfirmationForm(request.POST or None)
    sent = call_with_form(request, form, services.resend_confirmation)
    context = {"form": ResendConfirmationForm() if sent is not REFUSED else form, "sent": sent is not REFUSED}
    return render(request, "accounts/register_resend.html", context)
