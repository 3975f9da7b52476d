"""The API keeps the contract it publishes: schemathesis generates requests from the running server's own
/api/openapi.yaml and runs every check (status codes, response schemas, content types, negative and positive
data, authentication, unsupported methods, stateful links) with a member's token and with an organization
administrator's. Both runs must end without a single failure.

Per-check counts of the cases checked and the failures go to e2e/artifacts/api-contract.json.
The settings that are not schemathesis defaults, each with its reason, are in e2e/schemathesis/.
"""
import collections
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from conftest import ARTIFACTS, BINARY, ROOT

SETTINGS = ROOT / "e2e" / "schemathesis"
# A small budget keeps this test at about a minute on two cores; the coverage phase still sends every
# boundary value (lengths, ranges, enums, missing fields, wrong types) of every operation once.
MAX_EXAMPLES = 5
SEED = 20261207
# Each token may make 1200 requests a minute; a run sends a few thousand, spread over these tokens.
TOKENS_PER_ACCOUNT = 4


def api_tokens(server, username, count):
    """Tokens made the way an operator makes them, with `kexie token create`."""
    env = dict(os.environ, KEXIE_DATA_DIR=server.data, KEXIE_RESOURCES_DIR=str(ROOT))
    env.pop("DATABASE_URL", None)
    tokens = []
    for number in range(count):
        result = subprocess.run(
            [BINARY, "token", "create", "--user", username, "--name", f"契约测试 {number + 1}"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        token = result.stdout.strip().splitlines()[-1]
        assert token.startswith("kx_"), result.stdout
        tokens.append(token)
    return tokens


def schemathesis_executable():
    found = shutil.which("st") or shutil.which("schemathesis")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]


def run_schemathesis(server, tokens, label):
    """Runs `st run --checks all` and returns (exit code, summary, output)."""
    reports = pathlib.Path(tempfile.mkdtemp(prefix=f"kexie-st-{label}-"))
    env = dict(os.environ, SCHEMATHESIS_HOOKS=str(SETTINGS / "hooks.py"), KEXIE_API_TOKENS=",".join(tokens))
    command = schemathesis_executable() + [
        "--config-file", str(SETTINGS / "schemathesis.toml"), "--no-color",
        "run", f"{server.base}/api/openapi.yaml",
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--report", "ndjson,json", "--report-dir", str(reports),
    ]
    # Run from the report folder: schemathesis keeps a cache folder in its working directory.
    result = subprocess.run(command, cwd=reports, env=env, capture_output=True, text=True, timeout=600)
    summary = summarize(reports)
    shutil.rmtree(reports, ignore_errors=True)
    return result.returncode, summary, result.stdout + result.stderr


def summarize(reports):
    """Cases and failures per check, read from the NDJSON event stream; totals from the JSON report."""
    checks = collections.defaultdict(collections.Counter)
    for path in reports.glob("*.ndjson"):
        for line in path.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            # A scenario skipped before sending anything records no checks.
            for results in finished["recorder"].get("checks", {}).values():
                for check in results:
                    checks[check["name"]][check["status"]] += 1
    report = {}
    for path in reports.glob("*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
    return {
        "schemathesis": report.get("schemathesis_version"),
        "operations": report.get("operations", {}).get("tested"),
        "generated_cases": report.get("test_cases", {}).get("generated"),
        "cases_with_failures": report.get("test_cases", {}).get("with_failures"),
        "checks": {
            name: {"cases": sum(counts.values()), "failures": counts.get("failure", 0)}
            for name, counts in sorted(checks.items())
        },
    }


def test_the_api_keeps_its_published_contract_for_a_member_and_an_administrator(demo_server):
    results, outputs = {}, {}
    # The member first: the administrator's run renames, moves and deactivates organizations.
    for label, username in (("member", "demo.member"), ("orgadmin", "demo.orgadmin")):
        tokens = api_tokens(demo_server, username, TOKENS_PER_ACCOUNT)
        code, summary, outputs[label] = run_schemathesis(demo_server, tokens, label)
        results[label] = dict(summary, account=username, exit_code=code)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "api-contract.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    for label, result in results.items():
        failing = {name: c["failures"] for name, c in result["checks"].items() if c["failures"]}
        assert result["exit_code"] == 0 and not failing, f"schemathesis ({result['account']}) found problems {failing}:\n{outputs[label][-8000:]}"
        assert result["generated_cases"] and result["checks"], outputs[label][-3000:]
