"""Bad input on every form: random text, huge values, control characters, wrong encodings.

Every view of the access matrix that accepts a POST is posted random values (hypothesis) by a
persona allowed to use it. The form's fields are read from the page itself (GET, `form` in the
context), so a new form is fuzzed as soon as it has a matrix entry. Whatever comes in:
- never a server error (the test client re-raises any exception a view lets through);
- a rejected submission (a 4xx, or the form shown again with errors) leaves every table as it was.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import MATRIX, db_fingerprint

# Text as people (and broken tools) type it: control characters, full-width forms, emoji,
# right-to-left marks, SQL and markup fragments, and very long values.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\t\r\n",
        "'; DROP TABLE members_member; --",
        "<script>alert(1)</script>",
        "１９８５年１３月",
        "0000-00-00",
        "9999-12-31",
        "-1",
        "1e309",
        "99999999999999999999999999",
        "‮反向",
        "😀" * 50,
        "王" * 5000,
        "110101199003077777",
        "11010119900307123X",
    ]
)
VALUE = st.one_of(NASTY, st.text(max_size=300), st.integers().map(str), st.dates().map(str))

# Raw bodies in another encoding: GBK bytes where UTF-8 is expected, and broken escapes.
RAW_BODIES = st.sampled_from(["姓名=张三".encode("gbk"), b"name=%ff%fe%fd", b"%%%", b"a=" + b"\xff" * 2000])


def rejected(response):
    """A client error, or the form shown again with its errors."""
    if 400 <= response.status_code < 500:
        return True
    form = response.context.get("form") if response.context else None
    return response.status_code == 200 and form is not None and bool(form.errors)


def fuzzable():
    return sorted(name for name, e in MATRIX.items() if e.post and e.may_post)


def _form_fields(client, url, fallback):
    response = client.get(url)
    form = response.context.get("form") if response.status_code == 200 and response.context else None
    names = list(form.fields) if form is not None else []
    return sorted(set(names) | set(fallback))


@pytest.mark.parametrize("name", fuzzable())
def test_random_input_never_breaks_a_form(world, client_for, name):
    entry = MATRIX[name]
    kwargs = entry.build(world) if entry.build else {}
    url = reverse(name, kwargs=kwargs or None)
    client = client_for(entry.may_post[0])
    fields = _form_fields(client, url + entry.query_for(world), entry.post(world, kwargs))

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries({field: VALUE for field in fields}), raw=RAW_BODIES)
    def post_random(data, raw):
        for body in (data, raw):
            before = db_fingerprint()
            if isinstance(body, bytes):
                response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            else:
                response = client.post(url, body)
            assert response.status_code < 500, f"POST {url}: {response.status_code}"
            if rejected(response):
                assert db_fingerprint() == before, f"POST {url} refused the input but wrote rows"

    post_random()
