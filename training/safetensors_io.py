"""Minimal, deterministic safetensors reader/writer on numpy (no torch needed)."""
import json
import struct

import numpy as np

_DT = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "I64": np.dtype("<i8"), "I8": np.dtype("i1")}
_NAME = {v: k for k, v in _DT.items()}


def save(path, tensors, metadata=None):
    """Write ``{name: ndarray}`` with keys sorted, so the bytes depend only on the data."""
    header, off, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        dt = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
        a = a.astype(dt, copy=False)
        b = a.tobytes()
        header[name] = {"dtype": _NAME[np.dtype(dt)], "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in sorted(metadata.items())}
    h = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack_from("<Q", buf, 0)
    header = json.loads(buf[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        dt = _DT[info["dtype"]]
        out[name] = np.frombuffer(buf, dtype=dt, count=(b - a) // dt.itemsize, offset=base + a).reshape(info["shape"]).copy()
    return out
