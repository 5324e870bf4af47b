"""C2SP tlog-checkpoint signed tree heads: build, sign, parse and verify."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zerowaste.errors import InvalidInput, SignatureInvalid
from zerowaste.ledger.merkle import HASH_SIZE
from zerowaste.ledger.notes import NoteSigner, NoteVerifier, open_note, sign_note
from zerowaste.ledger.signatures import b64decode, b64encode
from zerowaste.ledger.tree import HashStore, root

_SIZE = re.compile("0|[1-9][0-9]{0,18}")
MAX_TREE_SIZE = 2**63 - 1


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and the root hash at that size.

    Its note text is the origin, the tree size in decimal and the base64 root hash, each on
    its own line ending in a newline (then optional non-empty extension lines); it is signed
    as a C2SP signed note by the log's key, whose name is the origin.

    Attributes:
        origin: The log's identity, e.g. `zerowaste.example/log/js` (no spaces or '+').
        size: The number of leaves.
        root_hash: The 32-byte RFC 9162 root of the first `size` leaves.
        extensions: Optional extra lines (not recommended by the spec; kept when parsed).
    """

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or re.search(r"[\s+\x00-\x1f]", self.origin):
            raise InvalidInput("an origin is non-empty, without spaces or '+'", field="origin")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise InvalidInput(f"tree size {self.size} is out of range", field="size")
        if len(self.root_hash) != HASH_SIZE:
            raise InvalidInput("a root hash is 32 bytes", field="root_hash")
        for line in self.extensions:
            if not line or re.search(r"[\x00-\x1f]", line):
                raise InvalidInput("extension lines are non-empty single lines", field="extensions")

    def body(self) -> str:
        """Return the checkpoint note text, final newline included."""
        lines = [self.origin, str(self.size), b64encode(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse_body(cls, text: str) -> Checkpoint:
        """Parse a checkpoint note text (unsigned).

        Raises:
            InvalidInput: It is not origin, decimal size (no leading zeros) and base64
                32-byte root, each on its own line, then optional non-empty lines.
        """
        if not text.endswith("\n"):
            raise InvalidInput("a checkpoint text ends in a newline", field="checkpoint")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise InvalidInput("a checkpoint has origin, size and root lines", field="checkpoint")
        origin, size, root = lines[:3]
        if not _SIZE.fullmatch(size):
            raise InvalidInput("the tree size is a decimal without leading zeros", field="size")
        root_hash = b64decode(root, field="root_hash")
        return cls(origin, int(size), root_hash, tuple(lines[3:]))


def checkpoint_of(store: HashStore, origin: str, size: int | None = None) -> Checkpoint:
    """Return the (unsigned) tree head of the first `size` leaves of a store (default: all)."""
    size = store.leaf_count() if size is None else size
    return Checkpoint(origin, size, root(store, size))


def sign_checkpoint(checkpoint: Checkpoint, signer: NoteSigner) -> str:
    """Return the signed note of a checkpoint.

    Raises:
        InvalidInput: The signer's key name is not the checkpoint's origin.
    """
    if signer.name != checkpoint.origin:
        raise InvalidInput("the log key's name must be the checkpoint origin", field="origin")
    return sign_note(checkpoint.body(), [signer])


def open_checkpoint(note: str | bytes, verifier: NoteVerifier) -> Checkpoint:
    """Verify a signed checkpoint with the log's key and return its tree head.

    Raises:
        InvalidInput: The note or its text is malformed.
        SignatureInvalid: It is not signed by `verifier`, the signature fails, or the origin
            is not the key's name (a checkpoint of another log).
    """
    text, _ = open_note(note, [verifier])
    checkpoint = Checkpoint.parse_body(text)
    if checkpoint.origin != verifier.name:
        raise SignatureInvalid(
            f"the checkpoint is of log {checkpoint.origin!r}, not {verifier.name!r}",
            field="checkpoint",
        )
    return checkpoint
