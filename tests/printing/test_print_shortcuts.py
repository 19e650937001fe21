"""The printing shortcuts taken for speed change nothing on paper: the file is the same as the
one ReportLab writes the long way, and a picture used on many forms is decoded once."""

from __future__ import annotations

import io
import zlib

import pypdf
import pytest
from print_fixtures import build_full_order, png
from reportlab import rl_config

from shop_desk.printing import KINDS, layout, render_document, tuning


@pytest.fixture
def full(db):
    return build_full_order(extra_lines=40)


@pytest.mark.parametrize("kind", KINDS)
def test_strings_encoded_once_per_file_give_the_same_bytes(full, kind, monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)  # no time-based file id
    fast = render_document(kind, full.order.number, lang="zh_CN")
    monkeypatch.setattr(layout.FastTable, "encode_once", False)
    slow = render_document(kind, full.order.number, lang="zh_CN")
    assert fast == slow


def test_streams_are_compressed_fast_and_still_read(full):
    pdf = render_document("task-order", full.order.number)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    content = reader.pages[0].get_contents().get_data()  # decompressed by the reader
    raw = reader.pages[0]["/Contents"].get_object()._data
    assert zlib.decompress(raw) == content
    assert zlib.compress(content, 1) == raw  # written at the fast level


def test_reportlab_runs_its_c_accelerator_but_compares_fragments_in_python():
    """rl-accel is a dependency: number formatting and string widths in C, not in Python; the
    fragment comparison is ReportLab's Python one (the C one is slower, see printing/tuning)."""
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    for func in (rl_accel.fp_str, ttfonts.instanceStringWidthTTF):
        assert type(func).__name__ == "builtin_function_or_method", func
    assert paragraph.sameFrag is tuning.same_frag


@pytest.mark.parametrize("kind", ["task-order", "check-in"])
def test_fragments_compared_in_python_give_the_same_bytes(full, kind, monkeypatch):
    from reportlab.lib import rl_accel
    from reportlab.platypus import paragraph

    monkeypatch.setattr(rl_config, "invariant", 1)  # no time-based file id
    ours = render_document(kind, full.order.number, lang="zh_CN")
    monkeypatch.setattr(paragraph, "sameFrag", rl_accel._c_funcs["sameFrag"])
    theirs = render_document(kind, full.order.number, lang="zh_CN")
    assert ours == theirs


def test_a_picture_is_decoded_once_and_a_broken_one_is_none():
    layout.image_reader.cache_clear()
    picture = png(40, 20)
    first = layout.image_reader(picture)
    assert first is not None and first.getSize() == (40, 20)
    assert layout.image_reader(bytes(picture)) is first  # same content, another bytes object
    assert layout.image_reader(b"not a picture") is None
    assert layout.image(b"not a picture", 50, 50) is None
    scaled = layout.image(picture, 20, 20)
    assert (scaled.width, scaled.height) == (20, 10)  # aspect kept inside the box
