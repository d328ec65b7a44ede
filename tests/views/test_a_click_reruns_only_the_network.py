"""A click inside Explore's network (a cell, a tab, the player, a picker) reruns only the network, not the page."""

import json

import pytest

from harness.websocket_client import Session, play

pytestmark = [pytest.mark.browser]


def test_a_cell_click_reruns_the_network_alone_and_takes_the_cell_apart(app_url):
    async def scenario():
        async with Session(app_url) as tab:
            await tab.rerun()
            whole = tab.deltas
            assert "Explore a CNN" in tab.texts and len(tab.fragments) == 1
            overview = next(i for name, i in tab.components.items() if name.endswith("overview"))
            click = {"kind": "cell", "block": "conv2", "channel": 5, "row": 3, "col": 4, "open": True, "at": 1}
            headline = await tab.rerun({overview: json.dumps({"clicked": click})}, fragment=next(iter(tab.fragments)))
            return whole, tab.deltas, headline, tab.texts

    whole, part, headline, texts = play(scenario())
    assert any(text.startswith("**Row 3, column 4 of map 5**") for text in texts), texts
    assert headline == "" and "Explore a CNN" not in texts  # the headline, the title and the settings stay as drawn
    assert part < whole
