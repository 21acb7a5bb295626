from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.year_view, name="year"),
    path("<int:year>/", views.year_view, name="year"),
    path("day/<str:date>/", views.day_view, name="day"),
    path("day/<str:date>/clear/", views.day_clear_view, name="day_clear"),
    path("arrangement/<int:year>/", views.arrangement_view, name="arrangement"),
    path("overrides/", views.override_list, name="overrides"),
]
