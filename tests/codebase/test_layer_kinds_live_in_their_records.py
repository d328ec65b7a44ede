"""A kind of layer is known in its record (cnnviz/network/kinds/): the rest of the app asks the record instead of
switching on types. A few switches on PyTorch's own module types may stay where a method needs the weights' shape."""

import ast

import torch.nn

from cnnviz.network.kinds import KINDS
from harness.app import ROOT

RECORDS = ROOT / "cnnviz" / "network" / "kinds"
LAYER_TYPES = {kind.__name__ for kind in KINDS} | {name for name in dir(torch.nn) if name[:1].isupper()}


def type_switches(path) -> int:
    """How many isinstance() calls of one file ask about a kind of layer (a record's class or a torch.nn module)."""
    found = 0
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance" and len(node.args) == 2:
            names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
            found += bool(names & LAYER_TYPES)
    return found


def test_at_most_twelve_type_switches_on_layer_kinds_in_at_most_three_files():
    files = [f for folder in ("cnnviz", "ui", "pages") for f in (ROOT / folder).rglob("*.py")]
    counts = {str(f.relative_to(ROOT)): type_switches(f) for f in files if not f.is_relative_to(RECORDS)}
    switching = {name: count for name, count in counts.items() if count}
    assert sum(switching.values()) <= 12 and len(switching) <= 3, switching


def test_the_count_sees_a_switch():
    probe = ROOT / "cnnviz" / "insight" / "faithfulness.py"
    assert type_switches(probe) >= 1  # nn.Conv2d / nn.Linear: the shapes a scrambled layer keeps
