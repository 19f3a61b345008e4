"""Long work as tasks, with progress (big exports, batches of PDFs, big imports).

- `registry.register(key, label=…, run=…)`: each app's `jobs.py` says what it can run.
- `services.job_start(...)`: a view queues a job and sends the user to its page.
- `runner.run`: what the task `lianxin.tasks.run_job` does on the worker (`manage.py db_worker`,
  the same worker as the daily jobs): progress, file, failure.
- `recovery`: jobs whose worker died, and files past their time (the daily job `expire_jobs`).
- `views`: 我的导出, a job's page, its JSON for polling, its download (own jobs only).
"""
