"""Evidence attached to a search attempt: stored where no URL reaches it, downloaded only within
scope, as an attachment, not cached, and recorded; refused uploads say why (issue 14, item 9)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.models import Disclosure
from lianxin.storage import private_storage
from tests.factories import CaseFactory, MemberFactory
from tracing import services
from tracing.models import SearchAttempt

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case(world, org):
    member = MemberFactory(organization=org("branch_a1"), name="赵立新")
    return CaseFactory(member=member, opened_by=world.users["branch_a1"])


def upload(client, case, name="公安回复-赵立新-610581198503150017.png", content=PNG):
    data = {
        "searched_at": "2026-11-01T10:00",
        "channel": "police",
        "process": "公安户籍查询",
        "result": "no_trace",
        "attachment": SimpleUploadedFile(name, content, content_type="image/png"),
    }
    return client.post(reverse("tracing:attempt_add", args=[case.pk]), data)


def test_an_uploaded_attachment_is_stored_privately_under_a_name_of_our_own(
    world, client_for, case, settings
):
    assert upload(client_for("branch_a1"), case).status_code == 302
    stored = SearchAttempt.objects.get().attachment
    path = Path(stored.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "赵立新" not in stored.name and "610581" not in stored.name and stored.name.endswith(".png")
    assert path.read_bytes() == PNG
    with pytest.raises(ValueError):
        stored.url  # noqa: B018  (a private file has no address)


def test_the_case_page_links_the_download_and_the_scope_gets_it_recorded(world, client_for, case):
    upload(client_for("branch_a1"), case)
    attempt = SearchAttempt.objects.get()
    url = reverse("tracing:attempt_attachment", args=[attempt.pk])
    page = client_for("branch_a1").get(reverse("tracing:case_detail", args=[case.pk])).content.decode()
    assert f'href="{url}"' in page and attempt.attachment.name not in page
    for persona in ("branch_a1", "committee_a", "county"):
        response = client_for(persona).get(url)
        assert response.status_code == 200, persona
        assert b"".join(response.streaming_content) == PNG
        assert response.headers["Content-Type"] == "image/png"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "赵立新" not in disposition
        assert "no-store" in response.headers["Cache-Control"]
    records = Disclosure.objects.filter(kind=Disclosure.Kind.ATTACHMENT)
    assert records.count() == 3
    assert {r.user.username for r in records} == {"branch_a1", "committee_a", "county"}
    assert all(r.organization == case.organization and "赵立新" in r.subject for r in records)


def test_outside_scope_the_attachment_does_not_exist(world, client_for, case):
    upload(client_for("branch_a1"), case)
    url = reverse("tracing:attempt_attachment", args=[SearchAttempt.objects.get().pk])
    for persona in ("branch_a2", "committee_b"):
        assert client_for(persona).get(url).status_code == 404
    assert client_for("branch_a1").get(reverse("tracing:attempt_attachment", args=[10**9])).status_code == 404
    assert not Disclosure.objects.exists()


def test_an_attempt_without_attachment_has_nothing_to_download(world, client_for, case):
    attempt = services.attempt_log(
        case=case, acting_user=world.users["branch_a1"], channel="phone", process="电话", result="no_trace"
    )
    url = reverse("tracing:attempt_attachment", args=[attempt.pk])
    assert client_for("branch_a1").get(url).status_code == 404
    assert not Disclosure.objects.exists()


def test_no_url_serves_the_stored_files(world, client_for, case):
    upload(client_for("branch_a1"), case)
    name = SearchAttempt.objects.get().attachment.name
    client = client_for("county")
    for prefix in ("/media/", "/private/", "/static/"):
        assert client.get(prefix + name).status_code == 404, prefix
    assert private_storage().exists(name)


def test_wrong_type_or_size_is_refused_in_chinese_and_nothing_kept(world, client_for, case, settings):
    client = client_for("branch_a1")
    page = upload(client, case, name="run.exe", content=b"MZ\x90\x00").content.decode()
    assert "附件只能是 JPG、PNG 图片或 PDF 文件" in page
    page = upload(client, case, name="photo.png", content=b"<html>not an image").content.decode()
    assert "附件内容与文件类型不符" in page
    settings.LIANXIN = {**settings.LIANXIN, "ATTACHMENT_MAX_BYTES": 1024 * 1024}
    page = upload(client, case, content=PNG + b"\x00" * (1024 * 1024)).content.decode()
    assert "附件不能超过 1 MB" in page
    assert not SearchAttempt.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))


def test_files_saved_before_the_move_go_to_the_private_folder(world, case, settings):
    """The data migration: an attachment saved under MEDIA_ROOT moves to PRIVATE_MEDIA_ROOT."""
    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from lianxin.storage import move_to_private

    old_name = default_storage.save("attempts/1/old-upload.png", ContentFile(PNG))
    attempt = services.attempt_log(
        case=case, acting_user=world.users["branch_a1"], channel="phone", process="电话", result="no_trace"
    )
    attempt.attachment.name = old_name
    attempt.save()
    move_to_private(apps, None, "tracing.SearchAttempt", "attachment")
    assert not default_storage.exists(old_name)
    assert private_storage().open(old_name).read() == PNG


def test_the_private_folder_is_apart_from_every_served_folder():
    import lianxin.settings as configured  # the values of a deployment, not of this test run

    private = Path(configured.PRIVATE_MEDIA_ROOT).resolve()
    served = [configured.MEDIA_ROOT, configured.STATIC_ROOT, *configured.STATICFILES_DIRS]
    for folder in map(lambda f: Path(f).resolve(), served):
        assert not private.is_relative_to(folder) and not folder.is_relative_to(private)
