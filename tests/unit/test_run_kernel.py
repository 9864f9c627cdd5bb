"""Kernels forked from the warm zygote: fast to start, and every notebook starts clean."""
from __future__ import annotations

import os
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from processes import children

from cxkit.run import zygote
from cxkit.run.kernel import ChapterKernel, kernel_env, papermill_ready

pytestmark = pytest.mark.skipif(not zygote.available(), reason="kernels are forked on POSIX only")


def _notebook(*cells: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_code_cell("client = 'none'", metadata={"tags": ["parameters"]})]
                      + [new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout")


@pytest.fixture(scope="module")
def seed():
    z = zygote.Zygote.start(kernel_env())
    yield z
    z.close()


def _run(seed, folder, nb, parameters, statistics=True):
    with ChapterKernel(cwd=folder, zygote=seed, statistics=statistics) as kernel:
        return kernel.execute(nb, parameters)


def test_names_do_not_leak_between_notebooks(seed, tmp_path):
    (tmp_path / "helper_mod.py").write_text("STATE = []\n")
    (tmp_path / "elsewhere").mkdir()
    first = _notebook("secret = 42", "import json as jj", "import helper_mod; helper_mod.STATE.append(1)",
                      f"import os; os.chdir({str(tmp_path / 'elsewhere')!r}); os.environ['CX_LEAK'] = '1'")
    _run(seed, tmp_path, first, {"client": "acme"})
    probe = _notebook(
        "print(sorted(n for n in ('secret', 'jj', 'helper_mod', 'os') if n in dir()))",
        "import sys, os; print('helper_mod' in sys.modules, os.environ.get('CX_LEAK'), os.path.basename(os.getcwd()))",
        "print(client)")
    # nothing defined or imported by the first notebook is visible in the second: no name,
    # no user module, no environment variable, not its working directory; in a kernel from
    # either zygote
    for statistics in (True, False):
        second = _run(seed, tmp_path, probe, {"client": "beta"}, statistics=statistics)
        assert _stdout(second).splitlines() == ["[]", f"False None {tmp_path.name}", "beta"]


def test_kernels_without_the_statistics_libraries_come_from_the_first_zygote(seed, tmp_path):
    probe = ("import sys; print(*(m in sys.modules for m in ('pandas', 'matplotlib.figure', 'cxkit.chapters.baseline', "
             "'scipy.stats', 'statsmodels.regression.linear_model')))")
    assert _stdout(_run(seed, tmp_path, _notebook(probe), {}, statistics=False)).split() == \
        ["True", "True", "True", "False", "False"]
    assert _stdout(_run(seed, tmp_path, _notebook(probe), {}, statistics=True)).split() == ["True"] * 5
    # a notebook that needs them anyway imports them itself, and works
    fit = "from statsmodels.regression.linear_model import OLS; print(round(OLS([1, 2, 3], [[1], [2], [3]]).fit().params[0], 6))"
    assert _stdout(_run(seed, tmp_path, _notebook(fit), {}, statistics=False)).strip() == "1.0"


def test_each_zygote_says_when_its_imports_are_done(tmp_path):
    z = zygote.Zygote.start(kernel_env())
    try:
        assert not z.warm(statistics=False) and not z.warm(statistics=True)  # it has only just started
        ChapterKernel(cwd=tmp_path, zygote=z, statistics=True).start().ready().shutdown()
        # a kernel from the second zygote came: both tiers have finished their imports
        assert z.warm(statistics=False) and z.warm(statistics=True)
    finally:
        z.close()
    assert not z.warm(statistics=False)  # its folder is gone with it


def test_a_zygote_closed_during_its_imports_leaves_without_a_traceback():
    import shutil
    import subprocess
    import tempfile
    import time

    folder = tempfile.mkdtemp(prefix="cxkit-zygote-", dir="/tmp")
    address = os.path.join(folder, "socket")
    proc = subprocess.Popen([sys.executable, "-m", "cxkit.run.zygote", address], stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=kernel_env())
    deadline = time.monotonic() + 60
    while not os.path.exists(address + zygote.WARM_SUFFIX) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not os.path.exists(address + zygote.STATISTICS_SUFFIX + zygote.WARM_SUFFIX)  # still importing
    shutil.rmtree(folder)  # what Zygote.close does when a run ends (or fails) this early
    _, err = proc.communicate(timeout=60)  # stderr ends when both zygotes have exited
    assert proc.returncode == 0 and "Traceback" not in err, err


def test_the_first_zygote_warms_everything_but_the_statistics_libraries():
    import subprocess

    probe = ("import sys; from cxkit.run import zygote; failed = zygote.warm_up(); "
             "print(failed, sorted(m for m in ('scipy.stats', 'statsmodels') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=kernel_env(), check=True)
    # everything warmed (no module, no static resource failed), and cxkit imports the
    # statistics libraries only inside the functions that fit models
    assert done.stdout.strip() == "[] []"


def test_each_kernel_is_a_new_process_with_the_libraries_already_loaded(seed, tmp_path):
    probe = "import os, sys; print(os.getpid(), 'pandas' in sys.modules, 'statsmodels.regression.linear_model' in sys.modules)"
    outs = [_stdout(_run(seed, tmp_path, _notebook(probe), {})).split() for _ in range(2)]
    assert outs[0][0] != outs[1][0] and str(os.getpid()) not in (outs[0][0], outs[1][0])
    assert all(o[1:] == ["True", "True"] for o in outs)


def test_batch_kernels_run_without_a_debugger(seed, tmp_path):
    # JupyterLab's kernels are not forked, so an interactive session keeps its debugger
    probe = "import sys; print(sys.modules.get('debugpy', 'absent'), type(get_ipython().kernel).__name__)"
    assert _stdout(_run(seed, tmp_path, _notebook(probe), {})).split() == ["None", "IPythonKernel"]


def test_kernels_collect_garbage_but_not_the_frozen_libraries(seed, tmp_path):
    # the zygote imports with the collector paused; its kernels collect as any process does
    probe = "import gc; print(gc.isenabled(), gc.get_freeze_count() > 100_000)"
    assert _stdout(_run(seed, tmp_path, _notebook(probe), {})).split() == ["True", "True"]


def test_the_zygote_loads_what_batch_notebooks_use_and_not_the_intake_form():
    modules = zygote.notebook_modules()
    assert {"cxkit.chapters.maturity", "cxkit.maturity.scoring", "cxkit.chapters.baseline"} <= set(modules)
    assert "cxkit.maturity.form" not in modules  # ipywidgets: JupyterLab only, where kernels are not forked
    assert not [m for m in modules if m.startswith(("cxkit.run", "cxkit.demo", "cxkit.cli"))]


def test_clients_retry_connecting_often_while_their_kernel_binds():
    import zmq

    kc = zygote._client_class()(manager=None)
    assert kc.context.getsockopt(zmq.RECONNECT_IVL) == zygote.RECONNECT_MS
    assert kc._created_context  # destroyed with the client's channels, like jupyter_client's own
    kc.context.destroy()


def test_library_modules_are_loaded_but_not_named(seed, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="NameError"):
        _run(seed, tmp_path, _notebook("pandas.DataFrame()"), {"client": "acme"})
    assert "pandas" in _stdout(_run(seed, tmp_path, _notebook("import pandas; print(pandas.__name__)"), {}))


def test_execution_count_starts_at_one_and_papermill_records(seed, tmp_path):
    nb = _run(seed, tmp_path, _notebook("x = 1", "y = 2"), {"client": "acme"})
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == [1, 2, 3, 4]  # parameters, injected parameters, two cells: as in a fresh kernel
    assert nb.metadata.papermill.parameters == {"client": "acme"}
    assert "injected-parameters" in nb.cells[1].metadata.tags


def test_same_outputs_as_alone(seed, tmp_path):
    import papermill

    nb = _notebook("total = sum(range(10))", "print(total, client)")
    path = tmp_path / "alone.ipynb"
    nbformat.write(nb, path)
    alone = papermill.execute_notebook(str(path), None, parameters={"client": "acme"}, progress_bar=False,
                                       kernel_name="python3")
    forked = _run(seed, tmp_path, nb, {"client": "acme"})
    assert _stdout(alone) == _stdout(forked) == "45 acme\n"


def test_a_kernel_runs_one_notebook_only(seed, tmp_path):
    with ChapterKernel(cwd=tmp_path, zygote=seed) as kernel:
        kernel.execute(_notebook("x = 1"), {})
        with pytest.raises(RuntimeError, match="one notebook"):
            kernel.execute(_notebook("print(x)"), {})


def test_kernels_go_when_their_zygote_goes(tmp_path):
    z = zygote.Zygote.start(kernel_env())
    kernels = [ChapterKernel(cwd=tmp_path, zygote=z, statistics=s).start().ready() for s in (True, False)]
    z.proc.kill()  # the first zygote: the second one, and so every kernel, follows it
    z.proc.wait()
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(k.alive for k in kernels):
        time.sleep(0.2)
    assert not any(k.alive for k in kernels), "a kernel outlived its zygote"
    for kernel in kernels:
        kernel.shutdown()
    z.close()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the second zygote in /proc")
def test_a_second_zygote_that_died_is_reported_not_waited_for(tmp_path):
    import signal
    import time

    from cxkit.errors import RunError

    z = zygote.Zygote.start(kernel_env())
    try:
        ChapterKernel(cwd=tmp_path, zygote=z, statistics=True).start().ready().shutdown()  # both are up
        deadline = time.monotonic() + 5
        while len(second := children(z.proc.pid)) != 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # the kernels are gone: the first zygote's one child is the second zygote
        assert len(second) == 1
        os.kill(second[0][1], signal.SIGKILL)
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(RunError, match="zygote"):
            z.fork(str(tmp_path / "c.json"), str(tmp_path), kernel_env(), statistics=True)
        assert time.monotonic() - started < 5  # not the two-minute start timeout
        light = ChapterKernel(cwd=tmp_path, zygote=z, statistics=False).start().ready()  # the first one still serves
        light.shutdown()
    finally:
        z.close()


def test_a_kernel_that_dies_mid_notebook_is_reported_not_waited_for(seed, tmp_path):
    """Liveness comes from the process table (no heartbeat channel): a killed kernel is noticed."""
    from nbclient.exceptions import DeadKernelError

    with pytest.raises(DeadKernelError):
        _run(seed, tmp_path, _notebook("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "print(1)"), {})


def test_papermill_ready_leaves_original_untouched():
    nb = new_notebook(cells=[new_code_cell("1")])
    ready = papermill_ready(nb)
    assert ready.cells[0].metadata.tags == [] and "tags" not in nb.cells[0].metadata
    assert "papermill" in ready.metadata and sys.modules.get("papermill") is not None
