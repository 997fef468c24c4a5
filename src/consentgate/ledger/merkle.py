"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1), as the ledger uses it.

Hashing: a leaf is ``SHA-256(0x00 || leaf bytes)``, an inner node ``SHA-256(0x01 || left ||
right)``, the empty tree ``SHA-256("")``. The tree over n leaves splits at k, the largest
power of two below n: ``MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n]))``.

Every range the recursion visits is either a *complete* subtree (2^level leaves starting at
a multiple of 2^level), which the ledger stores once, when it fills, or a range that ends at
the tree's right edge, which is made of complete subtrees. So a root or a proof for any tree
size needs O(log n) stored nodes and no pass over the leaves.

Proofs and their checks follow the RFC's algorithms (sections 2.1.3 and 2.1.4); the checks
are pure functions of hashes, so a member or an auditor can run them with nothing but a
receipt and a signed tree head.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

# get(level, index) -> the stored hash of the complete subtree of 2^level leaves starting at
# leaf index * 2^level (level 0: the leaf hash itself).
NodeGetter = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof that does not check out, or a request for one that cannot exist."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_hash(start: int, end: int, get: NodeGetter) -> bytes:
    """MTH(D[start:end]) for a range the RFC's recursion visits (``start`` is a multiple of
    the largest power of two not above ``end - start``)."""
    size = end - start
    if size <= 0:
        raise ProofError(f"empty range {start}:{end}")
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        if start % size:
            raise ProofError(f"range {start}:{end} is not aligned")
        return get(level, start >> level)
    k = _split(size)
    return node_hash(get((k.bit_length() - 1), start // k), subtree_hash(start + k, end, get))


def root(size: int, get: NodeGetter) -> bytes:
    """The root of the tree of the first ``size`` leaves."""
    return EMPTY_ROOT if size == 0 else subtree_hash(0, size, get)


def needed_nodes(size: int) -> list[tuple[int, int]]:
    """The complete subtrees that make up the tree of ``size`` leaves, left to right."""
    nodes, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            nodes.append((level, start >> level))
            start += 1 << level
    return nodes


class Frontier:
    """The complete subtrees along the right edge of a growing tree: appending a leaf gives
    the nodes it completes (to store), and ``root()`` the current root, without any lookup."""

    def __init__(self, size: int = 0, nodes: Sequence[bytes] = ()) -> None:
        """``nodes``: the hashes of ``needed_nodes(size)``, in that order."""
        if len(nodes) != bin(size).count("1"):
            raise ValueError("the frontier needs one node per set bit of the size")
        levels = [level for level, _ in needed_nodes(size)]
        self.size = size
        self._stack: list[tuple[int, bytes]] = list(zip(levels, nodes, strict=True))

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns (level, index, hash) of every node it completes, the
        leaf itself (level 0) first."""
        index = self.size
        made = [(0, index, leaf)]
        level, current = 0, leaf
        while self._stack and self._stack[-1][0] == level:
            _, left = self._stack.pop()
            current = node_hash(left, current)
            level += 1
            made.append((level, index >> level, current))
        self._stack.append((level, current))
        self.size += 1
        return made

    def hashes(self) -> list[bytes]:
        """The hashes of ``needed_nodes(size)``, in that order (what ``__init__`` takes)."""
        return [h for _, h in self._stack]

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        current = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            current = node_hash(left, current)
        return current


def root_of_leaves(leaves: Iterable[bytes]) -> bytes:
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


# -- proofs (RFC 9162, 2.1.3.1 and 2.1.4.1) ------------------------------------------------
def inclusion_proof(index: int, size: int, get: NodeGetter) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    proof: list[bytes] = []
    start, end = 0, size
    # walk down from the root, keeping the sibling of each step; the RFC lists them leaf first
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            proof.append(subtree_hash(start + k, end, get))
            end = start + k
        else:
            proof.append(subtree_hash(start, start + k, get))
            start += k
    return proof[::-1]


def consistency_proof(first: int, second: int, get: NodeGetter) -> list[bytes]:
    """The proof that the tree of ``first`` leaves is a prefix of the tree of ``second``."""
    if not 0 <= first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}")
    if first == 0 or first == second:
        return []
    return _subproof(first, 0, second, True, get)


def _subproof(m: int, start: int, end: int, complete: bool, get: NodeGetter) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [subtree_hash(start, end, get)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, start, start + k, complete, get), subtree_hash(start + k, end, get)]
    return [*_subproof(m - k, start + k, end, False, get), subtree_hash(start, start + k, get)]


# -- checks (RFC 9162, 2.1.3.2 and 2.1.4.2) ------------------------------------------------
def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> None:
    """Raise ProofError unless ``proof`` shows leaf hash ``leaf`` at ``index`` under
    ``expected_root`` of a tree of ``size`` leaves."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of {size} leaves")
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is deep")
    if r != expected_root:
        raise ProofError("the inclusion proof does not lead to the tree head's root")


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless ``proof`` shows the tree (``first``, ``first_root``) is a
    prefix of the tree (``second``, ``second_root``)."""
    if not 0 <= first <= second:
        raise ProofError(f"tree size went back from {first} to {second}")
    if first == second:
        if proof:
            raise ProofError("a consistency proof between equal sizes must be empty")
        if first_root != second_root:
            raise ProofError(f"two different roots for the same tree size {first}: history "
                             "was rewritten")
        return
    if first == 0:
        if proof:
            raise ProofError("a consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is a node of the second
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is too short")
    if fr != first_root:
        raise ProofError(f"the log's tree of {first} leaves is not the one the earlier head "
                         "signed: history was rewritten")
    if sr != second_root:
        raise ProofError("the consistency proof does not lead to the current root")
