"""Every Streamlit internal that ui/internals.py relies on is still there: an upgrade that breaks one fails here."""

import glob
import os

import pytest
import streamlit

from ui import internals


def test_pages_manager_still_has_the_switch_navigation_turns_off():
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")


def test_session_lookup_functions_still_exist():
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    assert callable(get_script_run_ctx) and callable(Runtime.is_active_session)


@pytest.fixture(scope="module")
def frontend() -> str:
    bundle = glob.glob(os.path.join(os.path.dirname(streamlit.__file__), "static", "static", "js", "*.js"))
    assert bundle, "Streamlit's frontend bundle was not found"
    return " ".join(open(path, encoding="utf-8", errors="ignore").read() for path in bundle)


@pytest.mark.parametrize("test_id", internals.TEST_IDS)
def test_every_data_testid_our_css_targets_exists_in_the_frontend(frontend, test_id):
    """As a whole quoted string: "stMain" must not pass because "stMainBlockContainer" is there."""
    assert f'"{test_id}"' in frontend or f"'{test_id}'" in frontend or f"`{test_id}`" in frontend


def test_components_v2_api_is_there():
    assert callable(streamlit.components.v2.component)
