import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.utils.factories import jpeg_claiming, mp4_bytes, png_bytes
from townsquare.errors import InvalidInput
from townsquare.social.media_probe import MAX_IMAGE_PIXELS, mp4_duration_ms, probe, sniff_mime


def test_png_size_is_read_from_the_bytes() -> None:
    info = probe(png_bytes(12, 7))
    assert (info.mime, info.extension, info.width, info.height) == ("image/png", "png", 12, 7)


@pytest.mark.parametrize("version", [0, 1])
def test_mp4_duration_is_read_from_mvhd(version: int) -> None:
    info = probe(mp4_bytes(95_500, version=version))
    assert (info.mime, info.duration_ms) == ("video/mp4", 95_500)


def test_unknown_types_and_damaged_files_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unsupported file type"):
        probe(b"%PDF-1.7 not an image")
    with pytest.raises(InvalidInput, match="damaged"):
        probe(png_bytes()[:40])
    with pytest.raises(InvalidInput, match="no readable duration"):
        probe(mp4_bytes(1000)[:24])


def test_sniffing_ignores_names_and_trusts_magic_bytes() -> None:
    assert sniff_mime(b"\xff\xd8\xff\xe0rest") == ("image/jpeg", "jpg")
    assert sniff_mime(b"GIF89a....") == ("image/gif", "gif")
    assert sniff_mime(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ("image/webp", "webp")
    assert sniff_mime(b"\x00\x00\x00\x14ftypqt  ") == ("video/quicktime", "mov")
    assert sniff_mime(b"hello") is None


@given(st.binary(max_size=256))
def test_mp4_parser_never_crashes_on_garbage(data: bytes) -> None:
    result = mp4_duration_ms(data)
    assert result is None or result >= 0


def test_a_truncated_mvhd_box_has_no_duration() -> None:
    whole = mp4_bytes(5000)
    moov_at = whole.index(b"moov") - 4
    ftyp = whole[:moov_at]
    short_mvhd = b"\x00\x00\x00\x10mvhd" + bytes(8)
    moov = (8 + len(short_mvhd)).to_bytes(4, "big") + b"moov" + short_mvhd
    assert mp4_duration_ms(ftyp + moov) is None


@pytest.mark.parametrize("side", [13_000, 14_000])
def test_images_over_the_pixel_limit_are_refused_from_their_header(side: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        probe(jpeg_claiming(side, side))
    assert str(refused.value) == (
        "the image has more than 48,000,000 pixels (8000x6000); resize it and upload again"
    )
    assert MAX_IMAGE_PIXELS == 48_000_000


def test_an_image_at_the_pixel_limit_is_accepted() -> None:
    info = probe(jpeg_claiming(8000, 6000))
    assert (info.width, info.height) == (8000, 6000)
