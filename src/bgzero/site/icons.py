"""App icons drawn at build time (no binary in git): a subject cut out of a checkerboard."""

from pathlib import Path

from PIL import Image, ImageDraw

TEAL, LIGHT, DARK, WHITE = (15, 118, 110), (226, 232, 240), (148, 163, 184), (255, 255, 255)
# (file, size, maskable): Chrome asks for 192 and 512, and a maskable one for adaptive icons.
ICONS = [
    ("icon-192.png", 192, False),
    ("icon-512.png", 512, False),
    ("icon-maskable-512.png", 512, True),
]


def draw(size: int, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), TEAL)
    draw = ImageDraw.Draw(image)
    # Maskable icons keep their content inside the central 80 % safe zone.
    inset = size // 5 if maskable else size // 8
    square = size - 2 * inset
    cell = max(1, square // 6)
    for row in range(6):
        for col in range(6):
            colour = LIGHT if (row + col) % 2 else DARK
            x, y = inset + col * cell, inset + row * cell
            draw.rectangle([x, y, x + cell - 1, y + cell - 1], fill=colour)
    head = square // 5
    cx = size // 2
    draw.ellipse(
        [cx - head, inset + square // 5, cx + head, inset + square // 5 + 2 * head], fill=WHITE
    )
    draw.pieslice(
        [cx - 2 * head, inset + square // 2, cx + 2 * head, inset + square // 2 + 4 * head],
        180,
        360,
        fill=WHITE,
    )
    return image


def write_icons(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in ICONS:
        draw(size, maskable).save(folder / name, "PNG", optimize=True)
