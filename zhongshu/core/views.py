"""The shell's pages: the workbench, signing in and out, changing one's password, and the error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse_lazy

from zhongshu.org import services as org_services

from . import workbench
from .exceptions import ValidationFailed
from .forms import LoginForm, OwnPasswordChangeForm
from .lockout import lockout_minutes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的工作台: the panels the signed-in person may see."""
    return render(request, "core/home.html", {"panels": workbench.panels_for(request)})


class LoginView(auth_views.LoginView):
    """Sign in with 用户名 and 密码; `next` is honoured; five failures lock the account (django-axes)."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = lockout_minutes()
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django 5 requires), then back to the sign-in page."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in person changes their own password (the old one is asked first); recorded in the trail."""

    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            person = org_services.person_change_own_password(
                actor=form.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationFailed as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, person)
        messages.success(self.request, "密码已修改。下次登录请使用新密码。")
        return redirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


# --- error pages (handler400/403/404/500 in zhongshu/urls.py) ---------------------------------------


def _bare_context() -> dict[str, Any]:
    """The context of a page rendered without the request (400, 500): nothing here may query the database."""
    return {"district_name": settings.ZHONGSHU_DISTRICT_NAME}


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request itself was malformed (not a form error, which the page shows inline)."""
    return HttpResponseBadRequest(loader.render_to_string("400.html", _bare_context()))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: says what the person lacks (the policy's message names the permission)."""
    reason = str(exception) if exception is not None and str(exception) else ""
    html = loader.render_to_string("403.html", {"reason": reason}, request)
    return HttpResponseForbidden(html)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: missing, or not the person's to see (the two are not told apart)."""
    html = loader.render_to_string("404.html", {"request_path": request.path}, request)
    return HttpResponseNotFound(html)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without context processors, since the database may be what failed."""
    return HttpResponseServerError(loader.render_to_string("500.html", _bare_context()))
