import Foundation

/// A read-only index of candidates (supplies, demands or experts) that ranks them for a query
/// profile. Build one per candidate kind: supplies to answer demands, demands to answer
/// supplies, experts to answer demands. Rebuild it when candidates change; building 100,000
/// candidates takes seconds.
///
/// Layout: postings are flat arrays (compressed sparse rows) holding each document's
/// precomputed BM25 weight, so ranking is one pass over the query terms' postings into a
/// dense score array, then a top-k selection over the documents touched.
public struct MatchIndex: Sendable {
    public let configuration: MatchConfiguration
    let extractor: FeatureExtractor
    let candidates: [MatchProfile]
    let termIDs: [Term: Int32]
    let idf: [Float]
    let documentFrequency: [Int32]
    let offsets: [Int]
    let postingDocuments: [UInt32]
    let postingWeights: [Float]
    /// Term id → sense group, for the terms of ambiguous words.
    let senseGroupOfTerm: [Int32: Int]
    /// [sense group][document] → sense (see `FeatureExtractor.Features.senses`).
    let documentSenses: [[Int16]]

    public var count: Int { candidates.count }

    /// Document frequency above which a term is ignored. Small collections keep every term:
    /// there a shared common word may be all the evidence there is, and speed is no concern.
    var commonTermLimit: Int32 {
        candidates.count < 1_000 ? Int32(candidates.count) : Int32(configuration.commonTermShare * Double(candidates.count))
    }

    /// Builds on the calling thread.
    public init(candidates: [MatchProfile], concepts: ConceptDictionary = .builtIn, configuration: MatchConfiguration = .init()) {
        let extractor = FeatureExtractor(dictionary: concepts, titleWeight: configuration.titleWeight)
        var builder = Builder(count: candidates.count, senseGroups: extractor.ambiguousWords.count)
        builder.add(candidates.map { Builder.Document(extractor.extract($0)) }, at: 0)
        self.init(candidates: candidates, builder: builder, extractor: extractor, configuration: configuration)
    }

    /// Builds with feature extraction (the costly part) spread over all cores. Chunks are
    /// interned as they arrive, so only a few chunks' worth of raw features is alive at once.
    public static func build(
        candidates: [MatchProfile], concepts: ConceptDictionary = .builtIn, configuration: MatchConfiguration = .init()
    ) async -> MatchIndex {
        let extractor = FeatureExtractor(dictionary: concepts, titleWeight: configuration.titleWeight)
        var builder = Builder(count: candidates.count, senseGroups: extractor.ambiguousWords.count)
        let chunkSize = max(1, min(2_000, (candidates.count + 3) / 4))
        await withTaskGroup(of: (Int, [Builder.Document]).self) { group in
            var next = 0
            // Keep a bounded number of chunks in flight: enough to occupy every core.
            let inFlight = ProcessInfo.processInfo.activeProcessorCount * 2
            func schedule() {
                guard next < candidates.count else { return }
                let start = next
                let slice = Array(candidates[start..<min(candidates.count, start + chunkSize)])
                next += slice.count
                group.addTask { (start, slice.map { Builder.Document(extractor.extract($0)) }) }
            }
            for _ in 0..<inFlight { schedule() }
            for await (start, documents) in group {
                builder.add(documents, at: start)
                schedule()
            }
        }
        return MatchIndex(candidates: candidates, builder: builder, extractor: extractor, configuration: configuration)
    }

    /// Collects interned documents before the postings are laid out.
    struct Builder {
        /// What indexing keeps of a document's features.
        struct Document: Sendable {
            var terms: [(Term, Float)]
            var length: Float
            var senses: [Int16]

            init(_ features: FeatureExtractor.Features) {
                terms = Array(features.termCounts)
                length = features.length
                senses = features.senses
            }
        }

        var termIDs: [Term: Int32] = [:]
        var documentFrequency: [Int32] = []
        var documentTerms: [[(id: Int32, tf: Float)]]
        var lengths: [Float]
        var senses: [[Int16]]

        init(count: Int, senseGroups: Int) {
            documentTerms = Array(repeating: [], count: count)
            lengths = Array(repeating: 0, count: count)
            senses = Array(repeating: Array(repeating: -1, count: count), count: senseGroups)
        }

        mutating func add(_ documents: [Document], at start: Int) {
            for (offset, document) in documents.enumerated() {
                var terms: [(id: Int32, tf: Float)] = []
                terms.reserveCapacity(document.terms.count)
                for (term, tf) in document.terms {
                    let id: Int32
                    if let existing = termIDs[term] {
                        id = existing
                    } else {
                        id = Int32(documentFrequency.count)
                        termIDs[term] = id
                        documentFrequency.append(0)
                    }
                    documentFrequency[Int(id)] += 1
                    terms.append((id, tf))
                }
                documentTerms[start + offset] = terms
                lengths[start + offset] = document.length
                for group in senses.indices { senses[group][start + offset] = document.senses[group] }
            }
        }
    }

    private init(candidates: [MatchProfile], builder: Builder, extractor: FeatureExtractor, configuration: MatchConfiguration) {
        self.configuration = configuration
        self.extractor = extractor
        self.candidates = candidates

        let n = candidates.count
        let totalLength = builder.lengths.reduce(0.0) { $0 + Double($1) }
        let averageLength = n > 0 ? totalLength / Double(n) : 1
        let bm25 = configuration.bm25
        let documentFrequency = builder.documentFrequency
        let idf = documentFrequency.map { Float(bm25.idf(documentFrequency: Int($0), documentCount: n)) }

        var offsets = [Int](repeating: 0, count: documentFrequency.count + 1)
        for (index, df) in documentFrequency.enumerated() { offsets[index + 1] = offsets[index] + Int(df) }
        var fill = offsets
        var postingDocuments = [UInt32](repeating: 0, count: offsets.last ?? 0)
        var postingWeights = [Float](repeating: 0, count: offsets.last ?? 0)
        // Documents are visited in order, so every posting list comes out sorted by document.
        for (document, terms) in builder.documentTerms.enumerated() {
            let length = Double(builder.lengths[document])
            for (id, tf) in terms {
                let slot = fill[Int(id)]
                fill[Int(id)] += 1
                postingDocuments[slot] = UInt32(document)
                postingWeights[slot] =
                    idf[Int(id)]
                    * Float(
                        bm25.saturation(
                            termFrequency: Double(tf), documentLength: length, averageDocumentLength: averageLength))
            }
        }

        var senseGroupOfTerm: [Int32: Int] = [:]
        for group in extractor.ambiguousWords.indices {
            for term in extractor.terms(ofAmbiguousWord: group) {
                if let id = builder.termIDs[term] { senseGroupOfTerm[id] = group }
            }
        }
        self.termIDs = builder.termIDs
        self.idf = idf
        self.documentFrequency = documentFrequency
        self.offsets = offsets
        self.postingDocuments = postingDocuments
        self.postingWeights = postingWeights
        self.senseGroupOfTerm = senseGroupOfTerm
        self.documentSenses = builder.senses
    }

    /// The best `top` candidates for one query, best first.
    public func rank(_ query: MatchProfile, top: Int = 10) -> [Match] {
        guard top > 0, !candidates.isEmpty else { return [] }
        let features = extractor.extract(query)
        let scored = topCandidates(for: query, features: features, top: top)
        return scored.map { entry in
            let candidate = candidates[entry.document]
            return Match(
                id: candidate.id, score: (entry.score * 10_000).rounded() / 10_000,
                reasons: reasons(query: query, queryFeatures: features, candidate: candidate))
        }
    }

    /// Ranks many queries, spread over all cores; results are in query order.
    public func rank(_ queries: [MatchProfile], top: Int = 10) async -> [[Match]] {
        await concurrentMap(queries) { self.rank($0, top: top) }
    }

    struct QueryTerm {
        var id: Int32
        var weight: Float
        var senseGroup: Int?
    }

    private func topCandidates(for query: MatchProfile, features: FeatureExtractor.Features, top: Int) -> [(document: Int, score: Double)] {
        let n = candidates.count
        let maximumDF = commonTermLimit
        var queryTerms: [QueryTerm] = []
        var ideal: Float = 0
        for (term, qtf) in features.termCounts {
            guard let id = termIDs[term], documentFrequency[Int(id)] <= maximumDF else { continue }
            // Saturate query term frequency (k3 = 1): a demand repeating 橡胶 five times is not
            // five times as much about rubber.
            let weight = qtf * 2 / (qtf + 1)
            queryTerms.append(QueryTerm(id: id, weight: weight, senseGroup: senseGroupOfTerm[id]))
            ideal += weight * idf[Int(id)]
        }
        // Long queries (a pasted page of description) are cut to their most telling terms:
        // the many weak ones cost posting traversals and barely move the ranking.
        if queryTerms.count > configuration.maximumQueryTerms {
            queryTerms.sort { $0.weight * idf[Int($0.id)] > $1.weight * idf[Int($1.id)] }
            queryTerms.removeLast(queryTerms.count - configuration.maximumQueryTerms)
            ideal = queryTerms.reduce(0) { $0 + $1.weight * idf[Int($1.id)] }
        }
        guard ideal > 0 else { return [] }

        var accumulator = [Float](repeating: 0, count: n)
        var touched: [UInt32] = []
        touched.reserveCapacity(min(n, 4096))
        let mismatch = configuration.senseMismatchFactor
        postingDocuments.withUnsafeBufferPointer { documents in
            postingWeights.withUnsafeBufferPointer { weights in
                for term in queryTerms {
                    let range = offsets[Int(term.id)]..<offsets[Int(term.id) + 1]
                    let querySense = term.senseGroup.map { features.senses[$0] } ?? -1
                    for slot in range {
                        let document = Int(documents[slot])
                        var contribution = term.weight * weights[slot]
                        if querySense >= 0, let group = term.senseGroup {
                            let documentSense = documentSenses[group][document]
                            if documentSense >= 0 && documentSense != querySense { contribution *= mismatch }
                        }
                        if accumulator[document] == 0 { touched.append(UInt32(document)) }
                        accumulator[document] += contribution
                    }
                }
            }
        }

        let halfIdeal = Double(ideal) * 0.5
        let scale = 1 + configuration.maximumBonus
        var best: [(document: Int, score: Double)] = []
        best.reserveCapacity(top + 1)
        for document in touched.map(Int.init) {
            let raw = Double(accumulator[document])
            let relevance = raw / (raw + halfIdeal)
            guard relevance >= configuration.minimumRelevance else { continue }
            // The bonus can at most multiply by `scale`; skip the factor work when even that
            // could not enter the current top list.
            if best.count == top, let last = best.last, relevance <= last.score { continue }
            let score = relevance * (1 + bonus(query: query, candidate: candidates[document]).total) / scale
            if best.count == top, let last = best.last, score <= last.score { continue }
            let position = best.firstIndex { score > $0.score || (score == $0.score && document < $0.document) } ?? best.count
            best.insert((document, score), at: position)
            if best.count > top { best.removeLast() }
        }
        return best
    }
}

/// Maps over `items` in contiguous chunks, one task per chunk, keeping order.
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    let chunkCount = min(items.count, max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
    guard chunkCount > 1 else { return items.map(transform) }
    let chunkSize = (items.count + chunkCount - 1) / chunkCount
    return await withTaskGroup(of: (Int, [R]).self) { group in
        for start in stride(from: 0, to: items.count, by: chunkSize) {
            let slice = Array(items[start..<min(items.count, start + chunkSize)])
            group.addTask { (start, slice.map(transform)) }
        }
        var parts: [(Int, [R])] = []
        for await part in group { parts.append(part) }
        return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}
