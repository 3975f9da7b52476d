import XCTest

@testable import KexieKit

final class ICalendarTests: XCTestCase {
    /// 2026-12-07 01:40:00 UTC = 09:40 in Shanghai.
    let moment = Date(timeIntervalSince1970: 1_796_607_600)

    func testTextIsEscapedAsRFC5545Requires() {
        XCTAssertEqual(ICalendar.escape(#"a\b;c,d"#), #"a\\b\;c\,d"#)
        XCTAssertEqual(ICalendar.escape("第一行\n第二行\r\n第三行\r第四行"), #"第一行\n第二行\n第三行\n第四行"#)
        XCTAssertEqual(ICalendar.escape("tab\there\u{07}"), "tab\there")
        XCTAssertEqual(ICalendar.escape(":colons: stay"), ":colons: stay")
    }

    func testLongLinesAreFoldedAt75OctetsWithoutSplittingACharacter() {
        let line = "SUMMARY:" + String(repeating: "海南省科技论坛", count: 10)
        let folded = ICalendar.fold(line)
        XCTAssertTrue(folded.hasSuffix("\r\n"))
        let physical = folded.components(separatedBy: "\r\n").dropLast()
        XCTAssertGreaterThan(physical.count, 2)
        for (index, part) in physical.enumerated() {
            XCTAssertLessThanOrEqual(part.utf8.count, 75, part)
            if index > 0 { XCTAssertTrue(part.hasPrefix(" "), part) }
        }
        // Unfolding (removing CRLF + one space) gives the line back.
        XCTAssertEqual(folded.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n", with: ""), line)
        XCTAssertEqual(ICalendar.fold("SHORT:x"), "SHORT:x\r\n")
        let ascii = String(repeating: "a", count: 75)
        XCTAssertEqual(ICalendar.fold(ascii), ascii + "\r\n")
        XCTAssertEqual(ICalendar.fold(ascii + "b"), ascii + "\r\n b\r\n")
    }

    func testADocumentHasTheZoneTheEventAndItsFieldsInChinaTime() {
        let calendar = ICalendar(
            name: "东港市科协",
            events: [
                ICalendar.Event(
                    uid: "e1@kexie", stamp: moment, start: moment, end: moment.addingTimeInterval(3 * 3600),
                    summary: "学术沙龙：橡胶, 轮胎; 与\\回收", location: "东港市科技馆 3 楼", description: "第一行\n第二行",
                    url: "https://example.org/events/e1", status: .cancelled, sequence: 2)
            ])
        let text = calendar.render()
        let lines = text.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.first, "BEGIN:VCALENDAR")
        XCTAssertEqual(lines.dropLast().last, "END:VCALENDAR")
        XCTAssertEqual(lines.last, "")
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "only CRLF line ends")
        for expected in [
            "VERSION:2.0", "PRODID:-//Kexie//Events//ZH", "X-WR-CALNAME:东港市科协", "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai",
            "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "END:VTIMEZONE", "BEGIN:VEVENT", "UID:e1@kexie", "DTSTAMP:20261207T014000Z",
            "DTSTART;TZID=Asia/Shanghai:20261207T094000", "DTEND;TZID=Asia/Shanghai:20261207T124000", "SEQUENCE:2",
            #"SUMMARY:学术沙龙：橡胶\, 轮胎\; 与\\回收"#, "LOCATION:东港市科技馆 3 楼", #"DESCRIPTION:第一行\n第二行"#,
            "URL:https://example.org/events/e1", "STATUS:CANCELLED", "END:VEVENT",
        ] {
            XCTAssertTrue(lines.contains(expected), expected)
        }
        XCTAssertLessThan(lines.firstIndex(of: "END:VTIMEZONE")!, lines.firstIndex(of: "BEGIN:VEVENT")!)
    }

    func testAnEmptyCalendarIsStillADocument() {
        let text = ICalendar(events: []).render()
        XCTAssertTrue(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        XCTAssertTrue(text.hasSuffix("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"))
        XCTAssertFalse(text.contains("BEGIN:VEVENT"))
    }
}
