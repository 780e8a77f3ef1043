"""Waiting on a condition with a deadline, for the Python tests (never a bare sleep)."""
import time


def wait_until(predicate, timeout=10.0, interval=0.02, what="the condition"):
    """Poll until predicate() is truthy (and return it), failing after the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met before the deadline ({timeout:g} s)")
        time.sleep(interval)
