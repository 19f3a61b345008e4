"""lianxin.pages.form_page: the one shape of a form page."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from lianxin.pages import form_page


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=20)


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _page(request, save):
    return form_page(
        request,
        NoteForm(request.POST or None),
        save=save,
        title="写说明",
        done=lambda result: f"已保存：{result}",
        next_url=lambda result: f"/done/{result}/",
        cancel_url="/back/",
    )


def test_get_shows_the_form_without_calling_the_service():
    calls = []
    response = _page(_request(), calls.append)
    assert response.status_code == 200
    assert "写说明" in response.content.decode()
    assert 'href="/back/"' in response.content.decode()
    assert calls == []


def test_valid_post_calls_the_service_once_then_redirects_with_its_message():
    calls = []

    def save(data):
        calls.append(data)
        return 7

    request = _request("post", {"note": "好"})
    response = _page(request, save)
    assert response.status_code == 302 and response["Location"] == "/done/7/"
    assert calls == [{"note": "好"}]
    assert [str(m) for m in get_messages(request)] == ["已保存：7"]


def test_service_refusal_lands_on_its_field_and_keeps_the_input():
    def save(data):
        raise ValidationError({"note": "不能写“坏”。"})

    request = _request("post", {"note": "坏"})
    response = _page(request, save)
    body = response.content.decode()
    assert response.status_code == 200
    assert "不能写“坏”。" in body and 'value="坏"' in body
    assert list(get_messages(request)) == []


def test_invalid_form_never_reaches_the_service():
    calls = []
    response = _page(_request("post", {"note": ""}), calls.append)
    assert response.status_code == 200 and calls == []


def _page_with_context(request, save, shown):
    def context():
        shown.append(True)
        return {"subject": "只在页面显示时计算"}

    return form_page(
        request,
        NoteForm(request.POST or None),
        save=save,
        title="写说明",
        done="已保存。",
        next_url="/done/",
        context=context,
    )


def test_context_callable_is_computed_only_when_the_page_is_shown():
    shown = []
    response = _page_with_context(_request("post", {"note": "好"}), lambda data: None, shown)
    assert response.status_code == 302 and shown == []

    def refuse(data):
        raise ValidationError("不行。")

    response = _page_with_context(_request("post", {"note": "好"}), refuse, shown)
    body = response.content.decode()
    assert response.status_code == 200 and shown == [True]
    assert "只在页面显示时计算" in body and "不行。" in body
