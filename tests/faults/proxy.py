"""A TCP proxy between the app and PostgreSQL that a test can cut, as a database restart or
a network failure would: open connections reset, new ones refused, until it is restored."""

import contextlib
import socket
import struct
import threading

# SO_LINGER on, 0 seconds: close() sends a reset, not a polite end of stream.
RESET = struct.pack("ii", 1, 0)


class DatabaseProxy:
    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._accepting: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stop.clear()
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def cut(self) -> None:
        """Reset every open connection and refuse new ones (nothing listens on the port)."""
        self._stop.set()
        self._accepting.join()
        self._listener.close()
        with self._lock:
            pairs, self._pairs = list(self._pairs), set()
        for pair in pairs:
            for end in pair:
                _reset(end)

    def restore(self) -> None:
        self.start()  # on the same port

    def close(self) -> None:
        if not self._stop.is_set():
            self.cut()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _reset(client)
                continue
            for end in (client, server):
                end.settimeout(None)
            with self._lock:
                self._pairs.add((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        # One side ended: end the other (which stops its pump), and forget the pair.
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        with self._lock:
            self._pairs.discard((source, sink))
            self._pairs.discard((sink, source))
        source.close()


def _reset(end: socket.socket) -> None:
    # shutdown() first: it wakes the pump blocked reading this socket, which close() alone
    # does not, and a socket still being read is not really closed (nor reset).
    with contextlib.suppress(OSError):
        end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        end.shutdown(socket.SHUT_RDWR)
    end.close()
