"""The benchmark (`manage.py bench`, `make bench`): it composes every app, so it lives in the
top layer. The synthetic province is built by the core and each app's `synthetic.py`
(lianxin/synthetic.py); here are the measurements:

- measure: timing (median, p95), queries, traced memory, process RSS, the CPU check;
- pages: every page per tier, interleaved; scope filters compared;
- exports: the 统计表 per level, one 全程纪实表, the import of 100,000 rows;
- worker: the province's 名册 and 100 全程纪实表 through a real `db_worker`, pages timed meanwhile;
- table: the printed table, the targets, docs/bench.json and the growth across sizes.
"""
