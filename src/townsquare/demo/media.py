"""Draws the demo's pictures and encodes its videos, offline.

Images are drawn with Pillow. Videos are real H.264 MP4 files encoded by the ffmpeg binary that
the ``imageio-ffmpeg`` wheel ships: one frame per second at 320x180, so a six-minute video is a
few hundred kilobytes and its duration (read from ``moov/mvhd``) is the real running time.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
import textwrap
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

IMAGE_SIZE = 640
AVATAR_SIZE = 256
VIDEO_SIZE = (320, 180)
VIDEO_FPS = 1

RGB = tuple[int, int, int]


def _rgb(colour: str) -> RGB:
    red, green, blue = ImageColor.getrgb(colour)[:3]
    return red, green, blue


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    red, green, blue = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return red, green, blue


def _gradient(size: tuple[int, int], palette: tuple[str, str]) -> Image.Image:
    """A diagonal blend from the first colour of the palette to the second."""
    down = Image.linear_gradient("L")
    mask = ImageChops.add(down, down.transpose(Image.Transpose.ROTATE_90), scale=2.0).resize(size)
    return Image.composite(
        Image.new("RGB", size, _rgb(palette[1])), Image.new("RGB", size, _rgb(palette[0])), mask
    )


def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont), "Pillow was built without FreeType"
    return font


def _centred_lines(
    draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, box: tuple[int, int]
) -> None:
    """Draws lines centred in a box of (width, height) at the image's origin, with a shadow."""
    width, height = box
    line_height = round(font.size * 1.25)
    top = (height - line_height * len(lines)) // 2
    for row, line in enumerate(lines):
        y = top + row * line_height
        x = (width - round(draw.textlength(line, font=font))) // 2
        draw.text((x + 2, y + 2), line, font=font, fill=(0, 0, 0))
        draw.text((x, y), line, font=font, fill=(255, 255, 255))


def render_image(title: str, handle: str, palette: tuple[str, str], rng: random.Random) -> bytes:
    """A square JPEG: a gradient, translucent circles, the title and the author's handle."""
    size = (IMAGE_SIZE, IMAGE_SIZE)
    canvas = _gradient(size, palette).convert("RGBA")
    overlay = Image.new("RGBA", size)
    shapes = ImageDraw.Draw(overlay)
    colours = [_rgb(palette[0]), _rgb(palette[1]), (255, 255, 255)]
    for _ in range(rng.randint(6, 12)):
        radius = rng.randint(30, 180)
        x, y = rng.randint(0, IMAGE_SIZE), rng.randint(0, IMAGE_SIZE)
        colour = _mix(rng.choice(colours), (255, 255, 255), rng.random() * 0.5)
        shapes.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, 90))
    shapes.rectangle((0, 220, IMAGE_SIZE, 420), fill=(0, 0, 0, 110))
    canvas = Image.alpha_composite(canvas, overlay).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    _centred_lines(draw, textwrap.wrap(title, 18), _font(52), size)
    draw.text((24, IMAGE_SIZE - 48), f"@{handle}", font=_font(24), fill=(255, 255, 255))
    buffer = BytesIO()
    canvas.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def render_avatar(display_name: str, palette: tuple[str, str]) -> bytes:
    """A square PNG with the person's initials on their palette."""
    size = (AVATAR_SIZE, AVATAR_SIZE)
    canvas = _gradient(size, palette)
    words = [word for word in display_name.split() if word[0].isalnum()]
    initials = "".join(word[0] for word in words[:2]).upper() or "?"
    _centred_lines(ImageDraw.Draw(canvas), [initials], _font(104), size)
    buffer = BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def _video_frames(
    title: str, handle: str, palette: tuple[str, str], seconds: int
) -> Iterator[Image.Image]:
    """One frame per second: the title, a ball that bounces along, a clock and a progress bar."""
    width, height = VIDEO_SIZE
    background = _gradient(VIDEO_SIZE, palette)
    draw = ImageDraw.Draw(background)
    _centred_lines(draw, textwrap.wrap(title, 24)[:2], _font(20), (width, height - 40))
    draw.text((8, 6), f"@{handle}", font=_font(12), fill=(255, 255, 255))
    clock_font = _font(14)
    total = f"{seconds // 60}:{seconds % 60:02d}"
    for second in range(seconds):
        frame = background.copy()
        draw = ImageDraw.Draw(frame)
        x = 12 + (second * 23) % (width - 24)
        y = height - 52 + abs((second % 8) - 4) * 4
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(255, 255, 255))
        draw.text(
            (8, height - 30),
            f"{second // 60}:{second % 60:02d} / {total}",
            font=clock_font,
            fill=(255, 255, 255),
        )
        draw.rectangle(
            (0, height - 6, width * (second + 1) // seconds, height), fill=(255, 255, 255)
        )
        yield frame


def render_video(title: str, handle: str, palette: tuple[str, str], seconds: int) -> bytes:
    """An H.264 MP4 exactly ``seconds`` long; byte-identical for the same arguments."""
    ffmpeg: str = imageio_ffmpeg.get_ffmpeg_exe()
    width, height = VIDEO_SIZE
    with tempfile.TemporaryDirectory(prefix="townsquare-demo-") as workdir:
        target = Path(workdir) / "video.mp4"
        log = Path(workdir) / "ffmpeg.log"
        command = [
            ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
            "-framerate", str(VIDEO_FPS), "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "superfast", "-tune", "stillimage",
            "-pix_fmt", "yuv420p", "-threads", "1",  # one thread: the same bytes on every machine
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-movflags", "+faststart", "-y", str(target),
        ]  # fmt: skip
        with log.open("wb") as log_file:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=log_file)
            assert process.stdin is not None
            try:
                for frame in _video_frames(title, handle, palette, seconds):
                    process.stdin.write(frame.tobytes())
            except BrokenPipeError:
                pass  # ffmpeg stopped reading; its exit status and log say why
            finally:
                process.stdin.close()
            returncode = process.wait()
        if returncode != 0:
            raise RuntimeError(f"ffmpeg failed ({returncode}): {log.read_text().strip()}")
        return target.read_bytes()
