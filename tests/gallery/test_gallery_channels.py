"""Gallery keys for channels, groups, bias and images (issue 18): parsed into the entry, bad
values named by file, entry and key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes.gallery.load import GalleryFileError, load_gallery


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "g.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_channel_keys(tmp_path: Path) -> None:
    Image.new("RGB", (30, 15), (0, 0, 255)).save(tmp_path / "pic.png")
    body = ('[[entry]]\nname = "c"\nscene = "channels"\nout_channels = 4\nbias = [1, 2, 3, 4]\n'
            '[[entry]]\nname = "g"\nscene = "groups"\nin-channels = 6\nout-channels = 6\n'
            'groups = 3\n'
            '[[entry]]\nname = "f"\nscene = "features"\nimage = "pic.png"\nimage-size = 6\n'
            '[[entry]]\nname = "s"\nscene = "sliding"\nbias = "5"\n')
    _, (c, g, f, s) = load_gallery(_write(tmp_path, body))
    assert (c.spec.in_channels, c.spec.out_channels, c.spec.input_shape) == (3, 4, (4, 4))
    np.testing.assert_array_equal(c.bias, [1, 2, 3, 4])
    assert (g.spec.in_channels, g.spec.out_channels, g.spec.groups) == (6, 6, 3)
    assert f.spec.in_channels == 3 and f.spec.input_shape == (3, 6) and f.x.shape == (3, 3, 6)
    np.testing.assert_allclose(f.x[2], 1.0)
    assert not s.spec.has_channels and list(s.bias) == [5.0]
    assert c.params["bias"] and f.params["image"]


@pytest.mark.parametrize("entry, match", [
    ('scene = "channels"\nbias = [1]', "bias has 1 values, which is invalid: out-channels is 2"),
    ('scene = "channels"\nbias = "x"', "key 'bias'"),
    ('scene = "channels"\ngroups = 0', "key 'groups'"),
    ('scene = "groups"\ngroups = 3', "groups=3 is invalid with in_channels=4"),
    ('scene = "features"\nimage = "none.png"', "image=.* is invalid: no such file"),
    ('scene = "features"\nimage = "../x.png"', "key 'image'.*gallery file's folder"),
])
def test_bad_channel_keys(tmp_path: Path, entry: str, match: str) -> None:
    with pytest.raises(GalleryFileError, match=match) as err:
        load_gallery(_write(tmp_path, f'[[entry]]\nname = "e"\n{entry}\n'))
    assert str(err.value).startswith(str(tmp_path / "g.toml")) and "\n" not in str(err.value)
