"""Which chromium the browser tests drive: Debian's (`CHROMIUM_PATH`, or `chromium` on the PATH), never a browser
build that Playwright downloads. Without one, a test module is skipped locally and fails in CI (`CI=true`), where
a skipped browser test would hide a missing install step in `.ci/run`."""

import os
import shutil

import pytest

CHROMIUM_MISSING = "chromium not installed: apt-get install chromium"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def skip_module_without_chromium():
    """Call at the top of a test module. In CI it lets the module run: the `browser` fixture then fails."""
    if not CHROMIUM and not IN_CI:
        pytest.skip(CHROMIUM_MISSING, allow_module_level=True)
