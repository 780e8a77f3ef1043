"""checkov (pinned by scripts/bootstrap, in .venv-checkov) scans every rendered kustomization: no
check fails, and each check skipped is skipped on purpose, with its reason in a
`checkov.io/skipN: CKV_…=reason` annotation next to the resource."""
import json
import subprocess

import pytest

from packaging_support import INSTALLS, ROOT, rendered_text

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
# The skips, each justified where it is made (manifests/base/deployment.yaml).
EXPECTED_SKIPS = {"CKV_K8S_15", "CKV_K8S_43"}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    assert CHECKOV.exists(), "checkov is missing: run scripts/bootstrap (it installs checkov into .venv-checkov)"
    folder = tmp_path_factory.mktemp("rendered")
    for install in INSTALLS:
        (folder / f"{install.replace('/', '_').replace('.', 'default')}.yaml").write_text(rendered_text(install))
    done = subprocess.run([str(CHECKOV), "--directory", str(folder), "--framework", "kubernetes", "--output", "json",
                           "--skip-download", "--compact"], capture_output=True, text=True, timeout=600, cwd=folder)
    assert done.returncode in (0, 1), done.stderr  # 1: failed checks, reported below
    result = json.loads(done.stdout)
    return result if isinstance(result, dict) else next(r for r in result if r["check_type"] == "kubernetes")


def test_no_check_fails(report):
    failed = [(c["check_id"], c["check_name"], c["resource"], c["file_path"]) for c in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 200  # the scan really ran over every object


def test_every_skip_is_annotated_with_its_reason(report):
    skipped = report["results"]["skipped_checks"]
    assert {c["check_id"] for c in skipped} == EXPECTED_SKIPS
    for check in skipped:
        reason = check["check_result"].get("suppress_comment") or ""
        assert len(reason.split()) >= 5, f"{check['check_id']} on {check['resource']} is skipped without a reason"
