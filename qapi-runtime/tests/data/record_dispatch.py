#!/usr/bin/env python3
"""Records how qemu-storage-daemon answers malformed and misdirected QMP
requests, for the dispatcher's conformance test; also the events it writes
and its query-qmp-schema reply.

Each conversation runs on a fresh connection (capability negotiation starts
over); every request is sent as the raw line given, and the reply QSD sends
is stored as the raw line it wrote. Run from anywhere:

    python3 record_dispatch.py [--qsd PATH]

It rewrites dispatch_replies.json beside this script.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dispatch_replies.json")

NEGOTIATE = '{"execute": "qmp_capabilities"}'
QUERY_SCHEMA = '{"execute": "query-qmp-schema"}'
NEGOTIATE_OOB = '{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}'

CONVERSATIONS = [
    {
        "name": "before negotiation",
        "requests": [
            '{"execute": "query-version"}',
            '{"execute": "nonexistent", "id": 1}',
            '{"execute": "blockdev-add", "arguments": {}}',
            '[]',
            '1',
            '"execute"',
            'null',
            '{}',
            '{"id": "a"}',
            '{"execute": 1}',
            '{"execute": null, "id": 2}',
            '{"execute": "qmp_capabilities", "arguments": []}',
            '{"execute": "qmp_capabilities", "arguments": null}',
            '{"execute": "qmp_capabilities", "foo": 1}',
            '{"exec-oob": "qmp_capabilities"}',
            '{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}}',
            '{"execute": "qmp_capabilities", "arguments": {"enable": ["x"]}}',
            '{"execute": "qmp_capabilities", "arguments": {"enable": [1]}}',
            '{"execute": "qmp_capabilities", "arguments": {"foo": 1}}',
            '{"foo": 1, "bar": 2, "execute": 3, "arguments": 4}',
            '{"arguments": 4, "execute": 3}',
            '{"execute": 3, "arguments": 4}',
            '{"zzz": 1, "execute": "qmp_capabilities"}',
            '{"execute": "qmp_capabilities", "id": {"a": [1, 2.5, null, true]}}',
        ],
    },
    {
        "name": "after negotiation",
        "requests": [
            NEGOTIATE,
            '{"execute": "qmp_capabilities", "id": 7}',
            '{"execute": "qmp_capabilities", "arguments": {"foo": 1}}',
            '{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}',
            '{"execute": "nonexistent"}',
            '{"execute": "nonexistent", "id": null}',
            '{"execute": "", "id": [1, "x"]}',
            '{"exec-oob": "query-version"}',
            '{"execute": "query-version", "exec-oob": "x"}',
            '{"execute": "query-version", "arguments": {"x": 1}}',
            '{"execute": "query-version", "arguments": [], "id": 1.5}',
            '{"execute": "query-version", "other": true, "id": "s"}',
            '{"execute": "blockdev-add", "arguments": {}}',
            '{"execute": "blockdev-add", "arguments": {"driver": "x"}}',
            '{"execute": "blockdev-add", "arguments": {"driver": 5}}',
            '{"execute": "blockdev-add", "arguments": {"driver": "file"}}',
            '{"execute": "blockdev-add", "arguments": {"driver": "file", "filename": "f", "foo": 1}}',
            '{"execute": "blockdev-add", "arguments": {"driver": "file", "filename": "f", "cache": {"direct": "yes"}}}',
            '{"execute": "blockdev-add", "arguments": {"driver": "null-co", "node-name": 1}}',
            '{"execute": "blockdev-del", "arguments": {}}',
            '{"execute": "blockdev-del", "arguments": {"node-name": 1}, "id": {}}',
            '{"execute": "job-dismiss", "arguments": {"id": []}}',
            '{"execute": "block-job-set-speed", "arguments": {"device": "j", "speed": "fast"}}',
            '{"execute": "nbd-server-start", "arguments": {"addr": {"type": "unix"}}}',
            '{"execute": "nbd-server-start", "arguments": {"addr": {"type": "nope", "data": {}}}}',
            '{"execute": "object-add", "arguments": {"qom-type": "nope", "id": "o"}}',
            '{"execute": "query-named-block-nodes", "arguments": {"flat": "yes"}}',
            '{"execute": "block-export-add", "arguments": {"type": "nbd", "id": "e"}}',
        ],
    },
    {
        "name": "out-of-band enabled",
        "requests": [
            NEGOTIATE_OOB,
            '{"exec-oob": "query-version"}',
            '{"exec-oob": "nonexistent", "id": 3}',
            '{"exec-oob": 1}',
            '{"exec-oob": "qmp_capabilities"}',
            '{"execute": "query-version", "exec-oob": "query-version"}',
            '{"exec-oob": "query-version", "execute": "query-version"}',
            '{"exec-oob": "blockdev-add", "arguments": {}}',
            '{"exec-oob": "qmp_capabilities", "arguments": {"x": 1}}',
        ],
    },
]


def connect(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def read_message(f, events=None):
    """The next line QSD writes that is not an event; events met on the
    way are added to `events` as written."""
    while True:
        line = f.readline()
        if not line:
            raise RuntimeError("QSD closed the connection")
        text = line.decode().rstrip("\r\n")
        if "event" in json.loads(text):
            if events is not None:
                events.append(text)
            continue
        return text


def converse(path, requests, events=None):
    s = connect(path, time.time() + 10)
    try:
        f = s.makefile("rb")
        greeting = json.loads(read_message(f))
        replies = []
        for r in requests:
            s.sendall(r.encode() + b"\n")
            replies.append(read_message(f, events))
        return greeting, replies
    finally:
        s.close()


def record_events(path, tmp):
    """Events as QSD writes them: an NBD export added and deleted."""
    nbd = os.path.join(tmp, "nbd.sock")
    requests = [
        NEGOTIATE,
        '{"execute": "blockdev-add", "arguments": '
        '{"driver": "null-co", "node-name": "n0"}}',
        '{"execute": "nbd-server-start", "arguments": {"addr": '
        '{"type": "unix", "data": {"path": "%s"}}}}' % nbd,
        '{"execute": "block-export-add", "arguments": '
        '{"type": "nbd", "id": "e0", "node-name": "n0"}}',
        '{"execute": "block-export-del", "arguments": {"id": "e0"}}',
        '{"execute": "query-block-exports"}',
    ]
    events = []
    converse(path, requests, events)
    return events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qsd", default="qemu-storage-daemon")
    args = ap.parse_args()
    version = subprocess.run([args.qsd, "--version"], capture_output=True,
                             text=True, check=True).stdout.splitlines()[0]
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "qmp.sock")
        qsd = subprocess.Popen(
            [args.qsd, "--chardev",
             f"socket,path={sock},server=on,wait=off,id=m0",
             "--monitor", "chardev=m0"],
            stdin=subprocess.DEVNULL)
        try:
            events = record_events(sock, tmp)
            _, replies = converse(sock, [NEGOTIATE, QUERY_SCHEMA])
            schema = replies[1]

            out = []
            for conv in CONVERSATIONS:
                greeting, replies = converse(sock, conv["requests"])
                out.append({
                    "name": conv["name"],
                    "capabilities": greeting["QMP"]["capabilities"],
                    "exchanges": [{"request": q, "reply": a}
                                  for q, a in zip(conv["requests"], replies)],
                })
        finally:
            qsd.terminate()
            qsd.wait(timeout=10)
    with open(OUT, "w") as f:
        json.dump({"recorded-with": version, "conversations": out,
                   "events": events, "query-qmp-schema": schema}, f,
                  indent=1)
        f.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
