"""A TCP forwarder in front of the emulator's FE that strikes at a chosen request.

Every request of the library reaches the FE first (the FE answers data requests with a 307 to a
BE, which the proxy does not see), so "the first FE request whose bytes contain `pattern`" names
an exact point of sr-load's run without any sleep: the transaction begin/load/prepare/commit of
a checkpoint, a watermark's stream load, a schema fetch or a recovery probe of sr_sink_open.
When that request arrives, the armed action runs before the request is forwarded; it says what
happens to the request:
  FORWARD - pass it on (e.g. after the test changed the user's password on the emulator)
  HOLD    - never pass it on and never answer (sr-load is being signalled meanwhile)
  CLOSE   - close every connection and stop listening: the FE's port is closed from now on
"""
import socket
import threading

FORWARD, HOLD, CLOSE = "forward", "hold", "close"


class FeProxy:
    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(64)
        self.port = self.lsock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.socks = set()
        self.closed = False
        self.pattern = None
        self.action = None
        self.fired = threading.Event()
        self.seen = []  # first line of every request chunk, for failure messages
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, pattern, action):
        """The first request after this call whose bytes hold `pattern` runs action() → FORWARD,
        HOLD or CLOSE. Later requests pass through."""
        with self.lock:
            self.pattern, self.action = pattern, action
            self.fired.clear()

    def close(self):
        with self.lock:
            self.closed = True
            socks, self.socks = list(self.socks), set()
        for s in [self.lsock] + socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept(self):
        while True:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            try:
                u = socket.create_connection(self.target, timeout=30)
                u.settimeout(None)
            except OSError:
                c.close()
                continue
            with self.lock:
                if self.closed:
                    c.close()
                    u.close()
                    return
                self.socks.update((c, u))
            threading.Thread(target=self._client_to_fe, args=(c, u), daemon=True).start()
            threading.Thread(target=self._pipe, args=(u, c), daemon=True).start()

    def _strike(self, chunk):
        """The action to take for this chunk, or None."""
        with self.lock:
            if self.pattern is None or self.pattern not in chunk:
                return None
            action, self.pattern, self.action = self.action, None, None
        result = action()
        self.fired.set()
        return result

    def _client_to_fe(self, c, u):
        held = False
        while True:
            try:
                chunk = c.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            self.seen.append(chunk.split(b"\r\n", 1)[0][:120])
            if held:
                continue  # a held request's body (and anything after it) goes nowhere
            what = self._strike(chunk)
            if what == CLOSE:
                self.close()
                return
            if what == HOLD:
                held = True
                continue
            try:
                u.sendall(chunk)
            except OSError:
                break
        self._drop(c, u)

    def _pipe(self, src, dst):
        while True:
            try:
                chunk = src.recv(65536)
                if not chunk:
                    break
                dst.sendall(chunk)
            except OSError:
                break
        self._drop(src, dst)

    def _drop(self, *socks):
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
            with self.lock:
                self.socks.discard(s)


def closed_port_url():
    """The URL of a loopback port where nothing listens."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"
