"""The dictionary pages, and the panel and dismissals in tracking's pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongshu.checking import dictionaries as dicts
from zhongshu.checking import services
from zhongshu.checking.models import DictionaryEntry

pytestmark = pytest.mark.django_db


def test_the_list_shows_shipped_and_own_entries(district, client, django_assert_max_num_queries):
    services.entry_save(actor=district.admin, dictionary="w1", values={"wrong": "交辨", "correct": "交办"})
    client.force_login(district.admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("checking:dictionary_of", args=["w1"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "布署" in page
    assert "交辨" in page
    assert "本单位" in page
    assert "内置" in page
    assert "增加" in page
    assert "错误写法：" in page
    search = client.get(reverse("checking:dictionary_of", args=["w1"]), {"q": "交辨"}).content.decode()
    assert "<td>交辨</td>" in search
    assert "<td>布署</td>" not in search


def test_non_admins_get_403(district, client):
    client.force_login(district.ducha)
    assert client.get(reverse("checking:dictionary")).status_code == 403
    assert client.get(reverse("checking:export", args=["w1"])).status_code == 403
    response = client.post(reverse("checking:entry_create", args=["w1"]), {"wrong": "交辨", "correct": "交办"})
    assert response.status_code == 403
    assert not DictionaryEntry.objects.exists()


def test_add_an_entry_on_the_form_keeps_input_on_error(district, client):
    client.force_login(district.admin)
    url = reverse("checking:entry_create", args=["w1"])

    bad = client.post(url, {"wrong": "交辨", "correct": "交辨"})
    assert bad.status_code == 400
    assert "正确写法不能与错误写法相同。" in bad.content.decode()
    assert 'value="交辨"' in bad.content.decode()

    good = client.post(url, {"wrong": "交辨", "correct": "交办", "note": "形近"})
    assert good.status_code == 302
    assert DictionaryEntry.objects.get().fields["note"] == "形近"


def test_edit_and_disable_a_shipped_entry_from_the_page(district, client):
    client.force_login(district.admin)
    shipped = dicts.shipped_rows("w1")[0]
    key = dicts.W1.key_of(shipped)

    form = client.get(reverse("checking:shipped_edit", args=["w1", key]))
    assert form.status_code == 200
    assert shipped["correct"] in form.content.decode()
    client.post(reverse("checking:shipped_edit", args=["w1", key]), {**shipped, "note": "本单位说明"})
    entry = DictionaryEntry.objects.get()
    assert entry.shipped
    assert entry.fields["note"] == "本单位说明"
    assert entry.fields["wrong"] == shipped["wrong"]

    client.post(reverse("checking:entry_active", args=["w1", entry.pk]), {"active": "0"})
    entry.refresh_from_db()
    assert not entry.active

    other = dicts.shipped_rows("w1")[1]
    client.post(reverse("checking:shipped_disable", args=["w1", dicts.W1.key_of(other)]))
    assert not DictionaryEntry.objects.get(key=dicts.W1.key_of(other)).active


def test_import_page_lists_row_errors_and_writes_nothing(district, client):
    client.force_login(district.admin)
    upload = SimpleUploadedFile("w1.csv", "wrong,correct\n交辨,交辨\n".encode(), content_type="text/csv")

    response = client.post(reverse("checking:import", args=["w1"]), {"file": upload})

    assert response.status_code == 400
    page = response.content.decode()
    assert "没有导入任何词条" in page
    assert "正确写法不能与错误写法相同。" in page
    assert not DictionaryEntry.objects.exists()


def test_export_downloads_a_csv(district, client):
    client.force_login(district.admin)

    response = client.get(reverse("checking:export", args=["w4"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("id,standard,variants,")


def test_the_item_form_carries_the_panel_and_the_item_page_shows_dismissals(district, client, make_item):
    client.force_login(district.ducha)
    form = client.get(reverse("tracking:item_create")).content.decode()
    assert 'data-proofread-panel data-target="id_content" data-doc-key="tracking:request:' in form
    assert "js/proofread-panel.js" in form

    item = make_item()
    services.dismiss(
        actor=district.ducha, doc_key=f"tracking:item:{item.pk}", rule="W1", text="布署", reason="引用原文"
    )
    page = client.get(reverse("tracking:item_detail", args=[item.pk])).content.decode()
    assert "已忽略的文字校核提示（1）" in page
    assert "引用原文" in page


def test_dictionary_changes_appear_in_the_audit_log(district, client):
    entry = services.entry_save(actor=district.admin, dictionary="w1", values={"wrong": "交辨", "correct": "交办"})
    client.force_login(district.admin)

    page = client.get(reverse("audit:log")).content.decode()
    timeline = client.get(reverse("audit:timeline", args=["checking.dictionaryentry", entry.pk]))

    assert "增加校核词条" in page
    assert timeline.status_code == 200
    assert "交辨" in timeline.content.decode()
