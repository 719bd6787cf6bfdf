"""Word and Excel files shared by every capability: documents renders what it is given and imports no
domain app.

- ``word.official_document(title=..., sections=[Section(...)], ...)``: a .docx in the official layout
  (GB/T 9704-2012), optionally with the elements of correspondence (发文机关标志, 发文字号 from
  ``word.format_document_number``, 主送, 附件, 版记 with 抄送, 印发机关 and 印发日期).
- ``excel.workbook(sheets=[Sheet(...)])``: an .xlsx; ``excel.read_table(data, header_names=...)``: an
  uploaded .xlsx/.xls as officials keep it, raising ``excel.UnreadableFile``.
- ``dates.parse_chinese_date(text)``: 1975.03, 1975年3月7日, 19750307, … with their precision.
- ``http.docx_response`` / ``http.xlsx_response`` / ``http.download_response``: downloads with a Chinese
  filename. Exports of a domain's records go through ``accounts.exports.export_response``, which
  uses them.
"""
