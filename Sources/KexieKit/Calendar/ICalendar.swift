import Foundation

/// An iCalendar document (RFC 5545): one VCALENDAR with VEVENTs in China time. Times are written with
/// `TZID=Asia/Shanghai` and the calendar carries a VTIMEZONE for it (+08:00 all year, no daylight
/// saving since 1991), so calendar programs that do not know the zone still place events right. TEXT
/// values are escaped (backslash, semicolon, comma, newline) and every line is folded at 75 octets on
/// UTF-8 character boundaries, lines ending with CRLF.
public struct ICalendar: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case tentative = "TENTATIVE"
        case confirmed = "CONFIRMED"
        case cancelled = "CANCELLED"
    }

    public struct Event: Sendable, Equatable {
        /// Globally unique and stable across downloads (e.g. `<uuid>@host`), so a re-import updates.
        public var uid: String
        /// When this version of the event was written (DTSTAMP, in UTC).
        public var stamp: Date
        public var start: Date
        public var end: Date
        public var summary: String
        public var location: String
        public var description: String
        public var url: String?
        public var status: Status
        /// Raised when the event changes (a cancellation is a new version).
        public var sequence: Int

        public init(
            uid: String, stamp: Date, start: Date, end: Date, summary: String, location: String = "", description: String = "",
            url: String? = nil, status: Status = .confirmed, sequence: Int = 0
        ) {
            self.uid = uid
            self.stamp = stamp
            self.start = start
            self.end = end
            self.summary = summary
            self.location = location
            self.description = description
            self.url = url
            self.status = status
            self.sequence = sequence
        }
    }

    public static let timeZoneID = "Asia/Shanghai"
    /// China Standard Time, UTC+8, no daylight saving.
    static let offsetSeconds = 8 * 3600

    public var productID: String
    /// The calendar's display name (X-WR-CALNAME), e.g. the organization's name.
    public var name: String?
    public var events: [Event]

    public init(productID: String = "-//Kexie//Events//ZH", name: String? = nil, events: [Event]) {
        self.productID = productID
        self.name = name
        self.events = events
    }

    /// The whole document, CRLF line ends, folded.
    public func render() -> String {
        var lines: [String] = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + Self.escape(productID), "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        ]
        if let name {
            lines.append("X-WR-CALNAME:" + Self.escape(name))
            lines.append("X-WR-TIMEZONE:" + Self.timeZoneID)
        }
        lines += [
            "BEGIN:VTIMEZONE", "TZID:" + Self.timeZoneID, "X-LIC-LOCATION:" + Self.timeZoneID, "BEGIN:STANDARD",
            "DTSTART:19700101T000000", "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
        ]
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + Self.escape(event.uid))
            lines.append("DTSTAMP:" + Self.utc(event.stamp))
            lines.append("DTSTART;TZID=\(Self.timeZoneID):" + Self.local(event.start))
            lines.append("DTEND;TZID=\(Self.timeZoneID):" + Self.local(event.end))
            lines.append("SEQUENCE:\(event.sequence)")
            lines.append("SUMMARY:" + Self.escape(event.summary))
            if !event.location.isEmpty { lines.append("LOCATION:" + Self.escape(event.location)) }
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(event.description)) }
            // URL is of type URI: not TEXT-escaped (a comma in a query stays a comma).
            if let url = event.url, !url.isEmpty { lines.append("URL:" + url.filter { !$0.isNewline }) }
            lines.append("STATUS:" + event.status.rawValue)
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }

    /// TEXT escaping (RFC 5545 §3.3.11): `\` `;` `,` are prefixed with a backslash, line breaks become `\n`.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n":
                if !previousWasCR { out += "\\n" }
            default:
                // Other control characters are not allowed in TEXT.
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                    break
                }
                out.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return out
    }

    /// One content line folded at 75 octets (RFC 5545 §3.1): continuation lines start with a space, a
    /// UTF-8 sequence is never split, and every physical line ends with CRLF.
    public static func fold(_ line: String) -> String {
        var result = ""
        var current = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if current + size > limit {
                result += "\r\n "
                current = 1
                limit = 75
            }
            result.unicodeScalars.append(scalar)
            current += size
        }
        return result + "\r\n"
    }

    /// `20261207T014000Z`.
    static func utc(_ date: Date) -> String { stamp(date, offset: 0) + "Z" }

    /// Local China time without a zone suffix: `20261207T094000`.
    static func local(_ date: Date) -> String { stamp(date, offset: offsetSeconds) }

    private static func stamp(_ date: Date, offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let year = String(c.year ?? 1970)
        return year + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute) + two(c.second)
    }
}
