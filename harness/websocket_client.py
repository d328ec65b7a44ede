"""A browser tab reduced to Streamlit's websocket protocol: ask for reruns, read the page it gets back.

Used by the classroom tests and benchmarks to be many students at once without many browsers.
"""

import asyncio
import threading

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState


class Session:
    """One browser tab, reduced to its websocket: ask for reruns, read the page it gets back."""

    def __init__(self, url: str, query: str = "", cookie: str | None = None):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = url
        self.query = query  # the page's URL parameters, e.g. sample=...
        self.cookie = cookie  # sent with the handshake, as a browser sends its cookies (a proxy may route by it)
        self.held: set[str] = set()  # hashes of messages this client already has
        self.socket = None
        self.session_id = None  # the server's id of this session, from its first answer
        self.components: dict[str, str] = {}  # component name -> its widget id, as the last run drew it
        self.fragments: set[str] = set()  # ids of the fragments the last run drew (a click reruns only its own)
        self.replica = None  # the X-Cnnviz-Replica header of the handshake's answer, behind deploy/nginx.conf
        self.deltas = 0  # elements the last run sent (a reference to one the browser holds counts too)
        self.texts: list[str] = []  # the markdown and headings the last run sent, in order
        self.received = 0  # bytes the last run sent

    async def __aenter__(self):
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.socket = await websockets.connect(self.url, max_size=None, origin=self.origin, additional_headers=headers)
        self.replica = self.socket.response.headers.get("X-Cnnviz-Replica")
        return self

    async def __aexit__(self, *exc):
        await self.socket.close()

    async def rerun(self, components: dict[str, str] | None = None, fragment: str | None = None) -> str:
        """Run the page once; returns the markdown headline it showed. An exception box on the page raises.

        Args:
            components: {widget id: JSON} state to send for custom components, as a browser would (or a
                script pretending to be one).
            fragment: rerun only this fragment (one of `fragments`), as a click on a widget inside it does.
        """
        request = BackMsg()
        request.rerun_script.query_string = self.query
        if fragment:
            request.rerun_script.fragment_id = fragment
        request.rerun_script.cached_message_hashes.extend(sorted(self.held))
        for widget_id, value in (components or {}).items():
            request.rerun_script.widget_states.widgets.append(WidgetState(id=widget_id, json_value=value))
        await self.socket.send(request.SerializeToString())
        headline = ""
        self.deltas = self.received = 0
        self.texts = []
        drawn: set[str] = set()
        while True:
            message = ForwardMsg()
            raw = await self.socket.recv()
            message.ParseFromString(raw)
            self.received += len(raw)
            if message.hash:
                self.held.add(message.hash)
            kind = message.WhichOneof("type")
            self.deltas += kind in ("delta", "ref_hash")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
            if kind == "script_finished":
                if not fragment:
                    self.fragments = drawn
                return headline
            if kind != "delta":
                continue
            if message.delta.fragment_id:
                drawn.add(message.delta.fragment_id)
            element = message.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception":
                raise RuntimeError(element.exception.message)
            if shown in ("markdown", "heading"):
                self.texts.append(getattr(element, shown).body)
            if shown == "markdown" and element.markdown.body.startswith("## The network reads"):
                headline = element.markdown.body
            if shown == "bidi_component":
                self.components[element.bidi_component.component_name] = element.bidi_component.id


def play(scenario):
    """asyncio.run(scenario) in a thread of its own: a test's Playwright browser may hold this thread's event loop."""
    outcome = {}

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(scenario)
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="websocket-scenario")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
