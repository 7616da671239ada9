"""The two kinds of Antspace container, and the sets of them that fields and alerts name."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Kind(StrEnum):
    """The two kinds of Antspace container."""

    HK3 = "hk3"
    IMMERSION = "immersion"


HK3: Final = frozenset({Kind.HK3})
IMMERSION: Final = frozenset({Kind.IMMERSION})
BOTH: Final = frozenset(Kind)
