from django.urls import path

from . import views

app_name = "checking"
urlpatterns = [
    path("dictionaries/", views.dictionary, name="dictionary"),
    path("dictionaries/<str:code>/", views.dictionary, name="dictionary_of"),
    path("dictionaries/<str:code>/new/", views.entry_create, name="entry_create"),
    path("dictionaries/<str:code>/import/", views.import_view, name="import"),
    path("dictionaries/<str:code>/export.csv", views.export, name="export"),
    path("dictionaries/<str:code>/entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("dictionaries/<str:code>/entries/<int:pk>/active/", views.entry_active, name="entry_active"),
    path("dictionaries/<str:code>/shipped/<str:key>/edit/", views.shipped_edit, name="shipped_edit"),
    path("dictionaries/<str:code>/shipped/<str:key>/disable/", views.shipped_disable, name="shipped_disable"),
    path("statistics/rebuild/", views.stats_rebuild, name="stats_rebuild"),
]
