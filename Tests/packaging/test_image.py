"""The Dockerfile, read statically (no image is built here): a Swift build stage and a slim Debian
runtime with only the libraries Lifeboat calls, both binaries and kubectl-dr, a non-root user that
matches the Deployment, an exec-form entrypoint, nothing fetched by ADD; checkov's Dockerfile
checks pass; `make image` finds docker or podman or says it found neither."""
import json
import re
import shlex
import subprocess

import pytest

from packaging_support import ROOT, find, render

TEXT = (ROOT / "Dockerfile").read_text()


def instructions():
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in TEXT.splitlines() if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
            for line in joined.splitlines() if line.strip()]


def stages():
    found = []
    for instruction, arguments in instructions():
        if instruction == "FROM":
            found.append({"from": arguments, "steps": []})
        else:
            found[-1]["steps"].append((instruction, arguments))
    return found


def apt_packages(stage):
    packages = []
    for instruction, arguments in stage["steps"]:
        if instruction == "RUN" and "apt-get install" in arguments:
            words = shlex.split(arguments.split("apt-get install", 1)[1].split("&&")[0])
            assert "--no-install-recommends" in words
            packages += [w for w in words if not w.startswith("-")]
            assert "rm -rf /var/lib/apt/lists/*" in arguments
    return packages


def test_two_stages_swift_then_slim_debian_of_the_same_release():
    build, runtime = stages()
    assert re.fullmatch(r"swift:6\.\d+-bookworm AS build", build["from"])
    assert runtime["from"] == "debian:bookworm-slim"


def test_the_build_stage_builds_both_products_for_release_with_the_swift_runtime_inside():
    build = stages()[0]
    runs = " ".join(a for i, a in build["steps"] if i == "RUN")
    for product in ("lifeboat-operator", "drctl"):
        assert f"swift build -c release --static-swift-stdlib --product {product}" in runs
    assert "ln -s drctl /out/usr/local/bin/kubectl-dr" in runs
    assert set(apt_packages(build)) == {"libcurl4-openssl-dev", "libyaml-dev", "libssl-dev", "libxml2-dev", "pkg-config"}


def test_the_runtime_has_only_the_libraries_lifeboat_calls():
    assert apt_packages(stages()[1]) == ["libcurl4", "libyaml-0-2", "libxml2", "ca-certificates"]


def test_the_runtime_gets_only_the_binaries_from_the_build():
    runtime = stages()[1]
    copies = [a for i, a in runtime["steps"] if i == "COPY"]
    assert copies == ["--from=build /out/ /"]


def test_it_runs_as_the_non_root_user_the_deployment_names():
    users = [a for i, a in instructions() if i == "USER"]
    assert users == ["65532:65532"]
    assert [i for i, _ in stages()[1]["steps"]][-2:] == ["USER", "ENTRYPOINT"]
    pod = find(render("base"), "Deployment")["spec"]["template"]["spec"]
    assert (pod["securityContext"]["runAsUser"], pod["securityContext"]["runAsGroup"]) == (65532, 65532)


def test_the_entrypoint_is_the_operator_in_exec_form():
    (entrypoint,) = [a for i, a in instructions() if i == "ENTRYPOINT"]
    assert json.loads(entrypoint) == ["/usr/local/bin/lifeboat-operator"]
    container = find(render("base"), "Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == json.loads(entrypoint)


def test_nothing_is_fetched_by_add():
    assert not [a for i, a in instructions() if i == "ADD"]
    assert not re.search(r"\b(curl|wget)\b", " ".join(a for i, a in instructions() if i == "RUN"))


def test_the_build_context_leaves_build_output_and_venvs_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".build/", ".venv-checkov/", ".git/"} <= set(ignored)


def test_checkov_passes_the_dockerfile():
    checkov = ROOT / ".venv-checkov" / "bin" / "checkov"
    assert checkov.exists(), "checkov is missing: run scripts/bootstrap"
    done = subprocess.run([str(checkov), "--file", str(ROOT / "Dockerfile"), "--framework", "dockerfile", "--output",
                           "json", "--skip-download", "--compact"], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    assert report["results"]["failed_checks"] == []
    assert [(c["check_id"], bool(c["check_result"].get("suppress_comment"))) for c in report["results"]["skipped_checks"]] \
        == [("CKV_DOCKER_2", True)]


@pytest.mark.parametrize("engines, expected", [((), "neither docker nor podman is installed"),
                                               (("podman",), "podman build -t lifeboat-operator:")])
def test_make_image_finds_an_engine_or_says_none_was_found(tmp_path, engines, expected):
    """With PATH holding only stand-ins (that record and succeed), `make image` picks what is there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sed", "sh", "make", "echo"):
        path = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True).stdout.strip()
        if path.startswith("/"):
            (bin_dir / tool).symlink_to(path)
    for engine in engines:
        (bin_dir / engine).write_text(f"#!/bin/sh\necho \"$0 $*\" > {bin_dir / 'called'}\n")
        (bin_dir / engine).chmod(0o755)
    done = subprocess.run(["make", "--no-print-directory", "image"], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": str(bin_dir)}, timeout=60)
    assert expected in done.stdout + done.stderr
    if engines:
        assert done.returncode == 0, done.stderr
        assert (bin_dir / "called").read_text().startswith(f"{bin_dir / engines[0]} build --build-arg VERSION=")
    else:
        assert done.returncode != 0
