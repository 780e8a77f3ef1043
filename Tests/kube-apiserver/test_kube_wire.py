"""Fidelity: the kube-wire scenario recorded against the test API server matches every transcript of the
real kube-apiserver v1.28.4 (../shared/reference/kube-wire), as judged by the kube-wire compare tool.

The recording mostly waits (its watches run for seconds), so conftest starts it in the background when
the session begins and this test collects it."""
import subprocess
import sys

import pytest

from kube_testenv import KUBE_WIRE_REFERENCE, KUBE_WIRE_TOOL

def test_every_transcript_matches_the_real_server(kube_wire_recording):
    # Fidelity is an acceptance point: a missing tool must fail loudly, never skip silently.
    assert KUBE_WIRE_TOOL.is_dir() and KUBE_WIRE_REFERENCE.is_dir(), (
        f"kube-wire tool ({KUBE_WIRE_TOOL}) or transcripts ({KUBE_WIRE_REFERENCE}) not found: run the tests "
        "from a checkout with shared/ beside it, as CI does")
    recorded = kube_wire_recording.wait()
    compare = subprocess.run([sys.executable, str(KUBE_WIRE_TOOL / "compare.py"), str(KUBE_WIRE_REFERENCE),
                              str(recorded), "-v"], capture_output=True, text=True, timeout=60)
    transcripts = len(list(KUBE_WIRE_REFERENCE.glob("[0-9][0-9]-*.md")))
    assert compare.returncode == 0, compare.stdout
    assert f"{transcripts}/{transcripts} transcripts match" in compare.stdout, compare.stdout
