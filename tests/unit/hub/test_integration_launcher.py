"""The integration launcher runs tests/integration unless its arguments name test paths."""

import importlib.util
from pathlib import Path

RUN = Path(__file__).resolve().parents[2] / "integration" / "run.py"


def launcher():
    spec = importlib.util.spec_from_file_location("integration_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_keyword_that_is_also_a_folder_name_still_runs_the_integration_suite():
    assert launcher().pytest_targets(["-q", "-k", "rfid"]) == ["tests/integration"]


def test_named_test_files_replace_the_default_folder():
    assert launcher().pytest_targets(["tests/integration/test_stack.py::test_x"]) == []
