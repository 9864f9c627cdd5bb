"""The runner's own process stays light: pandas and the statistics stack are the kernels' business."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_reading_a_client_in_the_runner_imports_no_data_or_statistics_library(demo_copy: Path):
    code = ("import sys; from cxkit.run import batch, client_run; from cxkit.io.client import ClientFolder; "
            f"ClientFolder('demo', {str(demo_copy)!r}).engagement; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'statsmodels', 'matplotlib', 'pandas'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
