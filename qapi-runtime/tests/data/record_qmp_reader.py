#!/usr/bin/env python3
"""Records qemu-storage-daemon's replies to raw QMP input.

Each case is sent on a fresh, negotiated connection, followed by a
sentinel: a 0xFF byte (an error in every lexer state, so the parser is
reset whatever came before), a newline (which ends error recovery) and a
query-version with id "sentinel". Every reply up to the sentinel's is
recorded, the 0xFF's error included.

Usage: record_qmp_reader.py OUT.json [CASE NAME...]   (needs qemu-storage-daemon)
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

SENTINEL = b'\xff\n{"execute": "query-version", "id": "sentinel"}\n'


def u(text, count=1):
    return {"utf8": text, "count": count} if count != 1 else {"utf8": text}


def h(data, count=1):
    return {"hex": data.hex(), "count": count} if count != 1 else {"hex": data.hex()}


MiB = 1 << 20
QV = '{"execute": "query-version", "id": %s}\n'

CASES = [
    ("valid", [u(QV % "1")]),
    ("single-quoted strings", [u("{'execute': 'query-version', 'id': 'sq\"x'}\n")]),
    ("escapes", [u(QV % r'"\' \/ \" \\ \b\f\n\r\t \u00e9 \ud83d\ude00"')]),
    ("numbers as id", [u(QV % "-0.5e3"), u(QV % "18446744073709551615"), u(QV % "18446744073709551616"), u(QV % "-9223372036854775809")]),
    ("invalid keyword in object", [u('{"execute": bad}\n')]),
    ("bare invalid keyword", [u("bad\n")]),
    ("long invalid keyword", [u("x" * 2000 + "\n")]),
    ("stray closing brace", [u("}\n")]),
    ("stray closing bracket in object", [u('{"execute": ]\n')]),
    ("stray character", [u("@\n")]),
    ("error recovery inside an object", [u('{"execute": @, "id": 5}\n'), u(QV % "6")]),
    ("leading zero", [u("01\n")]),
    ("interpolation is not QMP", [u('{"execute": %d}\n')]),
    ("NUL byte", [h(b"\x00"), u(QV % "2")]),
    ("0xFF between messages", [u(QV % "3"), h(b"\xff"), u(QV % "4")]),
    ("control character in string", [u('{"execute": "a\tb", "id": 1}\n'), u(QV % "5")]),
    ("newline in string", [u('{"execute": "a\nb", "id": 1}\n'), u(QV % "7")]),
    ("invalid UTF-8 in string", [h(b'{"execute": "\xc3\x28"}\n')]),
    ("noncharacter in string", [h(b'{"execute": "\xef\xbf\xbf"}\n')]),
    ("modified UTF-8 NUL", [h(b'{"execute": "query-version", "id": "a\xc0\x80b"}\n')]),
    ("overlong encoding", [h(b'{"execute": "\xc1\x81"}\n')]),
    ("lone surrogate escape", [u(r'{"execute": "\ud800x"}' + "\n")]),
    ("bad hex escape", [u(r'{"execute": "\u12G4"}' + "\n")]),
    ("short hex escape at end", [u(r'{"execute": "\u1"}' + "\n")]),
    ("invalid escape", [u(r'{"execute": "\x41"}' + "\n")]),
    ("duplicate key", [u('{"execute": "query-version", "execute": "x"}\n')]),
    ("trailing comma", [u('{"execute": "query-version",}\n')]),
    ("missing colon", [u('{"execute" "query-version"}\n')]),
    ("key not a string", [u('{1: 2}\n')]),
    ("missing separator in list", [u("[1 2]\n")]),
    ("missing separator in dict", [u('{"a": 1 "b": 2}\n')]),
    ("non-object values", [u("[]\n"), u('"str"\n'), u("1\n"), u("null\n")]),
    ("unterminated message then sentinel", [u('{"execute": "query-version", "id": ')]),
    ("nesting 1024 ok", [u("[" * 1024 + "]" * 1024 + "\n")]),
    ("nesting 1025", [u("[" * 1025), u("1"), u("]" * 3 + "\n")]),
    ("nesting 100000", [u("[", 100000)]),
    ("mixed nesting", [u('{"a": [' * 600)]),
    ("token count limit", [u("["), u("1,", MiB)]),
    ("64 MiB string", [u('{"execute": "query-version", "id": "'), u("a", 64 * MiB + 10), u('"}')]),
    ("64 MiB message", [u('{"execute": "query-version", "id": ['), u('"' + "b" * 1022 + '",', 64 * 1024), u("1]}\n")]),
]


def build(parts):
    out = bytearray()
    for p in parts:
        chunk = p["utf8"].encode() if "utf8" in p else bytes.fromhex(p["hex"])
        out += chunk * p.get("count", 1)
    return bytes(out)


def read_until_sentinel(f):
    replies = []
    while True:
        line = f.readline()
        if not line:
            raise RuntimeError("connection closed before the sentinel")
        msg = json.loads(line)
        if msg.get("id") == "sentinel":
            return replies
        replies.append(msg)


def connect(path):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    f = s.makefile("rb")
    json.loads(f.readline())  # greeting
    s.sendall(b'{"execute": "qmp_capabilities"}\n')
    assert "return" in json.loads(f.readline())
    return s, f


def main():
    out = sys.argv[1]
    only = sys.argv[2:]  # case names to record, default all
    cases_wanted = [c for c in CASES if not only or c[0] in only]
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "qmp.sock")
    qsd = subprocess.Popen(["qemu-storage-daemon", "--chardev",
                            f"socket,path={path},server=on,wait=off,id=m0",
                            "--monitor", "chardev=m0"])
    try:
        for _ in range(100):
            if os.path.exists(path):
                break
            time.sleep(0.05)
        version = subprocess.run(["qemu-storage-daemon", "--version"], capture_output=True,
                                 text=True).stdout.splitlines()[0]
        cases = []
        for name, parts in cases_wanted:
            s, f = connect(path)
            result = {}

            def reader():
                try:
                    result["replies"] = read_until_sentinel(f)
                except Exception as e:  # recorded as a failure below
                    result["error"] = e

            t = threading.Thread(target=reader)
            t.start()
            s.sendall(build(parts) + SENTINEL)
            t.join(1500)
            f.close()
            s.close()
            if "replies" not in result:
                raise RuntimeError(f"{name}: {result.get('error', 'timeout')}")
            print(f"{name}: {len(result['replies'])} replies", file=sys.stderr)
            cases.append({"name": name, "input": parts, "replies": result["replies"]})
            # Written after each case: the 64 MiB ones take many minutes,
            # as QEMU's monitor reads its input one byte at a time.
            doc = {"qemu": version, "sentinel": {"hex": SENTINEL.hex()}, "cases": cases}
            with open(out, "w") as fo:
                json.dump(doc, fo, indent=1, ensure_ascii=True)
                fo.write("\n")
    finally:
        qsd.terminate()
        qsd.wait()


if __name__ == "__main__":
    main()
