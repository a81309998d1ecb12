#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into corpus/TARGET from the
recorded QEMU cases: qsd-cases.json's blockdev-add arguments and keyval
strings (conformance/tests/data) and the QMP reader recordings
(qapi-runtime/tests/data). Inputs larger than 64 KiB are left out.

    python3 seeds/make_corpus.py    # from fuzz/
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
LIMIT = 64 * 1024


def write(target, data):
    if len(data) > LIMIT:
        return
    folder = os.path.join(HERE, "..", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    with open(os.path.join(ROOT, "conformance/tests/data/qsd-cases.json")) as f:
        cases = json.load(f)
    for case in cases["qmp"]:
        args = json.dumps(case.get("arguments", {})).encode()
        if case.get("command") == "blockdev-add":
            write("blockdev_options", args)
        msg = {"execute": case.get("command", ""), "arguments": case.get("arguments", {})}
        write("qmp_reader", b"\x00" + json.dumps(msg).encode() + b"\n")
    for case in cases["keyval"]:
        write("keyval", case["blockdev"].encode())
    with open(os.path.join(ROOT, "qapi-runtime/tests/data/qmp-reader-replies.json")) as f:
        reader = json.load(f)
    for i, case in enumerate(reader["cases"]):
        data = b""
        for part in case["input"]:
            if "hex" in part:
                data += bytes.fromhex(part["hex"])
            else:
                data += part["utf8"].encode("utf-8", "surrogatepass") * part.get("count", 1)
        write("qmp_reader", bytes([i]) + data)
    with open(os.path.join(ROOT, "qapi-runtime/tests/data/dispatch_replies.json")) as f:
        dispatch = json.load(f)
    for i, conv in enumerate(dispatch["conversations"]):
        stream = b"".join(x["request"].encode() + b"\n" for x in conv["exchanges"])
        write("qmp_reader", bytes([i]) + stream)
        for x in conv["exchanges"]:
            write("qmp_reader", bytes([i]) + x["request"].encode())
            req = json.loads(x["request"]) if x["request"].startswith("{") else None
            if isinstance(req, dict) and req.get("execute") == "blockdev-add":
                write("blockdev_options", json.dumps(req.get("arguments", {})).encode())


if __name__ == "__main__":
    main()
