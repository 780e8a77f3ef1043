"""Fidelity: each kube-wire scenario recorded against the test API server matches every transcript of the
real kube-apiserver v1.28.4, as judged by the kube-wire compare tool: the default suite
(../shared/reference/kube-wire) and the crd suite (../shared/reference/kube-wire-crd: CRD validation, CEL
cost estimates, the client-side to server-side apply hand-over, a CRD's finalizer).

The recordings mostly wait (their watches run for seconds), so conftest starts them in the background when
the session begins and this test collects them."""
import subprocess
import sys

import pytest

from kube_testenv import KUBE_WIRE_SUITES, KUBE_WIRE_TOOL


@pytest.mark.parametrize("suite", sorted(KUBE_WIRE_SUITES))
def test_every_transcript_matches_the_real_server(kube_wire_recordings, suite):
    reference, _ = KUBE_WIRE_SUITES[suite]
    # Fidelity is an acceptance point: a missing tool must fail loudly, never skip silently.
    assert KUBE_WIRE_TOOL.is_dir() and reference.is_dir(), (
        f"kube-wire tool ({KUBE_WIRE_TOOL}) or transcripts ({reference}) not found: run the tests "
        "from a checkout with shared/ beside it, as CI does")
    recorded = kube_wire_recordings[suite].wait()
    compare = subprocess.run([sys.executable, str(KUBE_WIRE_TOOL / "compare.py"), str(reference),
                              str(recorded), "-v"], capture_output=True, text=True, timeout=60)
    transcripts = len(list(reference.glob("[0-9][0-9]-*.md")))
    assert transcripts > 0, f"no transcripts in {reference}"
    # Every transcript, the crd suite's CEL cost estimates (00, 01) included.
    assert compare.returncode == 0, compare.stdout
    assert f"{transcripts}/{transcripts} transcripts match" in compare.stdout, compare.stdout
