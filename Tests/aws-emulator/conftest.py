"""pytest fixtures of the emulator's tests; the harness itself is emulator_harness.py (a module
name of its own: several test directories run in one pytest, and each has a conftest)."""
from emulator_harness import emu, emulator  # noqa: F401  (fixtures)
