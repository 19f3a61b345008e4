"""The vocabulary of the access matrix (tests/test_access_matrix.py).

Each app lists its views in `tests/<app>/matrix.py` as `ENTRIES = {"<namespace>:<name>": Entry(...)}`;
the matrix test gathers them, so engineers working on different apps never edit one shared table.

Each entry builds an object that belongs to branch_a1 (610581001001, under committee_a 610581001).
Then, per persona:
- anonymous                              → redirect to the login page
- branch_a1, committee_a, county         → may see it (GET 200, or the status given)
- branch_a2 (other branch), committee_b  → 404 (when the URL names an object)
- a POST without the right               → 403 or 404, and nothing in the database changes

A `public` entry (the 归队码 pages, `/r/…`) needs no login: anonymous and every persona get it.
"""

from dataclasses import dataclass, field

INSIDE = ("branch_a1", "committee_a", "county")
OUTSIDE = ("branch_a2", "committee_b")
BRANCH_A1 = "610581001001"


@dataclass
class Entry:
    build: object = None  # world -> kwargs for reverse(); None for pages without an object
    post: object = None  # (world, kwargs) -> form data for a write (None: GET only)
    may_post: tuple = ()  # personas whose POST is allowed (their result is not checked here)
    expect_get: dict = field(default_factory=dict)  # persona -> status, overriding the default
    get_status: int | None = None  # the GET status for every persona (e.g. 405 for POST-only views)
    query: object = ""  # appended to the URL for GETs: "?org=…", or world -> str (pages driven by parameters)
    public: bool = False  # a page without login (its object is named by an unguessable code)

    def query_for(self, world):
        return self.query(world) if callable(self.query) else self.query
