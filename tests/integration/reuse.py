"""The integration suite's conftest as a module of another name, for the
suites that reuse its fixtures and helpers (tests/drills, tests/browser):
loaded once under the name integration_conftest, so that their own
conftest modules do not collide with it."""
import importlib.util
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def integration_conftest():
    if "integration_conftest" not in sys.modules:
        if str(HERE) not in sys.path:
            sys.path.insert(0, str(HERE))
        spec = importlib.util.spec_from_file_location("integration_conftest",
                                                      HERE / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["integration_conftest"] = module
        spec.loader.exec_module(module)
    return sys.modules["integration_conftest"]
