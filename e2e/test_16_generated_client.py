"""A client generated from the running server's /api/openapi.yaml works as generated: openapi-python-client
writes a Python package into a temporary folder (nothing generated is kept in the repository), and a short
script with no hand edits lists the published supplies, submits a case anonymously and tracks it.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from conftest import ARTIFACTS, ROOT

# Written the way an integrator would, against the generated package only.
SCRIPT = r'''
import re
import sys

from kexie_client import Client
from kexie_client.api.default import get_cases_track_tracking_number, get_supplies, post_cases
from kexie_client.models import CaseSubmission, CaseType, PostingPage, SubmittedCase, TrackedCase

# The public operations need no token; an anonymous client is what a citizen's app uses.
client = Client(base_url=sys.argv[1] + "/api/v1", raise_on_unexpected_status=True)

page = get_supplies.sync(client=client, per=5)
assert isinstance(page, PostingPage), page
assert page.total >= 1 and page.items, page
assert all(item.state == "published" for item in page.items), [item.state for item in page.items]
print("supplies:", page.total, "|", page.items[0].title)

submission = CaseSubmission(
    type_=CaseType.SUGGESTION,
    title="建议在东港市增设科技志愿服务站",
    content="东港市新区的中小学较多，希望科协在新区增设一处科技志愿服务站，方便组织科普活动。",
    contact_name="林晓",
    contact_phone="13912345678",
)
submitted = post_cases.sync(client=client, body=submission)
assert isinstance(submitted, SubmittedCase), submitted
assert re.fullmatch(r"KX-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", submitted.tracking_number), submitted
print("submitted:", submitted.tracking_number, "| accept by", submitted.accept_due.isoformat())

tracked = get_cases_track_tracking_number.sync(submitted.tracking_number, client=client)
assert isinstance(tracked, TrackedCase), tracked
assert tracked.tracking_number == submitted.tracking_number
assert tracked.state == "待受理", tracked.state
assert tracked.type_ == "建言献策", tracked.type_
assert tracked.title == submission.title
assert tracked.accept_due == submitted.accept_due
assert [step.label for step in tracked.steps] == ["已提交，等待受理"], tracked.steps
print("tracked:", tracked.state, "|", tracked.steps[0].label)
'''


def generate_client(server, folder):
    config = folder / "config.yaml"
    # Package name fixed (the document's title is Chinese); no post hooks, so no formatter is needed.
    config.write_text("project_name_override: kexie-client\npackage_name_override: kexie_client\npost_hooks: []\n")
    executable = shutil.which("openapi-python-client")
    command = ([executable] if executable else [sys.executable, "-m", "openapi_python_client"]) + [
        "generate", "--url", f"{server.base}/api/openapi.yaml", "--meta", "none", "--config", str(config),
        "--output-path", str(folder / "kexie_client"),
    ]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "kexie_client" / "api" / "default" / "post_cases.py").exists(), result.stdout + result.stderr
    return result.stdout + result.stderr


def test_a_generated_python_client_lists_supplies_submits_a_case_and_tracks_it(demo_server):
    folder = pathlib.Path(tempfile.mkdtemp(prefix="kexie-client-"))
    try:
        generation = generate_client(demo_server, folder)
        script = folder / "use_client.py"
        script.write_text(SCRIPT, encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(folder))
        result = subprocess.run(
            [sys.executable, str(script), demo_server.base], cwd=folder, env=env, capture_output=True, text=True, timeout=120)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "generated-client.txt").write_text(
            "== generation\n" + generation + "\n== script\n" + result.stdout + result.stderr, encoding="utf-8")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "tracked: 待受理" in result.stdout, result.stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)
