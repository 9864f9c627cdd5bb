"""Identifiers for demo records, derived from a record number so slices can be formatted alone."""
from __future__ import annotations

import numpy as np

_ALPHABET = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                          dtype=np.uint8)
_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)


def numbered_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Return ``prefix`` + zero-padded ``numbers + 1`` as an array of ``str``.

    Examples
    --------
    >>> numbered_ids("TX-", np.array([0, 41]), 4).tolist()
    ['TX-0001', 'TX-0042']
    """
    value = np.asarray(numbers, dtype=np.int64) + 1
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = _DIGITS[(value[:, None] // powers) % 10]
    body = np.ascontiguousarray(digits).view(f"S{width}").ravel()
    return np.char.add(prefix, body.astype(f"U{width}"))


def qualtrics_ids(numbers: np.ndarray, seed: int) -> np.ndarray:
    """Return Qualtrics-style response ids (``R_`` + 15 letters and digits), unique per number.

    The first 11 characters encode a bijective 64-bit mix of the number, so distinct
    numbers always get distinct ids.

    Examples
    --------
    >>> ids = qualtrics_ids(np.arange(3), seed=7)
    >>> [len(i) for i in ids], len(set(ids))
    ([17, 17, 17], 3)
    """
    with np.errstate(over="ignore"):
        salt = np.uint64(seed % 2**64) * np.uint64(0x9E3779B97F4A7C15)
    key = np.asarray(numbers, dtype=np.uint64) ^ salt
    first, second = _splitmix(key), _splitmix(key ^ np.uint64(0xD1B54A32D192ED03))
    chars = np.concatenate([_base62(first, 11), _base62(second, 4)], axis=1)
    body = np.ascontiguousarray(_ALPHABET[chars]).view("S15").ravel()
    return np.char.add("R_", body.astype("U15"))


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a bijection on 64-bit integers."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _base62(x: np.ndarray, width: int) -> np.ndarray:
    """Return the lowest ``width`` base-62 digits of each value, most significant first."""
    out = np.empty((len(x), width), dtype=np.int64)
    rest = x.copy()
    for position in range(width - 1, -1, -1):
        out[:, position] = (rest % np.uint64(62)).astype(np.int64)
        rest //= np.uint64(62)
    return out
