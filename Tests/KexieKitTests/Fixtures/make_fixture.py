# Generates Tests/KexieKitTests/Fixtures/openpyxl-members.xlsx (run once; output committed).
# libreoffice-members.xlsx = this file re-saved by LibreOffice 7.4 (Debian libreoffice-calc-nogui):
#   soffice --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir out openpyxl-members.xlsx
import datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "会员名单"
ws.append(["姓名", "单位", "年龄", "会费", "是否理事", "入会日期"])
ws.append(["张三", "北京市科学技术协会", 45, 1200.5, True, datetime.date(2020, 3, 15)])
ws.append(["李四 & <王五>", "“引号”与'单引号'", 38, 0.1, False, datetime.datetime(2024, 2, 29, 14, 30, 0)])
ws["A5"] = "跳过第4行"
ws["D5"] = 7
ws["B6"] = "=SUM(C2:C3)"   # formula without cached value (openpyxl cannot compute)
ws["A7"] = "  前后空格  "
ws["C7"] = "换行\n第二行"
ws2 = wb.create_sheet("第二页")
ws2["A1"] = "second"
ws2["AA3"] = 123456789012
wb.save("openpyxl-members.xlsx")
