"""Background jobs run once per period across instances: two `kexie serve` processes on one PostgreSQL
database, every job on a 2-second interval (KEXIE_JOBS_INTERVAL): both serve for about 10 seconds, then the
first stops and the second serves alone for 6 more. Each job must have run in every period of that window
exactly once, the process that lost a claim must have tried too (`contenders`), and the second process must
have taken over when the first stopped.

Runs when KEXIE_E2E_POSTGRES names a server and `psql` is on PATH; .ci/run sets it to its throwaway cluster."""
import os
import shutil
import subprocess
import time
import uuid

import pytest

from operator_cli import Serving, kexie

POSTGRES = os.environ.get("KEXIE_E2E_POSTGRES", "")

# The jobs the modules register (KexieModule.backgroundJobs), written out so a job that stops being
# scheduled fails the test.
JOBS = {
    "platform.purge_files",
    "platform.review_reminders",
    "events.finish_ended",
    "members.purge_import_previews",
    "servicehall.auto_close",
    "servicehall.escalate_overdue",
    "plans.refresh_targets",
    "innovation.seal_contact_phones",
    "innovation.expire_demands",
}


def psql(url, sql):
    result = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", sql], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def database():
    name = f"kexie_jobs_{uuid.uuid4().hex[:8]}"
    admin = POSTGRES.rstrip("/") + "/postgres"
    psql(admin, f"CREATE DATABASE {name}")
    yield POSTGRES.rstrip("/") + "/" + name
    psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.skipif(not POSTGRES or not shutil.which("psql"), reason="KEXIE_E2E_POSTGRES and psql needed")
def test_two_instances_run_each_job_once_per_period(tmp_path, database):
    data = str(tmp_path / "data")
    kexie(data, "migrate", database_url=database)
    faster = {"KEXIE_JOBS_INTERVAL": "2"}
    first = Serving(data, database, extra_env=faster)
    second = None
    try:
        second = Serving(data, database, extra_env=faster)
        time.sleep(10)
        first.stop()
        first = None
        time.sleep(6)
    finally:
        for server in (first, second):
            if server:
                server.stop()

    rows = [line.split("\t") for line in psql(
        database, "SELECT job, period, instance, outcome, contenders FROM platform_job_runs ORDER BY job, period").splitlines()]
    by_job = {}
    for job, period, instance, outcome, contenders in rows:
        by_job.setdefault(job, []).append((int(period), instance, outcome, int(contenders)))
    assert set(by_job) == JOBS, sorted(by_job)

    instances = {instance for runs in by_job.values() for _, instance, _, _ in runs}
    assert len(instances) == 2, f"both processes ran jobs (the second at least after the first stopped): {instances}"
    for job, runs in by_job.items():
        periods = [period for period, _, _, _ in runs]
        assert len(periods) == len(set(periods)), f"{job} ran twice in a period: {periods}"
        # Every period from the first run to the last ran (each 2-second period was claimed by someone).
        assert periods == list(range(periods[0], periods[-1] + 1)), f"{job} skipped a period: {periods}"
        assert len(periods) >= 4, f"{job}: {periods}"
        assert {outcome for _, _, outcome, _ in runs} == {"done"}, f"{job}: {runs}"
        assert len({instance for _, instance, _, _ in runs}) == 2, f"{job} ran on one process only: {runs}"
    lost = sum(contenders for runs in by_job.values() for _, _, _, contenders in runs)
    assert lost > 0, "the other instance tried the same periods and lost the claim"
    print(f"job runs: {len(rows)} over {len(by_job)} jobs; instances {sorted(instances)}; lost claims {lost}")
