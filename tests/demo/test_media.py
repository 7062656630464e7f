import random
from io import BytesIO

from PIL import Image

from townsquare.demo.media import render_avatar, render_image, render_video
from townsquare.social.media_probe import probe

PALETTE = ("#c2410c", "#fde68a")


def test_a_video_is_a_real_mp4_of_exactly_its_length() -> None:
    data = render_video("Coil folds", "maya_bakes", PALETTE, 200)
    info = probe(data)
    assert (info.mime, info.duration_ms) == ("video/mp4", 200_000)
    assert b"avc1" in data  # H.264 frames, not just a header
    assert len(data) < 400_000
    assert render_video("Coil folds", "maya_bakes", PALETTE, 200) == data


def test_images_and_avatars_are_drawn() -> None:
    picture = render_image("Saturday's crumb", "maya_bakes", PALETTE, random.Random(1))
    assert probe(picture).mime == "image/jpeg"
    assert Image.open(BytesIO(picture)).size == (640, 640)
    assert render_image("Saturday's crumb", "maya_bakes", PALETTE, random.Random(1)) == picture
    avatar = render_avatar("Ember & Oak Coffee Roasters", PALETTE)
    assert (probe(avatar).mime, probe(avatar).width) == ("image/png", 256)
