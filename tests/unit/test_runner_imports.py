"""The runner's own process stays light: pandas and the statistics stack are the kernels' business."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_reading_a_client_in_the_runner_imports_no_data_or_statistics_library(demo_copy: Path):
    code = ("import sys; from cxkit.run import batch, client_run; from cxkit.io.client import ClientFolder; "
            f"ClientFolder('demo', {str(demo_copy)!r}).engagement; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'statsmodels', 'matplotlib', 'pandas'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_the_fork_server_preload_never_builds_jsonschemas_iri_parser():
    # the fork server imports PRELOAD in order; whatever comes first must not import nbformat
    # before cxkit.run has marked rfc3987_syntax unavailable (1.7 s of CPU per batch)
    code = ("import importlib, json, sys; names = json.loads(sys.argv[1]); "
            "[importlib.import_module(n) for n in names]; "
            "print(sys.modules.get('rfc3987_syntax', 'absent'), 'nbformat' in sys.modules)")
    from cxkit.run.batch import PRELOAD

    done = subprocess.run([sys.executable, "-c", code, json.dumps(PRELOAD)], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["None", "True"]
