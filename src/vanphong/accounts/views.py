from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator

from vanphong.core.tenancy import allows_no_organisation


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


@method_decorator(allows_no_organisation, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    pass
