"""Long work as tasks, with progress (big exports, batches of PDFs, big imports).

- `registry.register(key, label=…, run=…)`: each app's `jobs.py` says what it can run.
- `services.job_start(...)`: a view queues a job and sends the user to its page.
- `runner.run_job`: the task the worker (`manage.py db_worker`) runs; progress, file, failure.
- `recovery`: jobs whose worker died, and files past their time (`manage.py expire_jobs`).
- `views`: 我的导出, a job's page, its JSON for polling, its download (own jobs only).
"""
