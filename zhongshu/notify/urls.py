from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open", views.open_message, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("preference/", views.preference, name="preference"),
    path("channels/", views.channel_rules, name="channels"),
    path("failures/", views.failures, name="failures"),
    path("failures/<int:pk>/retry/", views.retry, name="retry"),
]
