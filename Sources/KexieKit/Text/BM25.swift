import Foundation

/// The Okapi BM25 formula, separated from any storage so that the in-memory index, the
/// matching engine and SQL-backed postings all rank with the same numbers.
public struct BM25: Sendable, Hashable {
    /// How quickly repeated occurrences of a term stop adding to the score.
    public var k1: Double
    /// How strongly long documents are penalised (0 = not at all, 1 = fully).
    public var b: Double

    public init(k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }

    /// Inverse document frequency; the "+1" inside the logarithm keeps it positive even for a
    /// term that occurs in more than half of the documents.
    public func idf(documentFrequency df: Int, documentCount n: Int) -> Double {
        let df = Double(max(0, min(df, n)))
        return log(1 + (Double(n) - df + 0.5) / (df + 0.5))
    }

    /// The term-frequency part of BM25 (without idf), in 0..<(k1 + 1).
    public func saturation(termFrequency tf: Double, documentLength: Double, averageDocumentLength: Double) -> Double {
        guard tf > 0 else { return 0 }
        let average = averageDocumentLength > 0 ? averageDocumentLength : 1
        let norm = k1 * (1 - b + b * documentLength / average)
        return tf * (k1 + 1) / (tf + norm)
    }

    /// One term's contribution to one document's score.
    public func score(
        termFrequency tf: Double, documentFrequency df: Int,
        documentLength: Double, averageDocumentLength: Double, documentCount n: Int
    ) -> Double {
        idf(documentFrequency: df, documentCount: n)
            * saturation(termFrequency: tf, documentLength: documentLength, averageDocumentLength: averageDocumentLength)
    }
}
