#!/usr/bin/env python3
"""Records what the installed qemu-storage-daemon answers to the inputs in
tests/data/qsd-cases.json, into tests/data/qsd-replies.json.

Each case runs in a fresh daemon whose working directory is a temporary
folder holding its monitor socket and an empty 1 MiB qcow2 image img.qcow2
(made with qemu-img), which cases may open by that relative name.
A QMP case negotiates capabilities, runs the case's "setup" commands (which
must succeed), then the case's command, whose reply is recorded.  A keyval
case starts the daemon with `--blockdev STRING` and records whether it
started (it answers on its monitor socket, and is then stopped) or exited,
and what it printed on stderr.  Cases marked "after_decode" are inputs the
daemon decodes but then fails to open: decoders must accept them.

Usage: conformance/record-qsd.py [--only NAME]... [--print] [--cases FILE]
  --only NAME   run only the named cases (repeatable); implies --print
  --print       print the replies instead of writing the data file
  --cases FILE  read the cases from FILE instead
Python 3 standard library only.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "tests", "data", "qsd-cases.json")
REPLIES = os.path.join(HERE, "tests", "data", "qsd-replies.json")
DAEMON = "qemu-storage-daemon"
IMG = "qemu-img"
# Every case's folder, the daemon's working directory, holds an empty
# qcow2 image by this name for the cases to open.
IMAGE = "img.qcow2"
# Generous: the daemon normally opens its socket within milliseconds, but
# CI machines can be slow.
START_TIMEOUT = 20.0
REPLY_TIMEOUT = 120.0


class Daemon:
    """A qemu-storage-daemon working in `folder`, with a QMP monitor on a
    socket there."""

    def __init__(self, folder, extra_args=()):
        self.sock_path = os.path.join(folder, "qmp.sock")
        subprocess.run(
            [IMG, "create", "-q", "-f", "qcow2", os.path.join(folder, IMAGE), "1M"],
            check=True,
        )
        chardev = f"socket,path={self.sock_path},server=on,wait=off,id=m0"
        self.proc = subprocess.Popen(
            [DAEMON, *extra_args, "--chardev", chardev, "--monitor", "chardev=m0"],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.sock = None
        self.reader = None

    def connect(self):
        """Connects to the monitor; False when the daemon exited first."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                return False
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock_path)
                break
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{DAEMON} did not open {self.sock_path}")
                time.sleep(0.02)
        s.settimeout(REPLY_TIMEOUT)
        self.sock = s
        self.reader = s.makefile("r", encoding="utf-8")
        greeting = self._read()
        if "QMP" not in greeting:
            raise RuntimeError(f"no QMP greeting: {greeting}")
        return True

    def _read(self):
        line = self.reader.readline()
        if not line:
            raise RuntimeError(f"{DAEMON} closed the monitor (did it crash?)")
        return json.loads(line)

    def execute(self, command, arguments=None):
        msg = {"execute": command}
        if arguments is not None:
            msg["arguments"] = arguments
        self.sock.sendall((json.dumps(msg) + "\n").encode("utf-8"))
        while True:
            reply = self._read()
            # A client that connects while the daemon is still starting
            # can get the greeting twice.
            if "event" not in reply and "QMP" not in reply:
                return reply

    def stop(self):
        """Stops the daemon; returns what it printed on stderr."""
        if self.sock is not None:
            self.sock.close()
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=REPLY_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err.decode("utf-8", "replace")


def run_qmp_case(case):
    folder = tempfile.mkdtemp(prefix="qsd-record-")
    daemon = Daemon(folder)
    try:
        if not daemon.connect():
            raise RuntimeError(f"{DAEMON} exited: {daemon.stop()}")
        caps = daemon.execute("qmp_capabilities")
        if caps != {"return": {}}:
            raise RuntimeError(f"qmp_capabilities failed: {caps}")
        for step in case.get("setup", []):
            reply = daemon.execute(step["command"], step.get("arguments"))
            if "return" not in reply:
                raise RuntimeError(f"{case['name']}: setup {step} failed: {reply}")
        return daemon.execute(case["command"], case.get("arguments"))
    finally:
        daemon.stop()
        shutil.rmtree(folder, ignore_errors=True)


def run_keyval_case(case):
    folder = tempfile.mkdtemp(prefix="qsd-record-")
    daemon = Daemon(folder, ["--blockdev", case["blockdev"]])
    try:
        started = daemon.connect()
    finally:
        stderr = daemon.stop()
        shutil.rmtree(folder, ignore_errors=True)
    out = {"name": case["name"], "started": started, "stderr": stderr}
    if not started:
        out["status"] = daemon.proc.returncode
    return out


def version():
    out = subprocess.run([DAEMON, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0]


def to_json(result):
    """The replies as JSON with one case a line, for readable diffs."""

    def rows(entries):
        return ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in entries)

    return (
        "{\n"
        f'  "qemu-storage-daemon": {json.dumps(result["qemu-storage-daemon"])},\n'
        f'  "qmp": [\n{rows(result["qmp"])}\n  ],\n'
        f'  "keyval": [\n{rows(result["keyval"])}\n  ]\n'
        "}\n"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", default=[], metavar="NAME")
    ap.add_argument("--print", action="store_true")
    ap.add_argument("--cases", default=CASES, metavar="FILE")
    args = ap.parse_args()
    if shutil.which(DAEMON) is None:
        sys.exit(f"{DAEMON} is not installed (Debian package qemu-utils)")
    with open(args.cases, encoding="utf-8") as f:
        cases = json.load(f)
    names = [c["name"] for c in cases["qmp"] + cases["keyval"]]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        sys.exit(f"duplicate case names: {sorted(dups)}")
    unknown = set(args.only) - set(names)
    if unknown:
        sys.exit(f"no such cases: {sorted(unknown)}")

    def wanted(case):
        return not args.only or case["name"] in args.only

    qmp = [
        {"name": c["name"], "reply": run_qmp_case(c)} for c in cases["qmp"] if wanted(c)
    ]
    keyval = [run_keyval_case(c) for c in cases["keyval"] if wanted(c)]
    result = {"qemu-storage-daemon": version(), "qmp": qmp, "keyval": keyval}
    text = to_json(result)
    if args.print or args.only:
        sys.stdout.write(text)
        return
    with open(REPLIES, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"recorded {len(qmp)} QMP and {len(keyval)} keyval cases in {REPLIES}")


if __name__ == "__main__":
    main()
