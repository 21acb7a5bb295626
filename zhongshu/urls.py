from django.urls import include, path

urlpatterns = [
    path("", include("zhongshu.core.urls")),
    path("org/", include("zhongshu.org.urls")),
    path("audit/", include("zhongshu.audit.urls")),
    path("workdays/", include("zhongshu.workdays.urls")),
    path("jobs/", include("zhongshu.jobs.urls")),
    path("notify/", include("zhongshu.notify.urls")),
    path("tracking/", include("zhongshu.tracking.urls")),
    path("checking/", include("zhongshu.checking.urls")),
    path("api/v1/", include("zhongshu.api.urls")),
]

# Error pages in Chinese within the layout (zhongshu/core/views.py).
handler400 = "zhongshu.core.views.bad_request"
handler403 = "zhongshu.core.views.permission_denied"
handler404 = "zhongshu.core.views.page_not_found"
handler500 = "zhongshu.core.views.server_error"
