"""Session state is read and written only through ui/state.py: every key is named there, once."""

import ast

from harness.app import ROOT

OWNER = ROOT / "ui" / "state.py"


def session_state_uses(path) -> list[int]:
    """The lines where a file touches `session_state` (st.session_state, from streamlit import session_state, ...)."""
    tree = ast.parse(path.read_text())
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "session_state")
        or (isinstance(node, ast.alias) and node.name == "session_state")
    ]


def test_only_ui_state_touches_session_state():
    files = [path for folder in ("ui", "pages") for path in sorted((ROOT / folder).rglob("*.py"))]
    files += [ROOT / "app.py", ROOT / "navigation.py"]
    assert OWNER in files and len(session_state_uses(OWNER)) > 50  # the owner is seen, so others would be too
    elsewhere = {str(path.relative_to(ROOT)): session_state_uses(path) for path in files if path != OWNER}
    assert {name: lines for name, lines in elsewhere.items() if lines} == {}
