"""A browser tab reduced to Streamlit's websocket protocol: ask for reruns, read the page it gets back.

Used by the classroom tests and benchmarks to be many students at once without many browsers.
"""

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


class Session:
    """One browser tab, reduced to its websocket: ask for reruns, read the page it gets back."""

    def __init__(self, url: str, query: str = "", cookie: str | None = None):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = url
        self.query = query  # the page's URL parameters, e.g. sample=...
        self.cookie = cookie  # sent with the handshake, as a browser sends its cookies (a proxy may route by it)
        self.held: set[str] = set()  # hashes of messages this client already has
        self.socket = None
        self.replica = None  # the X-Cnnviz-Replica header of the handshake's answer, behind deploy/nginx.conf

    async def __aenter__(self):
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.socket = await websockets.connect(self.url, max_size=None, origin=self.origin, additional_headers=headers)
        self.replica = self.socket.response.headers.get("X-Cnnviz-Replica")
        return self

    async def __aexit__(self, *exc):
        await self.socket.close()

    async def rerun(self) -> str:
        """Run the page once; returns the markdown headline it showed."""
        request = BackMsg()
        request.rerun_script.query_string = self.query
        request.rerun_script.cached_message_hashes.extend(sorted(self.held))
        await self.socket.send(request.SerializeToString())
        headline = ""
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.socket.recv())
            if message.hash:
                self.held.add(message.hash)
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                raise RuntimeError(message.delta.new_element.exception.message)
            if kind == "delta" and message.delta.new_element.WhichOneof("type") == "markdown":
                body = message.delta.new_element.markdown.body
                if body.startswith("## The network reads"):
                    headline = body
            if kind == "script_finished":
                return headline
