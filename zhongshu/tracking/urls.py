"""Pages of 督查督办: the board and items (views.py), statistics (views_stats.py), ledgers, bulletins and
printable notices (views_exports.py)."""

from django.urls import path

from . import views, views_exports, views_stats

app_name = "tracking"

urlpatterns = [
    path("", views.board, name="board"),
    path("remind/", views.board_remind, name="board_remind"),
    path("new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/split/", views.item_split, name="item_split"),
    path("items/<int:pk>/<slug:action>/", views.item_action, name="item_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("leader/", views.leader, name="leader"),
    path("config/", views.config, name="config"),
    path("dashboard/", views_stats.dashboard, name="dashboard"),
    path("stats/", views_stats.stats, name="stats"),
    path("ledger/", views_exports.ledger, name="ledger"),
    path("ledger/download/", views_exports.ledger_download, name="ledger_download"),
    path("ledger/template/", views_exports.ledger_template, name="ledger_template"),
    path("ledger/snapshots/<int:pk>/", views_exports.snapshot_download, name="snapshot_download"),
    path("bulletins/", views_exports.bulletins, name="bulletins"),
    path("notices/<int:pk>.docx", views_exports.notice_docx, name="notice_docx"),
]
