from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("verify/", views.verify, name="verify"),
    path("timeline/<str:target_type>/<str:target_id>/", views.timeline, name="timeline"),
]
