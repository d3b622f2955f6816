#!/usr/bin/env python3
"""corpus2fodt.py — turn one corpus source (corpora/src/NAME.txt) into a
Flat ODF text document (.fodt, for LibreOffice to convert to PDF, DOCX or
ODT) or straight into clean HTML5.  Python 3 standard library only.

    corpus2fodt.py fodt SRC OUT.fodt
    corpus2fodt.py html SRC OUT.html
    corpus2fodt.py format SRC          prints the source's format: line
    corpus2fodt.py pdfdate SRC PDF     sets the PDF's creation date to date:

The source format (corpora/README.md says it in full): header lines
"key: value" (format, lang, title; date YYYY-MM-DD optional, the act's date,
written as the document's creation date) up to the first blank line, then blocks
separated by blank lines.  A block is
    = text        centred title-page lines (one paragraph per line)
    # text        the document title
    ## text       chapter heading (one heading per line)
    ### text      article heading ("Neni 4", "Article 4", "Član 4", "Члан 4")
    #### text      article name
    | a | b |     table rows, the first the header row
    > text        right-aligned lines (signatures, places, dates)
    ---           page break
    @lang xx      (mul documents) the following blocks are in language xx
    anything else a paragraph; its lines are joined with a space.
"""
import html
import re
import sys

LANGS = {
    # tag: (fo:language, fo:country, fo:script or None, html lang)
    "sq": ("sq", "AL", None, "sq"),
    "sr-Latn": ("sr", "RS", "Latn", "sr-Latn"),
    "sr-Cyrl": ("sr", "RS", "Cyrl", "sr-Cyrl"),
    "en": ("en", "GB", None, "en"),
}
FORMATS = ("pdf", "docx", "odt", "html")


class SourceError(Exception):
    pass


def parse(path):
    """Returns (header dict, list of blocks).  A block is (kind, lang, data):
    kind is one of center, title, h2, h3, h4, table, right, pagebreak, para;
    data is a list of lines (table: a list of rows of cells)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("\r\n", "\n")
    head, _, body = text.partition("\n\n")
    meta = {}
    for n, line in enumerate(head.split("\n"), 1):
        if not line.strip():
            continue
        k, sep, v = line.partition(":")
        if not sep:
            raise SourceError("%s:%d: header line without 'key: value'" % (path, n))
        meta[k.strip().lower()] = v.strip()
    for k in ("format", "lang", "title"):
        if k not in meta:
            raise SourceError("%s: header has no %s:" % (path, k))
    if meta["format"] not in FORMATS:
        raise SourceError("%s: format must be one of %s" % (path, " ".join(FORMATS)))
    if "date" in meta and not re.fullmatch(r"(19|20)\d\d-[01]\d-[0-3]\d", meta["date"]):
        raise SourceError("%s: date must be YYYY-MM-DD" % path)
    if meta["lang"] != "mul" and meta["lang"] not in LANGS:
        raise SourceError("%s: lang must be mul or one of %s" % (path, " ".join(LANGS)))
    lang = meta["lang"] if meta["lang"] != "mul" else None
    blocks = []
    grouping = False
    for raw in re.split(r"\n[ \t]*\n", body):
        lines = [l.rstrip() for l in raw.strip("\n").split("\n") if l.strip()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("@lang"):
            lang = first.split(None, 1)[1].strip() if len(first.split()) > 1 else ""
            if lang not in LANGS:
                raise SourceError("%s: unknown language in %r" % (path, first))
            lines = lines[1:]
            if not lines:
                continue
            first = lines[0]
        if lang is None:
            raise SourceError("%s: a mul document must start its parts with '@lang xx'" % path)
        if first.strip() == "---" and len(lines) == 1:
            blocks.append(("pagebreak", lang, []))
            continue
        if all(l.lstrip().startswith("|") for l in lines):
            rows = []
            for l in lines:
                l = l.strip()
                cells = [c.strip() for c in l.strip("|").split("|")]
                if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    continue  # a Markdown separator row
                rows.append(cells)
            blocks.append(("table", lang, rows))
            continue
        kind = marker(first)
        if kind:
            # Each marked line is its own kind; an unmarked line continues
            # the line before it.  Consecutive lines of one kind are one block.
            for l in lines:
                k = marker(l)
                if k:
                    t = l[len(MARKERS[k]):].strip() if l != MARKERS[k].strip() else ""
                    if blocks and blocks[-1][0] == k and blocks[-1][1] == lang and k != "title" and grouping:
                        blocks[-1][2].append(t)
                    elif k == "title" and blocks and blocks[-1][0] == "title" and grouping:
                        blocks[-1][2][0] += " " + t
                    else:
                        blocks.append((k, lang, [t]))
                    grouping = True
                else:
                    blocks[-1][2][-1] += " " + l.strip()
            grouping = False
            continue
        blocks.append(("para", lang, [" ".join(l.strip() for l in lines)]))
    return meta, blocks


MARKERS = {"h4": "#### ", "h3": "### ", "h2": "## ", "title": "# ",
           "center": "= ", "right": "> "}


def marker(line):
    """The kind of a marked line, or None."""
    for k, prefix in MARKERS.items():  # longest first
        if line.startswith(prefix) or line == prefix.strip():
            return k
    return None


# ---- Flat ODF ----

def esc(s):
    return html.escape(s, quote=True)


def text_content(s):
    """Runs of spaces kept as ODF wants them."""
    s = esc(s)
    return re.sub(r"  +", lambda m: ' <text:s text:c="%d"/>' % (len(m.group(0)) - 1), s)


def lang_props(tag):
    lg, country, script, _ = LANGS[tag]
    p = 'fo:language="%s" fo:country="%s"' % (lg, country)
    if script:
        p += ' fo:script="%s" style:script-type="latin"' % script
    return p


STYLES = """
  <office:font-face-decls>
    <style:font-face style:name="DejaVu Serif" svg:font-family="'DejaVu Serif'" style:font-family-generic="roman" style:font-pitch="variable"/>
    <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss" style:font-pitch="variable"/>
  </office:font-face-decls>
  <office:styles>
    <style:default-style style:family="paragraph">
      <style:paragraph-properties fo:hyphenation-ladder-count="no-limit" style:writing-mode="lr-tb"/>
      <style:text-properties style:font-name="DejaVu Serif" fo:font-size="11pt" %(deflang)s fo:hyphenate="false"/>
    </style:default-style>
    <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
    <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
      <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.21cm" fo:line-height="115%%" fo:text-align="justify"/>
    </style:style>
    <style:style style:name="Center" style:display-name="Center" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
      <style:paragraph-properties fo:text-align="center" fo:margin-top="0cm" fo:margin-bottom="0.1cm"/>
      <style:text-properties fo:font-size="15pt" fo:font-weight="bold"/>
    </style:style>
    <style:style style:name="Center_20_End" style:display-name="Center End" style:family="paragraph" style:parent-style-name="Center" style:class="text">
      <style:paragraph-properties fo:margin-bottom="0.7cm"/>
    </style:style>
    <style:style style:name="Right" style:display-name="Right" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
      <style:paragraph-properties fo:text-align="end" fo:margin-top="0cm" fo:margin-bottom="0.1cm"/>
    </style:style>
    <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text">
      <style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.25cm" fo:keep-with-next="always"/>
      <style:text-properties style:font-name="DejaVu Sans" fo:font-weight="bold"/>
    </style:style>
    <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:class="chapter">
      <style:paragraph-properties fo:text-align="center" fo:margin-top="0.6cm" fo:margin-bottom="0.6cm"/>
      <style:text-properties fo:font-size="18pt"/>
    </style:style>
    <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" style:class="text">
      <style:paragraph-properties fo:text-align="center"/>
      <style:text-properties fo:font-size="16pt"/>
    </style:style>
    <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2" style:class="text">
      <style:paragraph-properties fo:text-align="center" fo:margin-top="0.5cm"/>
      <style:text-properties fo:font-size="15pt"/>
    </style:style>
    <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="3" style:class="text">
      <style:paragraph-properties fo:text-align="center" fo:margin-top="0.45cm" fo:margin-bottom="0.15cm"/>
      <style:text-properties fo:font-size="12pt"/>
    </style:style>
    <style:style style:name="Heading_20_4" style:display-name="Heading 4" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="4" style:class="text">
      <style:paragraph-properties fo:text-align="center" fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/>
      <style:text-properties fo:font-size="11pt" fo:font-style="italic"/>
    </style:style>
    <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
      <style:paragraph-properties fo:text-align="start"/>
      <style:text-properties fo:font-size="10pt"/>
    </style:style>
    <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
      <style:paragraph-properties fo:text-align="center"/>
      <style:text-properties fo:font-weight="bold"/>
    </style:style>
    <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
      <style:paragraph-properties fo:text-align="center"/>
      <style:text-properties fo:font-size="9pt"/>
    </style:style>
  </office:styles>
"""

HEADING_LEVEL = {"title": None, "h2": 2, "h3": 3, "h4": 4}
BASE_STYLE = {"center": "Center", "right": "Right", "para": "Text_20_body",
              "title": "Title", "h2": "Heading_20_2", "h3": "Heading_20_3",
              "h4": "Heading_20_4"}


def fodt(meta, blocks):
    doc_lang = meta["lang"]
    first_lang = next((b[1] for b in blocks), "en")
    deflang = lang_props(doc_lang if doc_lang != "mul" else first_lang)
    auto = {}  # (base, lang, break) -> automatic style name
    auto_xml = []

    def pstyle(base, lang, brk):
        key = (base, lang, brk)
        if key not in auto:
            name = "P%d" % (len(auto) + 1)
            auto[key] = name
            pp = '<style:paragraph-properties fo:break-before="page"/>' if brk else ""
            auto_xml.append(
                '<style:style style:name="%s" style:family="paragraph" '
                'style:parent-style-name="%s"%s>%s<style:text-properties %s/></style:style>'
                % (name, base, ' style:master-page-name="Standard"' if brk else "",
                   pp, lang_props(lang)))
        return auto[key]

    body = []
    brk = False
    ntable = 0
    for kind, lang, data in blocks:
        if kind == "pagebreak":
            brk = True
            continue
        if kind == "table":
            ntable += 1
            ncols = max(len(r) for r in data)
            tname = "Table%d" % ntable
            auto_xml.append(
                '<style:style style:name="%s" style:family="table"%s>'
                '<style:table-properties style:width="16cm" table:align="margins"%s/></style:style>'
                % (tname, ' style:master-page-name="Standard"' if brk else "",
                   ' fo:break-before="page"' if brk else ""))
            brk = False
            t = ['<table:table table:name="%s" table:style-name="%s">' % (tname, tname),
                 '<table:table-column table:number-columns-repeated="%d"/>' % ncols]
            for i, row in enumerate(data):
                row = row + [""] * (ncols - len(row))
                st = pstyle("Table_20_Heading" if i == 0 else "Table_20_Contents", lang, False)
                cells = "".join(
                    '<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="%s">%s</text:p></table:table-cell>'
                    % (st, text_content(c)) for c in row)
                if i == 0:
                    t.append("<table:table-header-rows><table:table-row>%s</table:table-row></table:table-header-rows>" % cells)
                else:
                    t.append("<table:table-row>%s</table:table-row>" % cells)
            t.append("</table:table>")
            body.append("".join(t))
            continue
        for i, line in enumerate(data):
            base = BASE_STYLE[kind]
            if kind == "center" and i == len(data) - 1:
                base = "Center_20_End"  # a gap after a block of centred lines
            st = pstyle(base, lang, brk)
            brk = False
            level = HEADING_LEVEL.get(kind)
            if level:
                body.append('<text:h text:style-name="%s" text:outline-level="%d">%s</text:h>'
                            % (st, level, text_content(line)))
            else:
                body.append('<text:p text:style-name="%s">%s</text:p>' % (st, text_content(line)))

    dc_lang = ""
    if doc_lang != "mul":
        dc_lang = "<dc:language>%s</dc:language>" % LANGS[doc_lang][3]
    dates = ""
    if "date" in meta:
        dates = ("<meta:creation-date>%sT12:00:00</meta:creation-date><dc:date>%sT12:00:00</dc:date>"
                 % (meta["date"], meta["date"]))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
           'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">',
           '<office:meta><meta:generator>ura scripts/corpus2fodt.py</meta:generator>'
           '<dc:title>%s</dc:title>%s%s</office:meta>' % (esc(meta["title"]), dc_lang, dates),
           STYLES % {"deflang": deflang},
           '<office:automatic-styles>',
           '<style:page-layout style:name="pm1"><style:page-layout-properties '
           'fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" '
           'fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>'
           '<style:footer-style><style:header-footer-properties fo:min-height="0.8cm" '
           'fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>',
           '<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties '
           'fo:padding="0.08cm" fo:border="0.5pt solid #000000"/></style:style>']
    out.extend(auto_xml)
    out.append('</office:automatic-styles>')
    out.append('<office:master-styles><style:master-page style:name="Standard" '
               'style:page-layout-name="pm1"><style:footer><text:p text:style-name="Footer">'
               '<text:page-number text:select-page="current">1</text:page-number>'
               '</text:p></style:footer></style:master-page></office:master-styles>')
    out.append('<office:body><office:text>')
    out.extend(body)
    out.append('</office:text></office:body></office:document>')
    return "\n".join(out) + "\n"


# ---- HTML ----

def to_html(meta, blocks):
    doc_lang = meta["lang"]
    hl = "mul" if doc_lang == "mul" else LANGS[doc_lang][3]
    out = ['<!DOCTYPE html>', '<html lang="%s">' % hl, '<head>',
           '<meta charset="utf-8">', '<title>%s</title>' % esc(meta["title"])]
    if "date" in meta:
        out.append('<meta name="date" content="%s">' % meta["date"])
    out += [
           '<style>.c{text-align:center}.r{text-align:right}'
           'table{border-collapse:collapse}td,th{border:1px solid #000;padding:2px 6px}</style>',
           '</head>', '<body>']
    section = None
    for kind, lang, data in blocks:
        if doc_lang == "mul" and lang != section:
            if section is not None:
                out.append('</section>')
            out.append('<section lang="%s">' % LANGS[lang][3])
            section = lang
        if kind == "pagebreak":
            out.append('<hr>')
        elif kind == "table":
            out.append('<table>')
            for i, row in enumerate(data):
                tag = "th" if i == 0 else "td"
                out.append('<tr>' + "".join("<%s>%s</%s>" % (tag, esc(c), tag) for c in row) + '</tr>')
            out.append('</table>')
        elif kind == "title":
            out.append('<h1>%s</h1>' % esc(data[0]))
        elif kind in ("h2", "h3", "h4"):
            for l in data:
                out.append('<%s>%s</%s>' % (kind, esc(l), kind))
        elif kind == "center":
            for l in data:
                out.append('<p class="c"><b>%s</b></p>' % esc(l))
        elif kind == "right":
            for l in data:
                out.append('<p class="r">%s</p>' % esc(l))
        else:
            out.append('<p>%s</p>' % esc(data[0]))
    if section is not None:
        out.append('</section>')
    out += ['</body>', '</html>']
    return "\n".join(out) + "\n"


def pdf_date(meta, pdf):
    """LibreOffice stamps a PDF with the time of the conversion: put the
    act's date in its place.  The value keeps its length, so the cross-
    reference table stays right."""
    with open(pdf, "rb") as f:
        data = f.read()
    stamp = ("D:%s120000" % meta["date"].replace("-", "")).encode() if "date" in meta else None
    if stamp is None:
        return 0
    new, n = re.subn(rb"(/CreationDate\()D:\d{14}", lambda m: m.group(1) + stamp, data)
    if n != 1 or len(new) != len(data):
        sys.stderr.write("corpus2fodt: %s: no single /CreationDate to set\n" % pdf)
        return 1
    with open(pdf, "wb") as f:
        f.write(new)
    return 0


def main(argv):
    if len(argv) < 3 or argv[1] not in ("fodt", "html", "format", "pdfdate"):
        sys.stderr.write("usage: corpus2fodt.py fodt|html SRC OUT | format SRC | pdfdate SRC PDF\n")
        return 2
    try:
        meta, blocks = parse(argv[2])
    except (SourceError, OSError, UnicodeDecodeError) as e:
        sys.stderr.write("corpus2fodt: %s\n" % e)
        return 1
    if argv[1] == "format":
        print(meta["format"])
        return 0
    if argv[1] == "pdfdate":
        return pdf_date(meta, argv[3])
    if len(argv) != 4:
        sys.stderr.write("usage: corpus2fodt.py fodt|html SRC OUT\n")
        return 2
    data = fodt(meta, blocks) if argv[1] == "fodt" else to_html(meta, blocks)
    with open(argv[3], "w", encoding="utf-8") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
