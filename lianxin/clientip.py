"""The client's own address, also behind a reverse proxy (the key of the login lockout).

Without it, every login behind nginx comes from 127.0.0.1, the lockout's username+address key
becomes the username alone, and anyone anywhere can keep a secretary locked out by failing five
times every quarter of an hour. Each of the PROXY_COUNT proxies in front of lianxin appends the
address it saw to X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right;
entries further left were written by the client itself and are not believed.
"""

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:  # the request did not come through all the proxies
        return remote
    return forwarded[-proxies]
