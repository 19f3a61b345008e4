"""Request middleware of our own."""

import time

from django.utils.cache import add_never_cache_headers

# Push the session's expiry forward at most this often.
SESSION_REFRESH_SECONDS = 300
REFRESHED_AT = "_refreshed_at"


def session_fresh_at_login(sender, request, user, **kwargs):
    """A login saves the session with a full expiry: the first page need not save it again."""
    if getattr(request, "session", None) is not None:
        request.session[REFRESHED_AT] = int(time.time())


class SessionRefreshMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE) without a database write on every page view.

    SESSION_SAVE_EVERY_REQUEST would turn each read of a page into an UPDATE of the session
    row on the primary; this saves the session — and so extends its expiry — once every five
    minutes of activity. A user is logged out after SESSION_COOKIE_AGE minus at most five
    minutes of inactivity. Sits below SessionMiddleware, so its change is saved on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key:  # a stored session; anonymous visits have none
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now
        return response


WROTE_AT = "_wrote_at"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def wrote_at(request):
    """When this session last sent a request that may have written (epoch seconds, 0 if never)."""
    session = getattr(request, "session", None)
    return session.get(WROTE_AT, 0) if session is not None else 0


class LastWriteMiddleware:
    """The session notes when its user last wrote (any non-GET request that did not fail).

    Pages that serve a short-lived copy of what they computed (the 工作台) compare it with this,
    so the user's own change shows at once. It is in the session, not in a process's memory,
    so every web process of the deployment sees it. One session save per write, none per read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        wrote = request.method not in SAFE_METHODS and response.status_code < 400
        if wrote and user is not None and user.is_authenticated:  # not after a logout: no empty session
            request.session[WROTE_AT] = time.time()
        return response


class NoStoreMiddleware:
    """No page or file of lianxin is kept by a browser or a proxy cache.

    Nearly every response carries personal data (a member page, a 名册, an attachment), and a
    shared office computer's cache or back button must not show it to the next person. The rule
    covers every response rather than a list of pages, so a new page cannot be forgotten; the
    login page loses nothing by it. Static files are served outside Django and keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(
            response
        )  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response
