#!/usr/bin/env python3
"""Reads a TensorBoard event file with none of Flow's code: protoc's Python classes from the vendored
TensorFlow .proto files, TFRecord framing and CRC-32C written out here. Checks every record's two CRCs,
the file version, that the graph parses as a GraphDef, that the PNG image summaries' sizes match their
bytes, and that the scalars equal metrics.jsonl's values (as float32) step for step.

usage: check_events.py PROTO_ROOT EVENTS_FILE METRICS_JSONL
Prints one "ok: ..." line and exits 0, or one "error: ..." line on stderr and exits 1.
"""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile

from google.protobuf.message import DecodeError


def crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data):
    # TFRecord's mask: rotate right by 15 bits and add a constant (tensorflow/core/lib/hash/crc32c.h).
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(blob):
    at = 0
    while at < len(blob):
        if len(blob) - at < 12:
            raise ValueError(f"record at byte {at}: header cut short")
        header = blob[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", blob[at + 8:at + 12])
        if header_crc != masked(header):
            raise ValueError(f"record at byte {at}: length CRC mismatch")
        data = blob[at + 12:at + 12 + length]
        if len(data) != length or len(blob) < at + 16 + length:
            raise ValueError(f"record at byte {at}: data cut short")
        (data_crc,) = struct.unpack("<I", blob[at + 12 + length:at + 16 + length])
        if data_crc != masked(data):
            raise ValueError(f"record at byte {at}: data CRC mismatch")
        yield data
        at += 16 + length


def compile_protos(proto_root, out):
    files = sorted(glob.glob(os.path.join(proto_root, "tensorboard", "compat", "proto", "*.proto")))
    subprocess.run(["protoc", f"--proto_path={proto_root}", f"--python_out={out}", *files], check=True)
    # Regular packages, so that an installed tensorboard package cannot stand in for these classes.
    for package in ("tensorboard", "tensorboard/compat", "tensorboard/compat/proto"):
        open(os.path.join(out, package, "__init__.py"), "w").close()
    sys.path.insert(0, out)


def as_float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def check(proto_root, events_path, metrics_path):
    with tempfile.TemporaryDirectory() as out:
        compile_protos(proto_root, out)
        from tensorboard.compat.proto import event_pb2, graph_pb2

        with open(events_path, "rb") as f:
            events = []
            for data in records(f.read()):
                e = event_pb2.Event()
                e.ParseFromString(data)
                events.append(e)

    if not events or events[0].file_version != "brain.Event:2":
        raise ValueError("the first record is not file_version brain.Event:2")
    graphs = [e for e in events if e.WhichOneof("what") == "graph_def"]
    if len(graphs) != 1:
        raise ValueError(f"{len(graphs)} graph records, expected 1")
    graph = graph_pb2.GraphDef()
    graph.ParseFromString(graphs[0].graph_def)
    if not graph.node:
        raise ValueError("the GraphDef has no nodes")

    images = 0
    for e in events:
        for v in e.summary.value:
            if v.WhichOneof("value") == "image":
                png = v.image.encoded_image_string
                width, height = struct.unpack(">II", png[16:24])
                if png[:8] != b"\x89PNG\r\n\x1a\n" or (width, height) != (v.image.width, v.image.height):
                    raise ValueError(f"image {v.tag!r} at step {e.step}: not a PNG of {v.image.width}x{v.image.height}")
                images += 1

    scalars = [e for e in events if any(v.WhichOneof("value") == "simple_value" for v in e.summary.value)]
    with open(metrics_path) as f:
        metrics = [json.loads(line) for line in f if line.strip()]
    if len(scalars) != len(metrics):
        raise ValueError(f"{len(scalars)} scalar events but {len(metrics)} lines in metrics.jsonl")
    for m, e in zip(metrics, scalars):
        if m["step"] != e.step:
            raise ValueError(f"scalar event at step {e.step} where metrics.jsonl has step {m['step']}")
        values = {v.tag: v.simple_value for v in e.summary.value}
        for tag in ("loss", "batch_accuracy", "learning_rate", "validation_accuracy"):
            expected = m.get(tag)
            if expected is None:
                if tag in values:
                    raise ValueError(f"step {e.step}: {tag} logged but null in metrics.jsonl")
            elif values.get(tag) != as_float32(expected):
                raise ValueError(f"step {e.step}: {tag} is {values.get(tag)}, metrics.jsonl says {expected}")
    return f"ok: {len(events)} records, {len(graph.node)} graph nodes, {len(scalars)} scalar steps, {images} images"


def main():
    if len(sys.argv) != 4:
        print("error: usage: check_events.py PROTO_ROOT EVENTS_FILE METRICS_JSONL", file=sys.stderr)
        return 2
    try:
        print(check(*sys.argv[1:]))
        return 0
    except (ValueError, OSError, subprocess.CalledProcessError, DecodeError) as e:
        print(f"error: {sys.argv[2]}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
