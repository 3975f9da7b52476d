/// One ranked search result.
public struct RankedDocument<ID: Hashable & Sendable>: Sendable, Hashable {
    public var id: ID
    public var score: Double
}

/// An in-memory inverted index over bigram terms, ranked with BM25.
/// Meant for modest collections that change (add/remove); the matching engine has its own
/// read-only layout tuned for 100,000-document batches.
public struct SearchIndex<ID: Hashable & Sendable>: Sendable {
    public var bm25: BM25

    private struct Document: Sendable {
        var termCounts: [String: Int]
        var length: Int
        /// Insertion order, so equal scores come back in a stable order.
        var sequence: Int
    }

    private var documents: [ID: Document] = [:]
    private var postings: [String: [ID: Int]] = [:]
    private var totalLength = 0
    private var nextSequence = 0

    public init(bm25: BM25 = BM25()) {
        self.bm25 = bm25
    }

    public var count: Int { documents.count }

    /// Adds a document, replacing any earlier text stored under the same id.
    public mutating func add(id: ID, text: String) {
        remove(id: id)
        let terms = ChineseTokenizer.terms(text)
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        for (term, count) in counts { postings[term, default: [:]][id] = count }
        documents[id] = Document(termCounts: counts, length: terms.count, sequence: nextSequence)
        nextSequence += 1
        totalLength += terms.count
    }

    public mutating func remove(id: ID) {
        guard let document = documents.removeValue(forKey: id) else { return }
        for term in document.termCounts.keys {
            postings[term]?[id] = nil
            if postings[term]?.isEmpty == true { postings[term] = nil }
        }
        totalLength -= document.length
    }

    /// Documents sharing at least one term with the query, best first.
    public func search(_ query: String, limit: Int = 10) -> [RankedDocument<ID>] {
        guard !documents.isEmpty, limit > 0 else { return [] }
        let n = documents.count
        let average = Double(totalLength) / Double(n)
        var scores: [ID: Double] = [:]
        // Each distinct query term counts once: a query that repeats a word is not asking for it more.
        for term in Set(ChineseTokenizer.terms(query)) {
            guard let posting = postings[term] else { continue }
            for (id, tf) in posting {
                guard let document = documents[id] else { continue }
                scores[id, default: 0] += bm25.score(
                    termFrequency: Double(tf), documentFrequency: posting.count,
                    documentLength: Double(document.length), averageDocumentLength: average, documentCount: n)
            }
        }
        let ranked = scores.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            return (documents[lhs.key]?.sequence ?? 0) < (documents[rhs.key]?.sequence ?? 0)
        }
        return ranked.prefix(limit).map { RankedDocument(id: $0.key, score: $0.value) }
    }
}
