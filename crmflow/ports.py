"""Free TCP ports for servers a test or a benchmark starts itself."""

from __future__ import annotations

import random
import socket

# Below Linux's ephemeral range (32768+): a port the kernel hands out for port 0 is also what it gives outgoing
# connections, so a server started a while later could find it taken by one of them.
PORT_RANGE = range(20000, 32768)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now, outside the ephemeral range."""
    for _ in range(200):
        port = random.choice(PORT_RANGE)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}")
