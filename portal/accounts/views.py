from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .forms import LoginForm, ProfileForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Continue in the language the person chose in their profile.
        language = form.get_user().preferred_language
        if language and language != translation.get_language():
            # Translate while the current language is active: that is the language the path is in.
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
    return render(request, "accounts/profile.html", {"form": form, "organization_links": links})
