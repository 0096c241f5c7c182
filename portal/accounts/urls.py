from django.urls import path

from portal.organizations import urls as organization_urls

from .views import accounts as views
from .views import twofactor

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("register/resend/", views.register_resend, name="register_resend"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("two-factor/", twofactor.settings_page, name="two_factor"),
    path("two-factor/setup/", twofactor.setup, name="two_factor_setup"),
    path("two-factor/verify/", twofactor.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", twofactor.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/replace/", twofactor.replace, name="two_factor_replace"),
]
# A person's organizations and the claims to act for them (portal/organizations), under /accounts/.
urlpatterns += organization_urls.urlpatterns
