"""Who holds a store: a small file beside the database, so a refused second process can say.

RocksDB only says "lock hold by ..."; users need "held by `defport-kg serve` (pid 1234)".
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

HOLDER_FILE = "holder.json"


def write_holder(store_dir: Path, command: str) -> None:
    info = {
        "pid": os.getpid(),
        "command": command,
        "host": socket.gethostname(),
        "since": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "argv": sys.argv[:3],
    }
    (store_dir / HOLDER_FILE).write_text(json.dumps(info), encoding="utf-8")


def clear_holder(store_dir: Path) -> None:
    path = store_dir / HOLDER_FILE
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if info.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def describe_holder(store_dir: Path) -> str:
    """A sentence naming the process that holds the store, as far as we know it."""
    try:
        info = json.loads((store_dir / HOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "another process"
    command = info.get("command") or "defport-kg"
    pid = info.get("pid")
    return f"`{command}` (pid {pid})" if pid else f"`{command}`"


def is_lock_error(error: OSError) -> bool:
    text = str(error).lower()
    return "lock" in text and (
        "hold" in text or "resource temporarily unavailable" in text or "no locks available" in text
    )
