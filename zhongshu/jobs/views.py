from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhongshu.core import authz, clock

from . import permissions as perms
from .selectors import job_statuses


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    authz.require(request.user, perms.JOBS_VIEW)
    statuses = job_statuses(actor=request.user, now=clock.now())
    return render(request, "jobs/job_list.html", {"statuses": statuses})
