"""The reused chapter kernel: every notebook starts from a clean namespace."""
from __future__ import annotations

import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cxkit.run.kernel import ChapterKernel, papermill_ready


def _notebook(*cells: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_code_cell("client = 'none'", metadata={"tags": ["parameters"]})]
                      + [new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout")


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kernel")
    (folder / "helper_mod.py").write_text("STATE = []\n")
    with ChapterKernel(cwd=folder, warm=False) as k:
        yield k


def test_names_do_not_leak_between_notebooks(kernel, tmp_path):
    first = _notebook("secret = 42", "import json as jj", "import helper_mod; helper_mod.STATE.append(1)",
                      f"import os; os.chdir({str(tmp_path)!r}); os.environ['CX_LEAK'] = '1'")
    kernel.execute(first, {"client": "acme"})
    second = kernel.execute(_notebook(
        "print(sorted(n for n in ('secret', 'jj', 'helper_mod', 'os') if n in dir()))",
        "import sys, os; print('helper_mod' in sys.modules, os.environ.get('CX_LEAK'), os.getcwd() != "
        f"{str(tmp_path)!r})",
        "print(client)"), {"client": "beta"})
    # nothing defined or imported by the first notebook is visible in the second; the user
    # module is forgotten, the environment and working directory are restored
    assert _stdout(second).splitlines() == ["[]", "False None True", "beta"]


def test_execution_count_restarts_and_papermill_records(kernel):
    nb = kernel.execute(_notebook("x = 1", "y = 2"), {"client": "acme"})
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    # parameters cell, injected-parameters cell, two cells: counted 1..4 as in a fresh kernel
    assert counts == [1, 2, 3, 4]
    assert nb.metadata.papermill.parameters == {"client": "acme"}
    assert "injected-parameters" in nb.cells[1].metadata.tags


def test_warm_imports_are_not_names(kernel):
    from papermill.exceptions import PapermillExecutionError

    kernel.run_silent("import pandas")  # in sys.modules, as after the warm-up
    with pytest.raises(PapermillExecutionError, match="NameError"):
        kernel.execute(_notebook("pandas.DataFrame()"), {"client": "acme"})
    assert "pandas" in _stdout(kernel.execute(_notebook("import pandas; print(pandas.__name__)"), {}))


def test_same_outputs_as_alone(kernel, tmp_path):
    import papermill

    nb = _notebook("total = sum(range(10))", "print(total, client)")
    path = tmp_path / "alone.ipynb"
    nbformat.write(nb, path)
    alone = papermill.execute_notebook(str(path), None, parameters={"client": "acme"}, progress_bar=False,
                                       kernel_name="python3")
    reused = kernel.execute(nb, {"client": "acme"})
    assert _stdout(alone) == _stdout(reused) == "45 acme\n"


def test_papermill_ready_leaves_original_untouched():
    nb = new_notebook(cells=[new_code_cell("1")])
    ready = papermill_ready(nb)
    assert ready.cells[0].metadata.tags == [] and "tags" not in nb.cells[0].metadata
    assert "papermill" in ready.metadata and sys.modules.get("papermill") is not None
