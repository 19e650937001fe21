"""Shared building blocks of the printed forms: styles, header block, grids, signature boxes,
and the page canvas that writes "page x of y", the running header and the copy mark."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from reportlab import rl_config
from reportlab.graphics.barcode import code128, qrencoder
from reportlab.lib import colors, rl_accel
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn
from reportlab.platypus.tables import CellStyle

from shop_desk.i18n import translate
from shop_desk.printing import tuning
from shop_desk.services.documents import ShopHeader, SignatureImage

# Binary (zlib only) content streams: ASCII85 on top only costs time and size.
rl_config.useA85 = 0
tuning.install()

INK = colors.HexColor("#1a1a1a")
GRID = colors.HexColor("#555555")
LABEL_BG = colors.HexColor("#f0f0f0")
HEAD_BG = colors.HexColor("#dcdcdc")
ZEBRA = colors.HexColor("#f8f8f8")
MUTED = colors.HexColor("#666666")
MARGIN = 12 * mm
BOTTOM = 15 * mm


#: Chinese, Japanese and Korean characters (and their punctuation): text with any of them
#: wraps between characters, not only at spaces.
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@lru_cache(maxsize=128)
def _cjk_style(style: ParagraphStyle) -> ParagraphStyle:
    return style.clone(f"{style.name}_cjk", wordWrap="CJK")


def para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph that wraps as its text needs: text with Chinese breaks between characters
    and before a Latin word that follows them ("…附件" / "Front", never "…附件Fr" / "ont"); Latin
    text breaks at spaces only, as before."""
    if style.wordWrap is None and _CJK.search(markup):
        style = _cjk_style(style)
    return Paragraph(markup, style)


def esc(text: object) -> str:
    """Plain text for a Paragraph (escape markup, keep line breaks)."""
    s = "" if text is None else str(text)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


class Styles:
    """Paragraph styles of one form, all in the embedded font."""

    def __init__(self, font: str, base: float = 8.8) -> None:
        self.font = font

        def st(
            name: str,
            size: float = base,
            align: int = TA_LEFT,
            colour=INK,
            leading: float | None = None,
            **kw,
        ) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=font,
                fontSize=size,
                leading=leading or size * 1.25,
                alignment=align,
                textColor=colour,
                splitLongWords=1,
                **kw,
            )

        self.normal = st("normal")
        self.small = st("small", base - 1.3, colour=MUTED)
        self.label = st("label", base - 1.2, colour=colors.HexColor("#333333"))
        self.cell = st("cell", base - 0.6)
        self.cell_r = st("cell_r", base - 0.6, TA_RIGHT)
        self.cell_c = st("cell_c", base - 0.6, TA_CENTER)
        self.head = st("head", base - 0.8, TA_CENTER)
        self.shop = st("shop", base + 4.2)
        self.number = st("number", base + 1.2, TA_RIGHT)
        self.big = st("big", base + 1.7)
        self.big_r = st("big_r", base + 2.7, TA_RIGHT)
        self.section = st("section", base + 1.2, spaceBefore=2)
        self.copy = st("copy", base + 1.2, TA_CENTER)


@dataclass
class FormContext:
    """What every page of one rendered file needs to know."""

    font: str
    styles: Styles
    title: str
    number: str
    shop_name: str
    copy_mark: bool
    printed_at: dt.datetime
    width: float = 0.0  # frame width, set by build_pdf's caller
    height: float = 0.0  # frame height: what one page can hold
    #: One pass of the pages per entry (task order: customer copy, office copy); "" = no label.
    copies: tuple[str, ...] = ("",)
    #: Which print of the document this is (2 = the first copy); 0 when not known.
    print_no: int = 0


# --------------------------------------------------------------------------- page canvas


class Tag(Flowable):
    """Starts a page group (one copy, one slip): pages are numbered within the group."""

    def __init__(self, key: str, label: str = "") -> None:
        super().__init__()
        self.key = key
        self.label = label
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.sd_tag = (self.key, self.label)


class CopyBox(Flowable):
    """The framed box in the title line that names the copy (客户联 / 存根联).

    The label is written when the pages are emitted, so the laid-out pages are reused for every
    copy: each copy costs only its page decorations, not a second layout.
    """

    def __init__(self, width: float = 34 * mm, height: float = 8 * mm) -> None:
        super().__init__()
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(INK)
        c.setLineWidth(0.9)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.restoreState()
        x, y = c.absolutePosition(0, 0)
        c.sd_copybox = (x, y, self.width, self.height)


class FormCanvas(Canvas):
    """Holds the pages back until the end, then writes them once per copy with "page x of y"
    (per page group), the running header, the copy label and the reprint mark."""

    def __init__(self, *args, ctx: FormContext, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._ctx = ctx
        self._saved_pages: list[dict] = []
        self.sd_tag = ("", "")
        self.sd_copybox: tuple[float, float, float, float] | None = None

    def showPage(self) -> None:  # noqa: N802 (ReportLab API)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()
        self.sd_copybox = None

    def save(self) -> None:
        pages = self._saved_pages
        totals = Counter(p["sd_tag"][0] for p in pages)
        for copy_label in self._ctx.copies:
            seen: Counter[str] = Counter()
            for state in pages:
                self.__dict__.update(state)
                # each emission gets its own accumulators: the same laid-out page serves every copy
                self._code = list(state["_code"])
                self._colorsUsed = dict(state["_colorsUsed"])
                self._shadingUsed = dict(state["_shadingUsed"])
                self._formsinuse = list(state["_formsinuse"])
                self._annotationrefs = list(state["_annotationrefs"])
                key, tag_label = state["sd_tag"]
                seen[key] += 1
                self._decorate(
                    seen[key],
                    totals[key],
                    copy_label or tag_label,
                    state.get("sd_copybox"),
                    bool(copy_label),
                )
                Canvas.showPage(self)
        Canvas.save(self)

    def _decorate(
        self,
        page: int,
        pages: int,
        label: str,
        copybox: tuple[float, float, float, float] | None,
        is_copy: bool,
    ) -> None:
        ctx = self._ctx
        w, h = self._pagesize
        self.saveState()
        if copybox is not None and is_copy:
            x, y, bw, bh = copybox
            self.setFont(ctx.font, 10)
            self.setFillColor(INK)
            self.drawCentredString(
                x + bw / 2, y + bh / 2 - 3.5, fit_text(label, ctx.font, 10, bw - 4)
            )
        self.setFont(ctx.font, 7.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(colors.HexColor("#999999"))
        self.setLineWidth(0.4)
        y = BOTTOM - 7 * mm
        self.line(MARGIN, y + 9, w - MARGIN, y + 9)
        centre = translate("Printing", "Page {page} of {pages}").format(page=page, pages=pages)
        room = w / 2 - MARGIN - self.stringWidth(centre, ctx.font, 7.5) / 2 - 4 * mm
        for line, (text, size) in enumerate(footer_lines(ctx, room)):
            self.setFont(ctx.font, size)
            self.drawString(MARGIN, y - line * 8, text)
        self.setFont(ctx.font, 7.5)
        self.drawCentredString(w / 2, y, centre)
        right = translate("Printing", "Printed {time}").format(
            time=ctx.printed_at.strftime("%Y-%m-%d %H:%M")
        )
        if label:
            right = f"{label}  ·  {right}"
        self.drawRightString(w - MARGIN, y, right)
        if page > 1:  # running header on continuation pages
            self.setFont(ctx.font, 8)
            self.setFillColor(INK)
            text = translate("Printing", "{title} {number} (continued)").format(
                title=ctx.title, number=ctx.number
            )
            if label:
                text = f"{text}  ·  {label}"
            self.drawString(MARGIN, h - MARGIN + 3 * mm, text)
        if ctx.copy_mark:
            self.setFillColor(colors.HexColor("#c0392b"))
            self.setFont(ctx.font, 9)
            self.drawRightString(w - MARGIN, h - MARGIN + 3 * mm, copy_mark_text(ctx.print_no))
            self.setFillAlpha(0.12)
            self.setFont(ctx.font, 96)
            self.translate(w / 2, h / 2)
            self.rotate(35)
            self.drawCentredString(0, -30, translate("Printing", "COPY"))
        self.restoreState()


def copy_mark_text(print_no: int = 0) -> str:
    """The red line at the top of a reprint: 副本 / COPY and, when known, which print it is."""
    if print_no > 1:
        return translate("Printing", "Reprint: COPY, print no. {n}, not the original").format(
            n=print_no
        )
    return translate("Printing", "Reprint: COPY, not the original")


def footer_lines(ctx: FormContext, room: float) -> list[tuple[str, float]]:
    """The footer's left part: title, number and the shop's full name, as (text, font size)
    lines. The shop name is never cut: the line gets a smaller type first, and when even that
    is too long the name goes on a line of its own under the number."""
    head = f"{ctx.title} {ctx.number}"
    if not ctx.shop_name:
        return [(fit_text(head, ctx.font, 7.5, room), 7.5)]
    both = f"{head}  ·  {ctx.shop_name}"
    for size in (7.5, 7.0, 6.5, 6.0):
        if pdfmetrics.stringWidth(both, ctx.font, size) <= room:
            return [(both, size)]
    name_size = 6.0
    while name_size > 4.5 and pdfmetrics.stringWidth(ctx.shop_name, ctx.font, name_size) > room:
        name_size -= 0.5
    return [(fit_text(head, ctx.font, 6.0, room), 6.0), (ctx.shop_name, name_size)]


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def build_pdf(story: list[Flowable], ctx: FormContext, pagesize: tuple[float, float]) -> bytes:
    """Lay the story out on pages of ``pagesize`` and return the PDF bytes."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM,
        title=f"{ctx.title} {ctx.number}",
        author=ctx.shop_name,
        creator="shop-desk",
        initialFontName=ctx.font,
        initialFontSize=9,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    doc.build(story, canvasmaker=partial(FormCanvas, ctx=ctx))
    return buf.getvalue()


def frame_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - 2 * MARGIN


# --------------------------------------------------------------------------- blocks


class TitleText(Flowable):
    """The document title, centred, drawn heavier (fill + thin stroke: the font has no bold)."""

    def __init__(self, text: str, font: str, size: float = 17) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.3

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(INK)
        c.setStrokeColor(INK)
        c.setLineWidth(self.size / 40)
        t = c.beginText()
        t.setFont(self.font, self.size)
        t.setTextRenderMode(2)
        tw = c.stringWidth(self.text, self.font, self.size)
        t.setTextOrigin((self.width - tw) / 2, self.size * 0.3)
        t.textOut(self.text)
        c.drawText(t)
        c.restoreState()


@lru_cache(maxsize=64)
def image_reader(data: bytes) -> ImageReader | None:
    """The decoded picture of a PNG/JPEG, or None if it is unreadable.

    Remembered by content: the shop logo and a service advisor's signature come back on form
    after form, and decoding them again each time was a tenth of a form's rendering."""
    try:
        reader = ImageReader(io.BytesIO(data))
        iw, ih = reader.getSize()
        reader.getRGBData()  # decoded once here, not again on every form
    except Exception:
        return None
    return reader if iw > 0 and ih > 0 else None


class Picture(Flowable):
    """An image drawn at a fixed size (transparency kept)."""

    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader = reader
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def image(data: bytes | None, max_w: float, max_h: float) -> Picture | None:
    """A PNG/JPEG scaled to fit the box (aspect kept), or None if there is none or it is unreadable."""
    reader = image_reader(bytes(data)) if data else None
    if reader is None:
        return None
    iw, ih = reader.getSize()
    scale = min(max_w / iw, max_h / ih)
    return Picture(reader, iw * scale, ih * scale)


def barcode(value: str, height: float = 9 * mm, max_width: float = 60 * mm) -> Flowable:
    """Code 128 of a document number (for scanners at the desk); no printed text under it."""
    bar_width = 0.95
    code = code128.Code128(
        value, barHeight=height, barWidth=bar_width, humanReadable=False, quiet=False
    )
    if code.width > max_width:
        code = code128.Code128(
            value,
            barHeight=height,
            barWidth=bar_width * max_width / code.width,
            humanReadable=False,
            quiet=False,
        )
    code.hAlign = "RIGHT"
    return code


class QrCode(Flowable):
    """A QR code drawn straight as rectangles (one per run of dark modules: fast and crisp)."""

    def __init__(self, value: str, size: float = 24 * mm) -> None:
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(value)
        code.make()
        self.value = value
        self.modules = code.modules
        self.width = self.height = size
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        n = len(self.modules)
        unit = self.width / (n + 4)  # two modules of quiet zone on each side (the cell adds more)
        path = c.beginPath()
        for r, row in enumerate(self.modules):
            y = self.height - (r + 3) * unit
            col = 0
            while col < n:
                if row[col]:
                    start = col
                    while col < n and row[col]:
                        col += 1
                    path.rect((start + 2) * unit, y, (col - start) * unit, unit)
                else:
                    col += 1
        c.saveState()
        c.setFillColor(colors.black)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()


def header(
    ctx: FormContext,
    shop: ShopHeader,
    number_label: str,
    number: str,
    code: str = "bar",
    copy_box: bool = False,
    extra_numbers: Sequence[tuple[str, str]] = (),
) -> list[Flowable]:
    """Shop block (logo, name, address, phone), number with its code, then the title line."""
    s = ctx.styles
    logo = image(shop.logo, 22 * mm, 16 * mm)
    contact = " · ".join(
        x
        for x in (
            shop.address,
            translate("Printing", "Tel. {phone}").format(phone=shop.phone) if shop.phone else "",
        )
        if x
    )
    shop_cell = [Paragraph(esc(shop.name or translate("Printing", "Service centre")), s.shop)]
    if contact:
        shop_cell.append(Paragraph(esc(contact), s.small))
    num_cell: list[Flowable] = [
        Paragraph(f"{esc(number_label)} <font size='12'>{esc(number)}</font>", s.number)
    ]
    for label, value in extra_numbers:
        num_cell.append(Paragraph(f"{esc(label)} {esc(value)}", s.number))
    if code == "bar":
        num_cell.append(Spacer(1, 1.2 * mm))
        num_cell.append(barcode(number))
    right_w = 64 * mm
    logo_w = 25 * mm if logo is not None else 0.01
    cols = [logo_w, ctx.width - logo_w - right_w, right_w]
    top = Table([[logo or "", shop_cell, num_cell]], colWidths=cols)
    top.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 3 if logo is not None else 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ]
        )
    )
    title = TitleText(ctx.title, ctx.font)
    side = 34 * mm
    title_row = Table(
        [["", title, CopyBox(side) if copy_box else ""]],
        colWidths=[side, ctx.width - 2 * side, side],
    )
    style = [
        ("FONT", (0, 0), (-1, -1), ctx.font, 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    title_row.setStyle(TableStyle(style))
    return [top, title_row, Spacer(1, 1.5 * mm)]


class FastTable(Table):
    """A Table that writes its one-line text cells into one PDF text object per drawn piece.

    ReportLab draws every string cell with its own text object (``canvas.drawString``), which
    is most of the time of a 60-line form. Here the plain cells only set the text origin and
    write the string; backgrounds, rules and wrapping (Paragraph) cells are drawn as usual.
    The text goes on top of backgrounds and rules, as before; the page looks the same.

    A TrueType string is also encoded once per file: ReportLab maps every character of every
    drawn string to the embedded subset again; the same texts ("customer", "0.00", a part's
    unit) come back hundreds of times in a long table. The encoding is ReportLab's own
    (``splitString``), remembered per file, so the PDF is byte for byte the same."""

    _PLAIN_ALIGN = ("LEFT", "RIGHT", "CENTRE", "CENTER")
    #: False: every string through ReportLab's ``textOut`` (the tests compare both ways).
    encode_once = True

    def draw(self) -> None:
        self._text_obj = None
        self._text_style = None
        self._plain_looks: dict[int, bool] = {}  # per cell style: drawn the fast way?
        self._encoded = self.canv.__dict__.setdefault("_sd_encoded", {})  # one per file
        super().draw()
        if self._text_obj is not None:
            self.canv.drawText(self._text_obj)
            self._text_obj = None

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:  # noqa: N802 (ReportLab API)
        just = cellstyle.alignment
        plain = self._plain_looks.get(id(cellstyle))
        if plain is None:  # the body rows share their styles: judged once per column
            plain = self._plain_looks[id(cellstyle)] = not (
                just not in self._PLAIN_ALIGN
                or cellstyle.valign not in ("TOP", "MIDDLE", "BOTTOM")
                or cellstyle.direction
                or cellstyle.shaping
                or cellstyle.href
                or cellstyle.destination
            )
        if not plain or type(cellval) is not str or "\n" in cellval:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        t = self._text_obj
        if t is None:
            t = self._text_obj = self.canv.beginText()
        font, fsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        last = self._text_style
        if last is None or (font, fsize, leading) != last[:3]:
            t.setFont(font, fsize, leading)
        if last is None or (cellstyle.color is not last[3] and cellstyle.color != last[3]):
            t.setFillColor(cellstyle.color)
        self._text_style = (font, fsize, leading, cellstyle.color)
        colpos, rowpos = pos
        colwidth, rowheight = size
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        else:
            width = pdfmetrics.stringWidth(cellval, font, fsize)
            if just == "RIGHT":
                x = colpos + colwidth - cellstyle.rightPadding - width
            else:
                x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding - width) / 2
        valign = cellstyle.valign
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + leading - fsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fsize
        else:
            y = (
                rowpos
                + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + leading) / 2.0
                - fsize
            )
        if self.encode_once and self.canv.bottomup:
            self._text_out(t, cellval, font, fsize, leading, x, y)
        else:
            t.setTextOrigin(x, y)
            t.textOut(cellval)

    def _text_out(
        self, t, text: str, font_name: str, size: float, leading: float, x: float, y: float
    ) -> None:
        """``t.setTextOrigin(x, y); t.textOut(text)`` for a string whose position needs no
        advance afterwards: the same PDF operators, the encoding remembered per file."""
        canv = self.canv
        memo = self._encoded
        pieces = memo.get((font_name, text))
        if pieces is None:
            font = pdfmetrics.getFont(font_name)
            if not font._dynamicFont or font.shapable:
                t.setTextOrigin(x, y)
                t.textOut(text)
                return
            pieces = [
                (subset, canv._escape(chunk)) for subset, chunk in font.splitString(text, canv._doc)
            ]
            memo[(font_name, text)] = pieces
        code = [f"1 0 0 1 {rl_accel.fp_str(x, y)} Tm"]  # as setTextOrigin writes it
        for subset, chunk in pieces:
            if subset != t._curSubset:
                font = pdfmetrics.getFont(font_name)
                name = font.getSubsetInternalName(subset, canv._doc)
                code.append(f"{name} {rl_accel.fp_str(size)} Tf {rl_accel.fp_str(leading)} TL")
                t._curSubset = subset
            code.append(f"({chunk}) Tj")
        t._code.append(" ".join(code))


def cell(value: object, style: ParagraphStyle, width: float) -> object:
    """A table cell: flowables as they are, text as a plain string when it fits on one line
    (drawn much faster), else as a wrapping Paragraph."""
    if isinstance(value, Flowable | list):
        return value
    text = "" if value is None else str(value)
    if "\n" not in text and (
        len(text) * style.fontSize <= width  # no glyph is wider than 1 em: fits without measuring
        or pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= width
    ):
        return text
    return para(esc(text), style)


#: Where a part number or operation code may break: after a hyphen, slash, dot or underscore.
_CODE_BREAK = re.compile(r"(?<=[-/._])")
#: The smallest type a code is shrunk to before it is broken over lines.
_CODE_MIN_SIZE = 6.0


def code_cell(value: object, style: ParagraphStyle, width: float) -> object:
    """A part number or code: on one line (in smaller type if need be, down to 6 pt), else
    broken after its hyphens with every piece whole ("EDGE-BUMPER-" / "ASSY-0001", never
    "EDGE-BUMPE" / "R-ASSY")."""
    text = "" if value is None else str(value)
    font, size = style.fontName, style.fontSize
    full = pdfmetrics.stringWidth(text, font, size)
    if full <= width:
        return text
    room = width * 0.98  # ReportLab's own measure rounds: keep a hair of room
    if full * _CODE_MIN_SIZE / size <= room:  # shrinks onto one line
        fitted = size * room / full
        return Paragraph(esc(text), _code_style(style, fitted))
    pieces = [p for p in _CODE_BREAK.split(text) if p]
    widest = max(pdfmetrics.stringWidth(p, font, size) for p in pieces)
    fitted = max(_CODE_MIN_SIZE, min(size, size * room / widest))
    lines: list[str] = []
    for piece in pieces:  # as many whole pieces on a line as fit
        if lines and pdfmetrics.stringWidth(lines[-1] + piece, font, fitted) <= room:
            lines[-1] += piece
        else:
            lines.append(piece)
    return Paragraph("<br/>".join(esc(line) for line in lines), _code_style(style, fitted))


def _code_style(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return style.clone(f"{style.name}_code", fontSize=size, leading=size * 1.25, wordWrap=None)


def _text_style(
    col: int | tuple[int, int], rows: tuple[int, int], st: ParagraphStyle
) -> list[tuple]:
    """FONT/TEXTCOLOR/LEADING commands so plain-string cells look like ``st``."""
    c0, c1 = (col, col) if isinstance(col, int) else col
    return [
        ("FONT", (c0, rows[0]), (c1, rows[1]), st.fontName, st.fontSize, st.leading),
        ("TEXTCOLOR", (c0, rows[0]), (c1, rows[1]), st.textColor),
    ]


def info_grid(
    ctx: FormContext,
    pairs: Sequence[tuple[str, object]],
    columns: int = 3,
    label_width: float = 22 * mm,
    spans: Sequence[int] = (),
) -> Table:
    """Label/value pairs in a ruled grid, ``columns`` pairs per row. Values wrap.

    ``spans``: indexes of pairs whose value runs to the end of its row (no further pairs on it).
    """
    s = ctx.styles
    pad = 3
    value_width = (ctx.width - columns * label_width) / columns
    rows: list[list] = []
    style: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]
    for c in range(columns):
        style += _text_style(2 * c, (0, -1), s.label) + _text_style(2 * c + 1, (0, -1), s.normal)
    row: list = []
    for i, (label, value) in enumerate(pairs):
        col = len(row) // 2
        r = len(rows)
        spanned = i in spans and col < columns - 1
        width = (
            (ctx.width - col * (label_width + value_width) - label_width)
            if spanned
            else value_width
        )
        row += [cell(label, s.label, label_width - 2 * pad), cell(value, s.normal, width - 2 * pad)]
        style.append(("BACKGROUND", (2 * col, r), (2 * col, r), LABEL_BG))
        if spanned:
            style.append(("SPAN", (len(row) - 1, r), (2 * columns - 1, r)))
            row += ["", ""] * (columns - col - 1)
        if len(row) >= 2 * columns:
            rows.append(row)
            row = []
    if row:
        row += ["", ""] * (columns - len(row) // 2)
        rows.append(row)
    table = FastTable(rows, colWidths=[label_width, value_width] * columns)
    table.setStyle(TableStyle(style))
    return table


def text_box(ctx: FormContext, label: str, text: str) -> Table:
    """A labelled box of free text (complaint, diagnosis...) across the page."""
    s = ctx.styles
    label_w = 21 * mm
    pad = 3
    table = FastTable(
        [
            [
                cell(label, s.label, label_w - 2 * pad),
                cell(text, s.normal, ctx.width - label_w - 2 * pad) or " ",
            ]
        ],
        colWidths=[label_w, ctx.width - label_w],
    )
    table.setStyle(
        TableStyle(
            [
                *_text_style(0, (0, 0), s.label),
                *_text_style(1, (0, 0), s.normal),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    return table


def section(ctx: FormContext, text: str) -> Paragraph:
    return Paragraph(esc(text), ctx.styles.section)


def data_table(
    ctx: FormContext,
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    align: str,
    repeat: bool = True,
    extra_style: Sequence[tuple] = (),
) -> Table:
    """A ruled table with a shaded header row that repeats on every page.

    ``align`` has one letter per column: l, r or c; k for a code or part number (left, kept
    whole: see :func:`code_cell`). Long text cells wrap.
    """
    s = ctx.styles
    pad = 2.5
    by_align = {"l": s.cell, "r": s.cell_r, "c": s.cell_c, "k": s.cell}
    scale = ctx.width / sum(widths)
    col_w = [w * scale for w in widths]
    makers = [code_cell if a == "k" else cell for a in align]
    data: list[list] = [[cell(h, s.head, col_w[i] - 2 * pad) for i, h in enumerate(head)]]
    for row in rows:
        data.append(
            [makers[i](v, by_align[align[i]], col_w[i] - 2 * pad) for i, v in enumerate(row)]
        )
    names = {"l": "LEFT", "r": "RIGHT", "c": "CENTER", "k": "LEFT"}
    head_styles = [_cell_style(s.head, "CENTER", pad) for _ in align]
    body_styles = [_cell_style(s.cell, names[a], pad) for a in align]
    # Every body row shares one list of cell styles: the same look, set once instead of per cell.
    cell_styles = [head_styles] + [body_styles] * len(rows)
    for cmd in extra_style:  # a row a command changes gets styles of its own
        if cmd[0] not in _TABLE_LEVEL_COMMANDS:
            r0, r1 = (r % len(data) for r in (cmd[1][1], cmd[2][1]))
            for r in range(r0, r1 + 1):
                if cell_styles[r] is body_styles:
                    cell_styles[r] = [copy.copy(st) for st in body_styles]
    table = FastTable(
        data,
        colWidths=col_w,
        rowHeights=_plain_row_heights(data, cell_styles, (head_styles, body_styles)),
        repeatRows=1 if repeat else 0,
        cellStyles=cell_styles,
        normalizedData=1,  # cell() gave strings (never None) and flowables
    )
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
    ]
    if len(data) > 3:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    style.extend(extra_style)
    table.setStyle(TableStyle(style))
    return table


def parts_table(
    ctx: FormContext,
    rows: Sequence[Sequence[object]],
    more_head: Sequence[str],
    more_widths: Sequence[float],
    more_align: str,
    name_width: float,
    empty: str = "",
) -> Table:
    """The parts table of the parts forms: number, part number, name and unit, then the
    form's own columns (``more_*``). Each of ``rows`` is (no., part no., name, unit, *more);
    without rows and with ``empty``, one row says so in the name column."""
    head = [
        translate("Printing", "No."),
        translate("Printing", "Part no."),
        translate("Printing", "Part"),
        translate("Printing", "Unit"),
        *more_head,
    ]
    body = [[str(r[0]), *r[1:]] for r in rows]
    if not body and empty:
        body = [["", "", empty, "", *("" for _ in more_head)]]
    return data_table(ctx, head, body, [8, 28, name_width, 12, *more_widths], "lklc" + more_align)


def _plain_row_heights(
    data: list[list], cell_styles: list[list[CellStyle]], shared: tuple[list, ...]
) -> list[float | None]:
    """Heights of the rows of one-line strings, worked out as ReportLab does (leading plus
    paddings, the tallest cell), so the table need not measure them cell by cell on every
    layout pass; None (measured by ReportLab) for rows with a wrapping cell or with a look of
    their own (``extra_style``)."""
    heights: list[float | None] = []
    for row, styles in zip(data, cell_styles, strict=True):
        if any(styles is s for s in shared) and all(type(v) is str for v in row):
            heights.append(
                max(
                    (st.leading or 1.2 * st.fontsize) + st.bottomPadding + st.topPadding
                    for st in styles
                )
            )
        else:
            heights.append(None)
    return heights


#: Table style commands that do not set the look of cells one by one.
_TABLE_LEVEL_COMMANDS = frozenset(
    {"GRID", "BOX", "OUTLINE", "INNERGRID", "LINEABOVE", "LINEBELOW", "LINEBEFORE", "LINEAFTER"}
    | {"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT"}
)


def _cell_style(st: ParagraphStyle, align: str, pad: float) -> CellStyle:
    """A data-table cell's look: ``st``'s font and colour, ``align``, the table's paddings."""
    cs = CellStyle(st.name)
    cs.fontname, cs.fontsize, cs.leading, cs.color = (
        st.fontName,
        st.fontSize,
        st.leading,
        st.textColor,
    )
    cs.alignment, cs.valign = align, "MIDDLE"
    cs.topPadding, cs.bottomPadding, cs.leftPadding, cs.rightPadding = 1.6, 2.2, pad, pad
    return cs


def totals_table(
    ctx: FormContext, rows: Sequence[tuple[str, str, bool]], width: float = 96 * mm
) -> Table:
    """Right-aligned label/amount rows; emphasised rows are larger and shaded."""
    s = ctx.styles
    pad = 6  # ReportLab's default cell padding, which this table always had
    widths = [width * 0.64, width * 0.36]
    data = []
    style: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
    ]
    for i, (label, value, strong) in enumerate(rows):
        label_style, value_style = (s.big, s.big_r) if strong else (s.label, s.cell_r)
        data.append(
            [
                cell(label, label_style, widths[0] - 2 * pad),
                cell(value, value_style, widths[1] - 2 * pad),
            ]
        )
        style += _text_style(0, (i, i), label_style) + _text_style(1, (i, i), value_style)
        if strong:
            style.append(("BACKGROUND", (0, i), (-1, i), HEAD_BG))
    table = FastTable(data, colWidths=widths, hAlign="RIGHT")
    table.setStyle(TableStyle(style))
    return table


class SignatureBox(Flowable):
    """A framed box: label, the captured signature image (or empty space for a pen), a signing
    line, and the signer's name and date under it."""

    def __init__(
        self,
        ctx: FormContext,
        label: str,
        sig: SignatureImage | None,
        name: str,
        width: float,
        height: float = 25 * mm,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.label = label
        self.sig = sig
        self.name = name
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        font = self.ctx.font
        w, h = self.width, self.height
        c.saveState()
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        c.rect(0, 0, w, h, stroke=1, fill=0)
        c.setFillColor(colors.HexColor("#333333"))
        c.setFont(font, 7.8)
        c.drawString(3, h - 9.5, self.label)
        line_y = 11.5
        c.setStrokeColor(colors.HexColor("#9a9a9a"))
        c.setLineWidth(0.4)
        c.line(6, line_y, w - 6, line_y)
        data = self.sig.image if self.sig is not None else None
        reader = image_reader(bytes(data)) if data else None
        if reader is not None:  # an unreadable image leaves the box empty for a pen
            iw, ih = reader.getSize()
            box_w, box_h = w - 16, h - 9.5 - line_y - 2
            scale = min(box_w / iw, box_h / ih)
            dw, dh = iw * scale, ih * scale
            c.drawImage(reader, (w - dw) / 2, line_y + 1, dw, dh, mask="auto")
        when = (
            self.sig.signed_at
            if self.sig is not None and (self.sig.image or self.sig.on_paper)
            else None
        )
        date = translate("Printing", "Date: {date}").format(
            date=when.strftime("%Y-%m-%d %H:%M") if when else ""
        )
        c.setFillColor(MUTED)
        c.setFont(font, 7.5)
        c.drawString(6, 3.5, fit_text(self.name, font, 7.5, w / 2 - 8))
        c.drawRightString(w - 6, 3.5, date)
        c.restoreState()


def signature_row(
    ctx: FormContext,
    cells: Sequence[tuple[str, SignatureImage | None, str]],
    height: float = 25 * mm,
) -> Flowable:
    """Side-by-side signature boxes (kept together on one page)."""
    gutter = 4 * mm
    width = (ctx.width - gutter * (len(cells) - 1)) / len(cells)
    row: list = []
    widths: list[float] = []
    for i, (label, sig, name) in enumerate(cells):
        if i:
            row.append("")
            widths.append(gutter)
        row.append(SignatureBox(ctx, label, sig, name, width, height))
        widths.append(width)
    table = Table([row], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class TailTable(Flowable):
    """A long table and what closes it (totals, terms, signature boxes): the closing block
    never starts a page on its own, it stays on the page of at least the table's last
    ``keep`` rows, so the signatures are always beside lines they sign for.

    The table breaks over pages as usual (its header row repeats); only where it breaks is
    chosen: early enough that the last rows move on with the closing block.
    """

    def __init__(
        self, ctx: FormContext, table: Table, tail: Sequence[Flowable], keep: int = 3
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.table = table
        self.tail = list(tail)
        self.keep = keep
        self.width = self.height = 0

    def _tail_height(self, aw: float, ah: float) -> float:
        """The closing block's height (a KeepTogether in it measured by its content: its own
        wrap only says "too tall" to make the frame split it)."""
        return _listWrapOn(_unwrapped(self.tail), aw, self.canv)[1]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # as KeepTogether does: always too tall, so the frame asks split() for the parts
        self.width = avail_width
        return avail_width, 0xFFFFFF

    def draw(self) -> None:  # never drawn itself: split() hands out its parts
        raise NotImplementedError

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        table = self.table
        _w, table_h = table.wrapOn(self.canv, avail_width, avail_height)
        tail_h = self._tail_height(avail_width, avail_height)
        if table_h + table.getSpaceAfter() + tail_h <= avail_height:
            return [table, *self.tail]
        heights = list(table._rowHeights)
        head = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
        n = len(heights)
        keep = min(self.keep, n - head)
        last_page = sum(heights[:head]) + sum(heights[n - keep :]) + tail_h
        if keep <= 0 or last_page > self.ctx.height:  # cannot be kept together on any page
            return [*table.split(avail_width, avail_height), *self.tail]
        # the rows that may stay here: all but the last ``keep`` ones, as many as fit
        limit = min(avail_height, sum(heights[: n - keep]) + 0.01)
        pieces = table.split(avail_width, limit) if n - keep > head else []
        if len(pieces) < 2:
            return []  # not even one row fits before the closing part: all on the next page
        first, rest = pieces
        return [first, TailTable(self.ctx, rest, self.tail, self.keep)]


def _unwrapped(flowables: Sequence[Flowable]) -> list[Flowable]:
    out: list[Flowable] = []
    for f in flowables:
        out += _unwrapped(f._content) if isinstance(f, KeepTogether) else [f]
    return out


def gap(height_mm: float = 2.5) -> Spacer:
    return Spacer(1, height_mm * mm)


class FuelGauge(Flowable):
    """A small fuel bar E … F with quarter ticks and the percentage."""

    def __init__(
        self, percent: int, font: str, width: float = 22 * mm, height: float = 3.2 * mm
    ) -> None:
        super().__init__()
        self.percent = max(0, min(100, int(percent)))
        self.font = font
        self.bar_w = width
        self.bar_h = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(avail_width, self.bar_w + 16 * mm)
        self.height = self.bar_h + 2
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFont(self.font, 7)
        c.setFillColor(INK)
        c.drawString(0, 1.5, "E")
        x0 = 7
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        c.setFillColor(colors.HexColor("#9e9e9e"))
        c.rect(x0, 1, self.bar_w * self.percent / 100, self.bar_h, stroke=0, fill=1)
        c.rect(x0, 1, self.bar_w, self.bar_h, stroke=1, fill=0)
        for q in (0.25, 0.5, 0.75):
            c.line(x0 + self.bar_w * q, 1, x0 + self.bar_w * q, 1 + self.bar_h * 0.55)
        c.setFillColor(INK)
        c.drawString(x0 + self.bar_w + 2, 1.5, "F")
        c.setFont(self.font, 8.5)
        c.drawString(x0 + self.bar_w + 9, 1.2, f"{self.percent}%")
        c.restoreState()


def make_context(
    shop: ShopHeader,
    title: str,
    number: str,
    copy_mark: bool | int,
    pagesize: tuple[float, float],
    copies: tuple[str, ...] = ("",),
) -> FormContext:
    """The context of one form: font from the settings, styles, frame width, print time.

    ``copy_mark``: False (or 0) for the original; for a reprint True, or the print's number
    (2 = the first copy), which the copy mark then shows."""
    from shop_desk import clock
    from shop_desk.printing.fonts import font_for

    font = font_for(shop.extra)
    return FormContext(
        font=font,
        styles=Styles(font),
        title=title,
        number=number,
        shop_name=shop.name,
        copy_mark=bool(copy_mark),
        printed_at=clock.now(),
        width=frame_width(pagesize),
        height=pagesize[1] - MARGIN - BOTTOM,
        copies=copies,
        print_no=copy_mark if type(copy_mark) is int else 0,
    )
