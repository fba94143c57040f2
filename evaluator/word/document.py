"""An A4 Word document in the layout of 党政机关公文 (GB/T 9704-2012), and its bytes, the same on every run.

Page: A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm. Title 二号 (22 pt)
小标宋, body 三号 (16 pt) 仿宋 with a fixed 28.95 pt line (22 lines a page) and a two-character
indent, first-level headings “一、” in 黑体, second-level “（一）” in 楷体, third-level in bold 仿宋;
tables in 五号 (10.5 pt) 仿宋. Page numbers are a PAGE field in 四号 (14 pt) 宋体 between dashes, on
the right of odd pages and the left of even pages.

Fonts: the 公文 fonts are named first, and each font entry of the document names its fallback
(``w:altName``), which Word and WPS use when the font is not installed. ``FONT_NOTE`` says the same
in words, for the document's own 生成信息. The East Asian language is zh-CN, so that Word picks
Chinese glyph forms.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

__all__ = ["BODY", "FONTS", "FONT_NOTE", "HEADING", "KAI", "SONG", "TITLE", "add_paragraph", "chinese_number",
    "clean", "document_bytes", "fixed_time", "new_document", "page_number_footer", "set_fonts", "style_id"]

TITLE, BODY, HEADING, KAI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
# each font, and the fallbacks Word/WPS should use in order when it is not installed (the first is the
# document's w:altName; LibreOffice and others fall back through the system's CJK fonts)
FONTS: dict[str, tuple[str, ...]] = {
    TITLE: ("华文中宋", "宋体", "Noto Serif CJK SC"),
    BODY: ("仿宋", "FangSong", "Noto Serif CJK SC"),
    HEADING: ("SimHei", "微软雅黑", "Noto Sans CJK SC"),
    KAI: ("楷体", "KaiTi", "Noto Serif CJK SC"),
    SONG: ("SimSun", "Noto Serif CJK SC"),
}
FONT_NOTE = "；".join(f"{role}：{name}（未安装时依次用 {'、'.join(FONTS[name])}）" for role, name in (
    ("标题", TITLE), ("正文与表格", BODY), ("一级标题", HEADING), ("二级标题", KAI), ("页码", SONG)))
BODY_SIZE, TITLE_SIZE, TABLE_SIZE = Pt(16), Pt(22), Pt(10.5)
LINE = Pt(28.95)  # 22 lines on the 225 mm of text height
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32767


def clean(value: object) -> str:
    """Return ``value`` as text a Word document can hold: no XML-illegal characters, CR LF as one line break."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text)[:MAX_TEXT]


def add_paragraph(document: Any, text: str = "", style: str = "Normal") -> Any:
    """Append a paragraph in the style named ``style``, with ``text`` made safe (``clean``).

    python-docx looks a style up by scanning every style of the document, for each paragraph (about
    4 ms): the style ids are looked up once per document here and set directly.
    """
    paragraph = document.add_paragraph()
    if style != "Normal":  # the default style is written as no style, as python-docx does
        paragraph._p.style = style_id(document, style)
    if text:
        paragraph.add_run(clean(text))
    return paragraph


def style_id(document: Any, name: str) -> str:
    """The id of the style named ``name`` in ``document``, looked up once per document."""
    ids = document.__dict__.setdefault("_evaluator_style_ids", {})
    if name not in ids:
        ids[name] = document.styles[name].style_id
    return ids[name]


def set_fonts(target: Any, east_asian: str, latin: str = LATIN) -> None:
    """Set the fonts of a run or a style's run properties for Chinese and Latin text (no theme fonts)."""
    r_pr = target if target.tag == qn("w:rPr") else target.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def fixed_time(year: int) -> datetime.datetime:
    """The document date of a year's documents: 31 December of that year (never the time of the run)."""
    year = min(max(int(year), 1980), 9999)
    return datetime.datetime(year, 12, 31, tzinfo=datetime.UTC)


def new_document(title: str, *, subject: str = "", when: datetime.datetime) -> Any:
    """Return an empty A4 公文 document with its styles, fonts, page numbers and fixed properties."""
    document = Document()
    relationships = document.part.package.rels
    for key in [k for k, r in relationships.items() if r.reltype.endswith("/thumbnail")]:
        del relationships[key]  # the template's thumbnail shows python-docx's sample page, not this document
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    _styles(document)
    _font_table(document)
    page_number_footer(document)
    properties = document.core_properties
    properties.title = clean(title)[:255]
    properties.subject = clean(subject)[:255]
    properties.author = properties.last_modified_by = "evaluator"
    properties.comments = "由 evaluator 生成"
    properties.keywords = "预算绩效自评"
    properties.category = ""
    properties.revision = 1
    properties.created = properties.modified = when.replace(tzinfo=None)
    properties.last_printed = when.replace(tzinfo=None)
    return document


NONE = Pt(0)


def _style(document: Any, name: str, font: str, size: Any, *, bold: bool = False, align: Any = None,
           first_line: Any = NONE, line: Any = LINE, before: Any = NONE, after: Any = NONE) -> Any:
    style = document.styles[name]
    set_fonts(style.element, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    r_pr = style.element.get_or_add_rPr()
    for colour in r_pr.findall(qn("w:color")):
        r_pr.remove(colour)
    paragraph = style.paragraph_format
    paragraph.alignment = align
    paragraph.first_line_indent = first_line
    paragraph.space_before, paragraph.space_after = before, after
    if line is None:
        paragraph.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = line
    paragraph.widow_control = True
    return style


def _styles(document: Any) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, BODY)
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    _style(document, "Normal", BODY, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=Pt(32))
    _style(document, "Title", TITLE, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36), after=Pt(12))
    _style(document, "Subtitle", KAI, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(6))
    _style(document, "Heading 1", HEADING, BODY_SIZE, first_line=Pt(32), before=Pt(6))
    _style(document, "Heading 2", KAI, BODY_SIZE, first_line=Pt(32))
    _style(document, "Heading 3", BODY, BODY_SIZE, bold=True, first_line=Pt(32))
    _style(document, "Caption", BODY, Pt(12), align=WD_ALIGN_PARAGRAPH.CENTER, line=None, after=Pt(6))
    _style(document, "Footer", SONG, Pt(14), line=None)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].paragraph_format.keep_with_next = True
    # the template's title has a bottom border and theme colours: a 公文 title is plain
    title = document.styles["Title"].element.get_or_add_pPr()
    for border in title.findall(qn("w:pBdr")):
        title.remove(border)
    table = document.styles.add_style("表格文字", 1)  # WD_STYLE_TYPE.PARAGRAPH
    table.base_style = document.styles["Normal"]
    _style(document, "表格文字", BODY, TABLE_SIZE, line=None)
    form_title = document.styles.add_style("表名", 1)
    form_title.base_style = document.styles["Normal"]
    _style(document, "表名", TITLE, Pt(18), align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(30), first_line=Pt(0))
    form_title.paragraph_format.keep_with_next = True
    note = document.styles.add_style("说明文字", 1)
    note.base_style = document.styles["Normal"]
    _style(document, "说明文字", BODY, Pt(12), line=Pt(20), first_line=Pt(24))


def _font_table(document: Any) -> None:
    """Name each font and its fallback (``w:altName``) in the document's font table."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    for name, fallbacks in FONTS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alternative = OxmlElement("w:altName")
        alternative.set(qn("w:val"), fallbacks[0])
        font.append(alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if name == HEADING else "roman")
        font.append(family)
        pitch = OxmlElement("w:pitch")
        pitch.set(qn("w:val"), "variable")
        font.append(pitch)
        root.append(font)
    part._blob = serialize_part_xml(root)  # a plain part: python-docx keeps its bytes


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """Append a field (PAGE, NUMPAGES) to ``paragraph``, showing ``shown`` until Word updates it."""
    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run_with(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def page_number_footer(document: Any) -> None:
    """Page numbers “— 1 —” as a PAGE field: right on odd pages, left on even pages, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align, indent in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = align
        if indent == "right":
            paragraph.paragraph_format.right_indent = Pt(14)
        else:
            paragraph.paragraph_format.left_indent = Pt(14)
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")


def document_bytes(document: Any, when: datetime.datetime) -> bytes:
    """Return the .docx bytes with every zip entry dated ``when``, in a fixed order: same content, same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """Number a heading as 公文 do: 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三; from 100 on, Arabic numerals."""
    if 0 <= number < 10:
        return _DIGITS[number]
    if 10 <= number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(number)
