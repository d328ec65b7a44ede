"""The join link students open: the address the teacher's browser reached, never one only that machine knows."""

import io
import socket
from urllib.parse import urlencode, urlsplit, urlunsplit

PUBLIC_URL_VARIABLE = "CNNVIZ_PUBLIC_URL"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}
JOIN_PAGE = "class"


def network_address() -> str | None:
    """This machine's address on its network (the one a route out would use; no packet is sent), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def join_link(code: str, browser_url: str | None, public_url: str | None = None) -> str:
    """The link that joins class `code`: under public_url if set, else the teacher's address (a local one
    replaced by the machine's network address), at the app's root, page "class"."""
    base = urlsplit(public_url or browser_url or "http://localhost:8501/")
    host, port = base.hostname or "", base.port
    if not public_url and host in LOCAL_HOSTS:
        host = network_address() or host or "localhost"
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    path = base.path if public_url else base.path.rsplit("/", 1)[0]  # the teacher is on a page: its folder is the app
    return urlunsplit(
        (base.scheme or "http", netloc, f"{path.rstrip('/')}/{JOIN_PAGE}", urlencode({"class": code}), "")
    )


def qr_png(link: str, scale: int = 8) -> bytes:
    """The link as a QR code picture (PNG), dark on white with a quiet zone, for phones to scan off a projector."""
    import segno

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=3)
    return out.getvalue()
