"""A stand-in for the desktop's notification service, for tests: run it inside a private
session bus, and it runs a command there while answering as a real service would.

    dbus-run-session -- python tests/fake_notifications.py OUT.jsonl -- netmaint today --notify

It owns org.freedesktop.Notifications on the bus, answers Notify (writing each notification it
is sent to OUT.jsonl, one JSON object a line), GetCapabilities and GetServerInformation, then
runs the command and writes how it went to OUT.jsonl.run.json; its own exit status is the
command's. Nothing here is mocked on netmaint's side: `notify-send` really talks D-Bus to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
DO_NOT_QUEUE = 4


def _plain(value):
    """A D-Bus value as JSON can hold it (a variant is (signature, value))."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return _plain(value[1])
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def serve(conn, out) -> None:
    next_id = 1
    while True:
        msg = conn.receive()
        if msg.header.message_type != MessageType.method_call:
            continue
        member = msg.header.fields.get(HeaderFields.member)
        if member == "Notify":
            app, replaces, icon, summary, body, actions, hints, timeout = msg.body
            out.write(json.dumps({"app": app, "summary": summary, "body": body, "hints": _plain(hints),
                                  "timeout": timeout}, ensure_ascii=False) + "\n")
            out.flush()
            conn.send(new_method_return(msg, "u", (next_id,)))
            next_id += 1
        elif member == "GetCapabilities":
            conn.send(new_method_return(msg, "as", (["body", "body-markup"],)))
        elif member == "GetServerInformation":
            conn.send(new_method_return(msg, "ssss", ("fake", "netmaint tests", "1", "1.2")))
        elif member == "CloseNotification":
            conn.send(new_method_return(msg))
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))


def main(argv: list[str]) -> int:
    out_path, command = argv[0], argv[argv.index("--") + 1:]
    conn = open_dbus_connection(bus="SESSION")
    granted = conn.send_and_get_reply(message_bus.RequestName(NAME, DO_NOT_QUEUE)).body[0]
    if granted != 1:  # 1: we are its primary owner
        print(f"could not own {NAME} (reply {granted})", file=sys.stderr)
        return 3
    with open(out_path, "a", encoding="utf-8") as out:
        threading.Thread(target=serve, args=(conn, out), daemon=True).start()
        done = subprocess.run(command, capture_output=True, text=True)
    with open(out_path + ".run.json", "w", encoding="utf-8") as run:
        json.dump({"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}, run)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
