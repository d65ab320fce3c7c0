"""Run the `sensegrid` command as a user does: a real process with SENSEGRID_* variables."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SENSEGRID_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "sensegrid.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
