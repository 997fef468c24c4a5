"""Small vectorised helpers on numpy and Arrow arrays."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def salt(name: str) -> int:
    """A stable 32-bit salt for a name (Python's hash() is randomised per process)."""
    return zlib.crc32(name.encode("utf-8"))


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= _M1
        z ^= z >> np.uint64(27)
        z *= _M2
        z ^= z >> np.uint64(31)
    return z


def keyed_uniform(keys: np.ndarray, seed_key: int, name: str) -> np.ndarray:
    """Uniform floats in [0, 1) that depend only on (seed, key, name): the same record key and
    slot name always draw the same value, whatever the processing order."""
    with np.errstate(over="ignore"):
        base = np.uint64(seed_key) ^ (np.uint64(salt(name)) * _GOLDEN)
        z = mix64(keys.astype(np.uint64) * _GOLDEN + base)
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def strings(values: np.ndarray | Sequence[str]) -> pa.Array:
    return pa.array(values, type=pa.string())


def const(value: str, n: int) -> pa.Array:
    return pa.array([value], type=pa.string()).take(np.zeros(n, dtype=np.int64))


def pick(options: Sequence[str], index: np.ndarray) -> pa.Array:
    """options[index] as an Arrow string array."""
    return pa.array(list(options), type=pa.string()).take(index.astype(np.int64))


def ints_to_str(values: np.ndarray, width: int = 0) -> pa.Array:
    out = pc.cast(pa.array(values.astype(np.int64)), pa.string())
    if width:
        out = pc.utf8_lpad(out, width=width, padding="0")
    return out


def join(parts: Sequence[pa.Array | str], n: int) -> pa.Array:
    """Element-wise concatenation of arrays and literal strings."""
    parts = [p for p in parts if not (isinstance(p, str) and p == "")]
    if not parts:
        return const("", n)
    if all(isinstance(p, str) for p in parts):
        return const("".join(parts), n)  # type: ignore[arg-type]
    if len(parts) == 1:
        return parts[0]  # type: ignore[return-value]
    return pc.binary_join_element_wise(*parts, "")


def char_len(arr: pa.Array) -> np.ndarray:
    """Length in code points (Python characters) of each string."""
    return pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)


def fixed_ascii(codes: np.ndarray) -> pa.Array:
    """An (n, w) uint8 array of ASCII codes -> n strings of w characters."""
    n, w = codes.shape
    offsets = (np.arange(n + 1, dtype=np.int32) * w).astype(np.int32)
    data = np.ascontiguousarray(codes, dtype=np.uint8)
    return pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())]
    )


def group_thousands(amount: np.ndarray, sep: pa.Array | str) -> pa.Array:
    """12345678 -> '12<sep>345<sep>678' (amounts below 10^9)."""
    n = len(amount)
    a = amount.astype(np.int64)
    m = a // 1_000_000
    t = (a // 1000) % 1000
    u = a % 1000
    sm = ints_to_str(m)
    st = ints_to_str(t)
    st3 = ints_to_str(t, 3)
    su = ints_to_str(u)
    su3 = ints_to_str(u, 3)
    with_m = join([sm, sep, st3, sep, su3], n)
    with_t = join([st, sep, su3], n)
    return pc.if_else(pa.array(m > 0), with_m, pc.if_else(pa.array(t > 0), with_t, su))


def scatter(pieces: list[tuple[np.ndarray, pa.Array]], n: int) -> pa.Array:
    """Assemble an array of n strings from (positions, values) pieces that cover 0..n-1."""
    if not pieces:
        return const("", n)
    pos = np.concatenate([p for p, _ in pieces])
    vals = pa.concat_arrays([v.cast(pa.string()) for _, v in pieces])
    inverse = np.empty(n, dtype=np.int64)
    inverse[pos] = np.arange(len(pos), dtype=np.int64)
    return vals.take(inverse)
