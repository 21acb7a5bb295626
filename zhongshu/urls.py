from django.urls import include, path

urlpatterns = [
    path("", include("zhongshu.core.urls")),
    path("org/", include("zhongshu.org.urls")),
    path("audit/", include("zhongshu.audit.urls")),
    path("workdays/", include("zhongshu.workdays.urls")),
    path("api/v1/", include("zhongshu.api.urls")),
]
