import Foundation
import ZIPFoundation

/// Why a ZIP-based document (.docx, .xlsx, …) was refused. The first five cases mean the upload is too big or
/// built to look small (a "ZIP bomb"); the last two mean it is not a usable archive at all.
public enum ArchiveBudgetError: KexieKitError, Equatable {
    /// The central directory lists more entries than the budget allows.
    case tooManyEntries(limit: Int)
    /// One entry declares, or actually inflates to, more than `limit` bytes.
    case entryTooLarge(path: String, limit: Int)
    /// The entries read so far declare, or actually inflate to, more than `limit` bytes together.
    case totalTooLarge(limit: Int)
    /// The entry expands far more than real documents do (see `Budget.maxCompressionRatio`).
    case suspiciousCompressionRatio(path: String)
    /// The entry inflates to more bytes than its headers declare: the signature of a bomb that lies to
    /// get past size checks.
    case declaredSizeExceeded(path: String, declared: Int)
    /// Not a ZIP archive, or its directory is damaged.
    case notAnArchive
    /// The entry's data cannot be inflated, fails its CRC, is encrypted or uses an unknown compression.
    case corruptEntry(path: String)

    /// True when the archive was refused for its size rather than for being damaged; readers map this to
    /// their own "too large" error.
    public var isOverBudget: Bool {
        switch self {
        case .tooManyEntries, .entryTooLarge, .totalTooLarge, .suspiciousCompressionRatio, .declaredSizeExceeded:
            return true
        case .notAnArchive, .corruptEntry:
            return false
        }
    }

    public var code: String {
        switch self {
        case .tooManyEntries: return "archive.too_many_entries"
        case .entryTooLarge: return "archive.entry_too_large"
        case .totalTooLarge: return "archive.total_too_large"
        case .suspiciousCompressionRatio: return "archive.suspicious_compression_ratio"
        case .declaredSizeExceeded: return "archive.declared_size_exceeded"
        case .notAnArchive: return "archive.not_an_archive"
        case .corruptEntry: return "archive.corrupt_entry"
        }
    }

    public var message: String {
        switch self {
        case .tooManyEntries(let limit):
            return "压缩包内的文件超过 \(limit) 个，无法读取"
        case .entryTooLarge(let path, let limit):
            return "压缩包内的“\(path)”解压后超过 \(limit / 1_048_576) MB，无法读取"
        case .totalTooLarge(let limit):
            return "文件解压后超过 \(limit / 1_048_576) MB，无法读取"
        case .suspiciousCompressionRatio(let path), .declaredSizeExceeded(let path, _):
            return "压缩包内的“\(path)”解压后的大小异常，文件可能已损坏或被篡改"
        case .notAnArchive:
            return "文件不是有效的压缩格式（.docx、.xlsx 等），或已损坏"
        case .corruptEntry(let path):
            return "压缩包内的“\(path)”已损坏，无法读取"
        }
    }
}

/// The one way KexieKit reads ZIP-based documents (.docx, .xlsx, …) from untrusted uploads.
///
/// Sizes in ZIP headers are written by the uploader, so they are only used to refuse early; the budget is
/// enforced on the bytes that actually come out of the inflater, chunk by chunk, so a bomb is stopped after
/// at most one chunk past its limit instead of after inflating everything.
///
/// The directory is parsed here rather than through ZIPFoundation's `Archive`, because `Archive.extract`
/// reads past an entry's compressed data and, on Linux, spins forever on a deflate stream that never ends
/// (e.g. a stored block that claims more bytes than the file holds). Here the inflater is fed exactly the
/// entry's compressed bytes and any request beyond them is an error. ZIPFoundation still does the inflating
/// and the CRC-32, which is checked against the directory.
public struct BoundedArchive: Sendable {
    /// Limits for one archive. Defaults suit office documents uploaded by people; callers may tighten them.
    public struct Budget: Sendable, Equatable {
        /// Largest inflated size of a single entry.
        public var maxEntryBytes: Int
        /// Largest inflated size of all entries read from one archive together.
        public var maxTotalBytes: Int
        /// Most entries the central directory may list (each costs a directory parse even if never read).
        public var maxEntries: Int
        /// An entry may inflate to at most `maxCompressionRatio × compressed + ratioAllowanceBytes` bytes.
        /// Office XML typically compresses 5–30 times; deflate's ceiling is about 1,030, which bombs approach.
        public var maxCompressionRatio: Int
        /// Slack so small, very repetitive parts (an empty sheet, a styles part) are never refused.
        public var ratioAllowanceBytes: Int

        public init(
            maxEntryBytes: Int = 64 * 1_048_576,
            maxTotalBytes: Int = 128 * 1_048_576,
            maxEntries: Int = 10_000,
            maxCompressionRatio: Int = 200,
            ratioAllowanceBytes: Int = 1_048_576
        ) {
            self.maxEntryBytes = maxEntryBytes
            self.maxTotalBytes = maxTotalBytes
            self.maxEntries = maxEntries
            self.maxCompressionRatio = maxCompressionRatio
            self.ratioAllowanceBytes = ratioAllowanceBytes
        }

        public static let `default` = Budget()

        /// Most bytes an entry with `compressedSize` bytes of data may inflate to.
        func ratioLimit(compressedSize: Int) -> Int {
            let (scaled, overflow) = compressedSize.multipliedReportingOverflow(by: maxCompressionRatio)
            return overflow ? Int.max : scaled.addingReportingOverflow(ratioAllowanceBytes).partialValue
        }
    }

    /// One file in the archive, as its central directory describes it.
    public struct Entry: Sendable, Equatable {
        public let path: String
        /// Size of the stored (usually deflated) data.
        public let compressedSize: Int
        /// Inflated size as the directory claims it; never trusted beyond refusing early.
        public let declaredSize: Int
        public var isDirectory: Bool { path.hasSuffix("/") }

        fileprivate let method: UInt16
        fileprivate let flags: UInt16
        fileprivate let crc32: UInt32
        fileprivate let localHeaderOffset: Int
    }

    /// Entries in directory order.
    public let entries: [Entry]
    public let budget: Budget
    /// Inflated bytes read so far, counted against `budget.maxTotalBytes`.
    public private(set) var inflatedBytes = 0

    private let data: Data

    /// Parses the central directory; nothing is inflated yet.
    public init(data: Data, budget: Budget = .default) throws(ArchiveBudgetError) {
        // Copying normalises a slice to start at index 0, which the offset arithmetic below relies on.
        let data = data.startIndex == 0 ? data : Data(data)
        self.data = data
        self.budget = budget
        self.entries = try CentralDirectory.entries(of: ByteView(data: data), maxEntries: budget.maxEntries)
    }

    /// The first entry whose path is exactly `path`.
    public func entry(_ path: String) -> Entry? {
        entries.first { $0.path == path }
    }

    /// Inflates `entry`, counting its bytes against the budget. Throws as soon as a limit is passed.
    public mutating func read(_ entry: Entry) throws(ArchiveBudgetError) -> [UInt8] {
        guard !entry.isDirectory else { return [] }
        let entryLimit = budget.maxEntryBytes
        let totalLimit = budget.maxTotalBytes
        let ratioLimit = budget.ratioLimit(compressedSize: entry.compressedSize)
        // Refuse before inflating anything when the headers already admit the entry is too big.
        guard entry.declaredSize <= entryLimit else { throw .entryTooLarge(path: entry.path, limit: entryLimit) }
        // `inflatedBytes` never exceeds `totalLimit`, so the subtraction cannot overflow where an addition could.
        guard entry.declaredSize <= totalLimit - inflatedBytes else { throw .totalTooLarge(limit: totalLimit) }
        guard entry.declaredSize <= ratioLimit else { throw .suspiciousCompressionRatio(path: entry.path) }
        guard entry.flags & 1 == 0 else { throw .corruptEntry(path: entry.path) }  // encrypted

        let view = ByteView(data: data)
        let start = try Self.dataOffset(of: entry, in: view)
        let compressed = start..<(start + entry.compressedSize)

        var bytes: [UInt8] = []
        // Bounded by the checks above, so a lying header cannot make this reservation large.
        bytes.reserveCapacity(entry.declaredSize)
        let alreadyInflated = inflatedBytes
        // Runs for every chunk the inflater produces, so the work stops one chunk after a limit is passed.
        func accept(_ chunk: Data) throws(ArchiveBudgetError) {
            let size = bytes.count + chunk.count
            guard size <= entryLimit else { throw .entryTooLarge(path: entry.path, limit: entryLimit) }
            guard size <= totalLimit - alreadyInflated else { throw .totalTooLarge(limit: totalLimit) }
            guard size <= ratioLimit else { throw .suspiciousCompressionRatio(path: entry.path) }
            guard size <= entry.declaredSize else {
                throw .declaredSizeExceeded(path: entry.path, declared: entry.declaredSize)
            }
            bytes.append(contentsOf: chunk)
        }

        let checksum: UInt32
        switch entry.method {
        case 0:  // stored
            let stored = data.subdata(in: compressed)
            try accept(stored)
            checksum = stored.crc32(checksum: 0)
        case 8 where entry.compressedSize == 0:
            // Some writers deflate an empty file to no bytes at all rather than to an empty final block.
            checksum = 0
        case 8:  // deflate
            checksum = try Self.inflate(data, range: compressed, path: entry.path, consumer: accept)
        default:
            throw .corruptEntry(path: entry.path)
        }
        // Fewer bytes than declared, or a CRC mismatch, means the data is damaged or was edited.
        guard bytes.count == entry.declaredSize, checksum == entry.crc32 else { throw .corruptEntry(path: entry.path) }
        inflatedBytes += bytes.count
        return bytes
    }

    /// Inflates the entry at `path`, or returns nil when there is no such entry.
    public mutating func read(path: String) throws(ArchiveBudgetError) -> [UInt8]? {
        guard let entry = entry(path) else { return nil }
        return try read(entry)
    }

    // MARK: - Inflating

    /// Inflater chunk size: large enough to be fast, small enough that overshooting a limit costs little.
    private static let chunkSize = 64 * 1024

    private static func inflate(
        _ data: Data, range: Range<Int>, path: String, consumer: (Data) throws(ArchiveBudgetError) -> Void
    ) throws(ArchiveBudgetError) -> UInt32 {
        do {
            return try Data.decompress(
                size: Int64(range.count), bufferSize: chunkSize, skipCRC32: false,
                provider: { position, requested in
                    try compressedChunk(of: data, range: range, position: position, requested: requested, path: path)
                },
                consumer: { chunk in try consumer(chunk) })
        } catch let error as ArchiveBudgetError {
            throw error
        } catch {
            throw .corruptEntry(path: path)
        }
    }

    /// Serves the inflater the entry's compressed bytes and nothing else.
    ///
    /// A request that starts at or past the end means the stream has not ended where the directory says it
    /// does; both of ZIPFoundation's inflaters would otherwise loop on empty input. Its zlib path (Linux)
    /// always asks for a full buffer and tells zlib the buffer is full, so a short final chunk is padded with
    /// zeros to the size asked: zlib either finds the end of the stream first or rejects the zeros (an empty
    /// stored block with a bad length check). Its Compression path (Apple) never asks past the data.
    private static func compressedChunk(
        of data: Data, range: Range<Int>, position: Int64, requested: Int, path: String
    ) throws(ArchiveBudgetError) -> Data {
        guard position >= 0, position < Int64(range.count) else { throw .corruptEntry(path: path) }
        let start = range.lowerBound + Int(position)
        let end = min(range.upperBound, start + requested)
        var chunk = data.subdata(in: start..<end)
        if chunk.count < requested { chunk.append(Data(count: requested - chunk.count)) }
        return chunk
    }

    /// Where the entry's data starts: after its local header, whose name and extra field lengths may differ
    /// from the central directory's.
    private static func dataOffset(of entry: Entry, in view: ByteView) throws(ArchiveBudgetError) -> Int {
        let header = entry.localHeaderOffset
        guard view.uint32(at: header) == 0x0403_4B50,
            let nameLength = view.uint16(at: header + 26), let extraLength = view.uint16(at: header + 28)
        else { throw .corruptEntry(path: entry.path) }
        let start = header + 30 + Int(nameLength) + Int(extraLength)
        guard start + entry.compressedSize <= view.count else { throw .corruptEntry(path: entry.path) }
        return start
    }
}

// MARK: - Central directory

/// Little-endian reads that return nil instead of trapping when a field runs past the end.
private struct ByteView {
    let data: Data
    var count: Int { data.count }

    func uint16(at offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= data.count else { return nil }
        return UInt16(data[offset]) | UInt16(data[offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32? {
        guard let low = uint16(at: offset), let high = uint16(at: offset + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    func uint64(at offset: Int) -> UInt64? {
        guard let low = uint32(at: offset), let high = uint32(at: offset + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    /// A non-negative `Int` that fits the archive, so later arithmetic cannot overflow.
    func offset(_ value: UInt64) -> Int? {
        value <= UInt64(data.count) ? Int(value) : nil
    }
}

private enum CentralDirectory {
    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let entrySignature: UInt32 = 0x0201_4B50

    private struct Location {
        var entryCount: UInt64
        var offset: Int
        var size: Int
    }

    static func entries(of view: ByteView, maxEntries: Int) throws(ArchiveBudgetError) -> [BoundedArchive.Entry] {
        let location = try locate(in: view)
        // Checked before parsing so a directory of millions of tiny entries costs nothing.
        guard location.entryCount <= UInt64(maxEntries) else { throw .tooManyEntries(limit: maxEntries) }
        var entries: [BoundedArchive.Entry] = []
        entries.reserveCapacity(Int(location.entryCount))
        var cursor = location.offset
        let end = location.offset + location.size
        for _ in 0..<location.entryCount {
            guard let entry = parseEntry(at: cursor, in: view), entry.next <= end else { throw .notAnArchive }
            entries.append(entry.entry)
            cursor = entry.next
        }
        return entries
    }

    /// Finds the end-of-central-directory record (and its ZIP64 form when the classic fields overflow).
    private static func locate(in view: ByteView) throws(ArchiveBudgetError) -> Location {
        guard view.count >= 22 else { throw .notAnArchive }
        // The record is the last thing in the file, followed only by a comment of at most 65,535 bytes.
        var position = view.count - 22
        let lowest = max(0, view.count - 22 - 65_535)
        while position >= lowest, view.uint32(at: position) != endSignature { position -= 1 }
        guard position >= lowest,
            let disk = view.uint16(at: position + 4), let directoryDisk = view.uint16(at: position + 6),
            let count = view.uint16(at: position + 10), let size = view.uint32(at: position + 12),
            let offset = view.uint32(at: position + 16)
        else { throw .notAnArchive }
        // Split (multi-volume) archives are not documents anyone uploads.
        guard disk == 0, directoryDisk == 0 else { throw .notAnArchive }
        var location = Location(entryCount: UInt64(count), offset: Int(offset), size: Int(size))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            location = try locateZIP64(in: view, endRecord: position)
        }
        guard location.offset + location.size <= view.count else { throw .notAnArchive }
        return location
    }

    private static func locateZIP64(in view: ByteView, endRecord: Int) throws(ArchiveBudgetError) -> Location {
        let locator = endRecord - 20
        guard view.uint32(at: locator) == zip64LocatorSignature,
            let recordOffset = view.uint64(at: locator + 8).flatMap(view.offset),
            view.uint32(at: recordOffset) == zip64EndSignature,
            let count = view.uint64(at: recordOffset + 32),
            let size = view.uint64(at: recordOffset + 40).flatMap(view.offset),
            let offset = view.uint64(at: recordOffset + 48).flatMap(view.offset)
        else { throw .notAnArchive }
        return Location(entryCount: count, offset: offset, size: size)
    }

    private static func parseEntry(at start: Int, in view: ByteView) -> (entry: BoundedArchive.Entry, next: Int)? {
        guard view.uint32(at: start) == entrySignature,
            let flags = view.uint16(at: start + 8), let method = view.uint16(at: start + 10),
            let crc32 = view.uint32(at: start + 16),
            let compressed32 = view.uint32(at: start + 20), let declared32 = view.uint32(at: start + 24),
            let nameLength = view.uint16(at: start + 28).map(Int.init),
            let extraLength = view.uint16(at: start + 30).map(Int.init),
            let commentLength = view.uint16(at: start + 32).map(Int.init),
            let offset32 = view.uint32(at: start + 42)
        else { return nil }
        let nameStart = start + 46
        let extraStart = nameStart + nameLength
        let next = extraStart + extraLength + commentLength
        guard next <= view.count else { return nil }

        // ZIP64 keeps the real value in the extra field for each classic field set to 0xFFFFFFFF.
        var compressed = UInt64(compressed32)
        var declared = UInt64(declared32)
        var localHeader = UInt64(offset32)
        if compressed32 == 0xFFFF_FFFF || declared32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF {
            guard
                let zip64 = zip64Fields(
                    in: view, extra: extraStart..<(extraStart + extraLength),
                    wants: (declared32 == 0xFFFF_FFFF, compressed32 == 0xFFFF_FFFF, offset32 == 0xFFFF_FFFF))
            else { return nil }
            declared = zip64.declared ?? declared
            compressed = zip64.compressed ?? compressed
            localHeader = zip64.localHeader ?? localHeader
        }
        // Compressed data and headers must lie inside the file; a declared size may be anything (it is clamped
        // and then refused by the budget).
        guard let compressedSize = view.offset(compressed), let localHeaderOffset = view.offset(localHeader) else {
            return nil
        }
        let name = String(decoding: view.data[nameStart..<extraStart], as: UTF8.self)
        let entry = BoundedArchive.Entry(
            path: name, compressedSize: compressedSize, declaredSize: Int(clamping: declared),
            method: method, flags: flags, crc32: crc32, localHeaderOffset: localHeaderOffset)
        return (entry, next)
    }

    /// Reads the ZIP64 extended-information extra field (id 0x0001); its values appear in a fixed order and
    /// only for the classic fields that overflowed.
    private static func zip64Fields(
        in view: ByteView, extra: Range<Int>, wants: (declared: Bool, compressed: Bool, localHeader: Bool)
    ) -> (declared: UInt64?, compressed: UInt64?, localHeader: UInt64?)? {
        var cursor = extra.lowerBound
        while cursor + 4 <= extra.upperBound {
            guard let id = view.uint16(at: cursor), let length = view.uint16(at: cursor + 2).map(Int.init) else { return nil }
            let body = cursor + 4
            guard body + length <= extra.upperBound else { return nil }
            if id == 0x0001 {
                let needed = [wants.declared, wants.compressed, wants.localHeader].filter { $0 }.count
                guard length >= 8 * needed else { return nil }
                var field = body
                // Consumes eight bytes only for a wanted value, which keeps the fixed order right.
                func take(_ wanted: Bool) -> UInt64? {
                    guard wanted else { return nil }
                    defer { field += 8 }
                    return view.uint64(at: field)
                }
                let declared = take(wants.declared)
                let compressed = take(wants.compressed)
                let localHeader = take(wants.localHeader)
                return (declared, compressed, localHeader)
            }
            cursor = body + length
        }
        return nil
    }
}
