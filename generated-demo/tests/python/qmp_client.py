"""Drives generated-demo with the qemu.qmp library: negotiation, then
blockdev-add, x-blockdev-reopen, blockdev-reopen and
query-named-block-nodes. Usage: qmp_client.py SOCKET IMAGE_DIR"""

import asyncio
import sys

from qemu.qmp import ExecuteError, QMPClient


async def main(sock, images):
    qmp = QMPClient("demo-test")
    await qmp.connect(sock)
    assert qmp.greeting is not None, "no greeting"

    await qmp.execute("blockdev-add", {
        "driver": "qcow2", "node-name": "top",
        "file": {"driver": "file", "filename": f"{images}/top.qcow2"}})
    await qmp.execute("blockdev-add", {
        "driver": "qcow2", "node-name": "other", "read-only": True,
        "file": {"driver": "file", "filename": f"{images}/other.qcow2"}})

    nodes = await qmp.execute("query-named-block-nodes")
    top = next(n for n in nodes if n["node-name"] == "top")
    assert top["backing_file_depth"] == 1, top
    assert top["image"]["backing-image"]["filename"] == f"{images}/base.qcow2", top

    opts = {"driver": "qcow2", "node-name": "top", "backing": "other",
            "file": {"driver": "file", "filename": f"{images}/top.qcow2"}}
    # Built against QEMU 10's own schema, the daemon has only blockdev-reopen.
    if sys.argv[3:] == ["own-schema"]:
        await qmp.execute("x-blockdev-reopen", opts)
    else:
        await qmp.execute("blockdev-reopen", {"options": [opts]})
    nodes = await qmp.execute("query-named-block-nodes", {"flat": True})
    names = [n["node-name"] for n in nodes]
    assert names[0] == "other" and "top" in names and len(names) == 4, names

    await qmp.execute("blockdev-reopen", {"options": [{
        "driver": "qcow2", "node-name": "top", "backing": None, "read-only": True,
        "file": {"driver": "file", "filename": f"{images}/top.qcow2"}}]})
    nodes = await qmp.execute("query-named-block-nodes", {"flat": True})
    top = next(n for n in nodes if n["node-name"] == "top")
    assert top["ro"] is True and "backing_file" not in top, top

    try:
        await qmp.execute("blockdev-del", {"node-name": "nope"})
    except ExecuteError as e:
        assert e.error_class == "GenericError", e
        assert str(e) == "Failed to find node with node-name='nope'", e
    else:
        raise AssertionError("blockdev-del of a missing node succeeded")

    await qmp.execute("quit")
    try:
        await qmp.disconnect()
    except EOFError:
        pass  # the daemon closed the connection first, as QEMU does

    print("ok")


asyncio.run(main(sys.argv[1], sys.argv[2]))
