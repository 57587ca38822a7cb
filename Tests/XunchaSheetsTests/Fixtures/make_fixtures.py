#!/usr/bin/env python3
"""Writes the two workbook fixtures of XunchaSheetsTests in the shapes Excel and WPS save.

excel-roster.xlsx: shared strings (one a rich-text run with a phonetic guide), a styles part with a
built-in and a custom date format, a date cell, a boolean, a decimal, a formula string, a gap in a
row, a blank row and two sheets (说明 first, 名册 second).
wps-roster.xlsx: inline strings, cells and rows without `r`, a date in a 年月日 custom format, the
worksheet named by an absolute target.
Run it again only to change the fixtures; the tests read the committed files.
"""
import zipfile

CT = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
ROOT_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
APP = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>'
CORE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>巡察办</dc:creator></cp:coreProperties>'
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

EXCEL_WORKBOOK = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {MAIN} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="22228"/><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300" activeTab="1"/></bookViews><sheets><sheet name="说明" sheetId="2" r:id="rId2"/><sheet name="名册" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>'
EXCEL_WB_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
# Style 0 General, 1 built-in date 14, 2 custom yyyy/m/d, 3 a decimal 0.00 (not a date), 4 bold header.
EXCEL_STYLES = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/></numFmts><fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
STRINGS = ["姓名", "工作单位", "部门类别", "入库日期", "可抽调", "评分", "备注",
           "张三", "市财政局", "财务", "李四", "审计", "两库"]
def si(s):
    return f'<si><t>{s}</t></si>'
# Index 13: a rich-text run with a phonetic guide (rPh) that must not be read as text.
RICH = '<si><r><rPr><b/><sz val="11"/></rPr><t>市</t></r><r><rPr><sz val="11"/></rPr><t xml:space="preserve">审计局 </t></r><rPh sb="0" eb="1"><t>シ</t></rPh><phoneticPr fontId="1"/></si>'
EXCEL_SST = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="15" uniqueCount="14">' + ''.join(si(s) for s in STRINGS) + RICH + '</sst>'
# Row 1 header; row 2 张三: date 45352 (2024-03-01) in built-in style 14, TRUE, 92.5 as 0.00, formula string;
# row 3 blank (only a styled empty cell); row 4 李四: gap in B? no — C left out (a gap), custom date 45383 (2024-04-01), FALSE.
EXCEL_SHEET1 = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {MAIN} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac"><dimension ref="A1:G4"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.25" x14ac:dyDescent="0.2"/><sheetData><row r="1" spans="1:7" x14ac:dyDescent="0.2"><c r="A1" s="4" t="s"><v>0</v></c><c r="B1" s="4" t="s"><v>1</v></c><c r="C1" s="4" t="s"><v>2</v></c><c r="D1" s="4" t="s"><v>3</v></c><c r="E1" s="4" t="s"><v>4</v></c><c r="F1" s="4" t="s"><v>5</v></c><c r="G1" s="4" t="s"><v>6</v></c></row><row r="2" spans="1:7" x14ac:dyDescent="0.2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2" t="s"><v>9</v></c><c r="D2" s="1"><v>45352</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" s="3"><v>92.5</v></c><c r="G2" t="str"><f>A2&amp;"（两库）"</f><v>张三（两库）</v></c></row><row r="3" spans="1:7" x14ac:dyDescent="0.2"><c r="B3" s="0"/></row><row r="4" spans="1:7" x14ac:dyDescent="0.2"><c r="A4" t="s"><v>10</v></c><c r="B4" t="s"><v>13</v></c><c r="D4" s="2"><v>45383</v></c><c r="E4" t="b"><v>0</v></c><c r="F4"><v>88</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'''
EXCEL_SHEET2 = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {MAIN}><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="s"><v>12</v></c></row></sheetData></worksheet>'

WPS_CT = CT.replace('<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>', '').replace('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>', '')
WPS_APP = APP.replace('Microsoft Excel', 'WPS 表格')
WPS_WORKBOOK = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {MAIN}><workbookPr/><bookViews><workbookView windowWidth="28125" windowHeight="12540"/></bookViews><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="144525"/></workbook>'
WPS_WB_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/></Relationships>'
WPS_STYLES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'
def inline(s):
    return f'<c t="inlineStr"><is><t>{s}</t></is></c>'
WPS_SHEET1 = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {MAIN}><sheetData><row>' + ''.join(inline(s) for s in ["姓名", "工作单位", "部门类别", "入库日期"]) + '</row><row>' + inline("王五") + inline("市审计局") + inline("审计") + '<c s="1"><v>45658</v></c></row><row>' + inline("赵六") + '<c t="inlineStr"><is><r><t>区</t></r><r><rPr><b/></rPr><t>财政局</t></r></is></c>' + inline("财务") + '<c><v>2025-01-02</v></c></row></sheetData></worksheet>'


def write(name, parts):
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED) as z:
        for path, text in parts:
            info = zipfile.ZipInfo(path, date_time=(2024, 3, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode('utf-8'))


write('excel-roster.xlsx', [('[Content_Types].xml', CT), ('_rels/.rels', ROOT_RELS), ('docProps/app.xml', APP), ('docProps/core.xml', CORE),
                            ('xl/workbook.xml', EXCEL_WORKBOOK), ('xl/_rels/workbook.xml.rels', EXCEL_WB_RELS), ('xl/styles.xml', EXCEL_STYLES),
                            ('xl/sharedStrings.xml', EXCEL_SST), ('xl/worksheets/sheet1.xml', EXCEL_SHEET1), ('xl/worksheets/sheet2.xml', EXCEL_SHEET2)])
write('wps-roster.xlsx', [('[Content_Types].xml', WPS_CT), ('_rels/.rels', ROOT_RELS), ('docProps/app.xml', WPS_APP), ('docProps/core.xml', CORE),
                          ('xl/workbook.xml', WPS_WORKBOOK), ('xl/_rels/workbook.xml.rels', WPS_WB_RELS), ('xl/styles.xml', WPS_STYLES),
                          ('xl/worksheets/sheet1.xml', WPS_SHEET1)])
with open('gbk-roster.csv', 'wb') as f:
    f.write('姓名,工作单位,部门类别\r\n张三,市财政局,财务\r\n'.encode('gb18030'))
