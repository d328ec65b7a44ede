"""deploy/nginx.conf in front of two replicas: each session stays on its replica, and a replica going down loses
only its own sessions, which reconnect to the other. Runs Debian's nginx on loopback ports."""

import asyncio
import os
import re
import shutil
import signal
import subprocess
import urllib.request

import pytest

from harness.waiting import wait_until
from harness.websocket_client import Session, play

from browser_support import ROOT, free_port, streamlit_server

pytestmark = [pytest.mark.slow]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# A class of 30: their replica cookies. The replicas' ports differ at every run, and so does where the hash puts
# each name: eight names all landed on one replica now and then (a chance of about 1 in 128); thirty never do.
STUDENTS = [f"student-{n}" for n in range(30)]


def answers(url: str) -> bool:
    """Whether a GET of url answers at all."""
    try:
        urllib.request.urlopen(url, timeout=2)
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """(proxy URL, {replica address: server process}) for deploy/nginx.conf in front of two fresh replicas."""
    if not os.path.exists(NGINX):
        pytest.fail("the proxy test needs nginx: install it with `apt-get install -y nginx`")
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "temp").mkdir()
    secret = {"STREAMLIT_SERVER_COOKIE_SECRET": "the same secret on every replica"}
    with streamlit_server(env=secret) as first:
        first_pid = streamlit_server.last_pid
        with streamlit_server(env=secret) as second:
            second_pid = streamlit_server.last_pid
            ports = [first.rsplit(":", 1)[1], second.rsplit(":", 1)[1]]
            listen = free_port()
            conf = (ROOT / "deploy" / "nginx.conf").read_text()
            conf = conf.replace("127.0.0.1:8501", f"127.0.0.1:{ports[0]}").replace(
                "127.0.0.1:8502", f"127.0.0.1:{ports[1]}"
            )
            conf = re.sub(r"listen \d+;", f"listen 127.0.0.1:{listen};", conf)
            (folder / "nginx.conf").write_text(conf)
            (folder / "replica-header.conf").write_text("add_header X-Cnnviz-Replica $upstream_addr always;\n")
            nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", "nginx.conf", "-g", "daemon off;"])
            url = f"http://127.0.0.1:{listen}"
            wait_until(lambda: answers(f"{url}/_stcore/health") or nginx.poll() is not None, 15)
            assert nginx.poll() is None, "nginx did not start"
            try:
                yield url, {f"127.0.0.1:{ports[0]}": first_pid, f"127.0.0.1:{ports[1]}": second_pid}
            finally:
                nginx.terminate()
                nginx.wait(timeout=10)


def fetch(url: str, cookie: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_a_browser_without_the_cookie_is_given_one_and_metrics_are_not_public(proxy):
    url, _ = proxy
    status, headers = fetch(url + "/")
    assert status == 200 and "cnnviz_replica=" in headers["Set-Cookie"]
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert fetch(url + "/_stcore/metrics")[0] == 403


def test_sessions_stay_on_their_replica_and_survive_only_their_own_replica_going_down(proxy):
    url, replicas = proxy

    async def scenario():
        sessions = {}
        for student in STUDENTS:
            cookie = f"cnnviz_replica={student}"
            pages = {fetch(url + "/", cookie)[1]["X-Cnnviz-Replica"] for _ in range(3)}
            assert len(pages) == 1, "every request of one browser goes to one replica"
            session = await Session(url, cookie=cookie).__aenter__()
            assert session.replica == pages.pop(), "and its WebSocket to the same one"
            assert (await session.rerun()).startswith("## The network reads **3**")
            sessions[student] = session
        used = {s.replica for s in sessions.values()}
        assert used == set(replicas), f"the hash spreads the class over both replicas: {used}"

        gone = sessions[STUDENTS[0]].replica
        os.kill(replicas[gone], signal.SIGKILL)  # one replica fails outright
        await asyncio.sleep(1.0)
        for student, session in sessions.items():
            if session.replica == gone:
                with pytest.raises(Exception):  # noqa: B017 - the socket is gone, whatever websockets calls it
                    await session.rerun()
                again = await Session(url, cookie=f"cnnviz_replica={student}").__aenter__()  # the page reconnects
                assert again.replica != gone and (await again.rerun()).startswith("## The network reads **3**")
                await again.__aexit__()
            else:
                assert (await session.rerun()).startswith("## The network reads **3**"), "other sessions carry on"
                await session.__aexit__()

    play(scenario())


def test_the_proxy_tells_visitors_nothing_about_its_replicas_unless_asked():
    active = [line.split("#")[0] for line in (ROOT / "deploy" / "nginx.conf").read_text().splitlines()]
    assert not any("X-Cnnviz-Replica" in line for line in active)
    assert any("limit_req " in line for line in active), "uploads are rate-limited at the proxy"
