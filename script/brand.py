"""Draw the integration's brand images: a coolant drop with a snowflake on a dark tile.

    .venv/bin/python script/brand.py

writes custom_components/antspace/brand/icon.png (256 px) and icon@2x.png (512 px). Home
Assistant serves them on the integration's pages (and in place of a logo, which the integration
does without), and HACS shows them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw

BRAND: Final = Path(__file__).resolve().parent.parent / "custom_components" / "antspace" / "brand"
SCALE: Final = 4
"""Drawn this many times larger, then reduced: smooth edges without an antialiasing pass."""
TILE_TOP: Final = (16, 42, 64)
TILE_BOTTOM: Final = (8, 22, 36)
DROP_TOP: Final = (110, 220, 255)
DROP_BOTTOM: Final = (0, 140, 210)
FLAKE: Final = (255, 255, 255)


def _gradient(size: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, size))
    for y in range(size):
        share = y / max(1, size - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((size, size))


def _drop(size: int) -> list[tuple[float, float]]:
    """A teardrop, point up, filling the middle of a square of this size."""
    cx, radius = size / 2, size * 0.27
    cy = size * 0.60
    tip = size * 0.14
    points: list[tuple[float, float]] = []
    steps = 240
    for i in range(steps + 1):
        t = -math.pi / 2 + 2 * math.pi * i / steps
        # Circle below, narrowing into a point above: blend the circle towards the tip.
        x, y = math.cos(t), math.sin(t)
        if y < 0:
            pull = (-y) ** 1.6
            x *= 1 - pull
            py = cy + y * radius * (1 - pull) + (tip - cy) * pull
        else:
            py = cy + y * radius
        points.append((cx + x * radius, py))
    return points


def _snowflake(draw: ImageDraw.ImageDraw, cx: float, cy: float, arm: float, width: int) -> None:
    for k in range(6):
        angle = math.pi / 2 + k * math.pi / 3
        ex, ey = cx + arm * math.cos(angle), cy - arm * math.sin(angle)
        draw.line([(cx, cy), (ex, ey)], fill=FLAKE, width=width)
        bx, by = cx + arm * 0.6 * math.cos(angle), cy - arm * 0.6 * math.sin(angle)
        for side in (-1, 1):
            branch = angle + side * math.pi / 4
            tip = (bx + arm * 0.3 * math.cos(branch), by - arm * 0.3 * math.sin(branch))
            draw.line([(bx, by), tip], fill=FLAKE, width=width)
        draw.ellipse([ex - width / 2, ey - width / 2, ex + width / 2, ey + width / 2], fill=FLAKE)


def draw(size: int) -> Image.Image:
    """The icon, size by size pixels, transparent outside the rounded tile."""
    big = size * SCALE
    tile_mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(tile_mask).rounded_rectangle(
        [0, 0, big - 1, big - 1], radius=round(big * 0.22), fill=255
    )
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    image.paste(_gradient(big, TILE_TOP, TILE_BOTTOM), (0, 0), tile_mask)

    drop_mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(drop_mask).polygon(_drop(big), fill=255)
    image.paste(_gradient(big, DROP_TOP, DROP_BOTTOM), (0, 0), drop_mask)

    _snowflake(ImageDraw.Draw(image), big / 2, big * 0.60, big * 0.15, max(1, round(big * 0.022)))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the brand images."""
    BRAND.mkdir(parents=True, exist_ok=True)
    for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
        draw(size).save(BRAND / name, optimize=True)
        print(f"brand: wrote {(BRAND / name).relative_to(BRAND.parent.parent.parent)}")


if __name__ == "__main__":
    main()
