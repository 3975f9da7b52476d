/// The knobs of the matcher. Defaults were set on general grounds before looking at the
/// development set's results (see bench/README.md); change them per deployment, not per query.
public struct MatchConfiguration: Sendable, Hashable {
    /// Lower `b` than search (0.75) because short, title-only postings are common and should
    /// not win merely for being short.
    public var bm25 = BM25(k1: 1.2, b: 0.5)
    /// Term-frequency multiplier for the title and keywords: they state the subject, the
    /// description mostly context.
    public var titleWeight: Float = 2
    /// Score multipliers added on top of text relevance; they reorder relevant candidates but
    /// never make an irrelevant one relevant.
    public var industryBonus = 0.25
    public var fieldBonus = 0.10
    public var readinessBonus = 0.10
    public var sameCityBonus = 0.15
    public var sameProvinceBonus = 0.07
    /// Weight kept by an ambiguous word (橡胶) when the two sides use it in different senses.
    public var senseMismatchFactor: Float = 0.15
    /// Candidates whose text relevance is below this are not matches at all.
    public var minimumRelevance = 0.12
    /// Terms in more than this share of candidates are too common to select or rank with;
    /// skipping them also keeps the longest posting lists out of the query loop.
    public var commonTermShare = 0.25
    /// Query terms kept (the highest weighted) when a query is long.
    public var maximumQueryTerms = 64
    /// How many shared keywords an explanation lists.
    public var keywordsInReasons = 5

    public init() {}

    var maximumBonus: Double { industryBonus + fieldBonus + readinessBonus + sameCityBonus }
}
