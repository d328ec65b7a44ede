"""The overview's maps, served once per model and image: the browser fetches them by an address no one can guess.

Every map of every stage is about 260 KB of JSON. Sent inside the overview's data it was rebuilt, serialised
and hashed on every rerun of every session, although it changes only with the model or the image. So the
script publishes it here once (publish) and gives the overview component its address; the component
fetches it once and keeps it while only the selection changes. The address is a keyed hash of the model's
and the image's keys under a secret of this server process: a student's photo cannot be fetched by anyone
who has not been shown it. Behind deploy/nginx.conf a browser's requests all go to its own replica.
"""

import hashlib
import hmac
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PATH = "/cnnviz/maps/"
MOST = 256  # images kept (about 260 KB each): far more than a class looks at in the minutes a page is open
_SECRET = secrets.token_bytes(32)
_kept: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def address(model_key: str, image_key: str) -> str:
    """Where the maps of this model reading this image are served (the same for every session)."""
    token = hmac.new(_SECRET, f"{model_key}\n{image_key}".encode(), hashlib.sha256).hexdigest()[:40]
    return PATH + token


def publish(model_key: str, image_key: str, build: Callable[[], list[dict]]) -> str:
    """Keep the maps of this model and image (built only if they are not kept yet); returns their address."""
    where = address(model_key, image_key)
    token = where.removeprefix(PATH)
    with _lock:
        if token in _kept:
            _kept.move_to_end(token)
            return where
    body = json.dumps(build(), separators=(",", ":")).encode()
    with _lock:
        _kept[token] = body
        while len(_kept) > MOST:
            _kept.popitem(last=False)
    return where


def kept(where: str) -> bytes | None:
    """The maps served at an address, if they are kept."""
    with _lock:
        return _kept.get(where.removeprefix(PATH))


async def _serve(request: Request) -> Response:
    body = kept(PATH + request.path_params["token"])
    if body is None:
        return Response("No such maps (the server may have restarted: reload the page).", 404)
    # The same address always holds the same maps: the browser keeps them for the life of this server process.
    return Response(body, media_type="application/json", headers={"Cache-Control": "private, max-age=86400"})


ROUTES = [Route(PATH + "{token:str}", _serve, methods=["GET"])]
