/// The non-text factors and the Chinese explanations of a match.
extension MatchIndex {
    struct Bonus {
        var total: Double = 0
        var sameIndustry: IndustrySection?
        var sameField: String?
        var readiness: (offered: Int, required: Int)?
        var proximity: RegionProximity = .elsewhere
    }

    func bonus(query: MatchProfile, candidate: MatchProfile) -> Bonus {
        var bonus = Bonus()
        if let a = query.industry, a == candidate.industry {
            bonus.total += configuration.industryBonus
            bonus.sameIndustry = a
        }
        if let a = query.fieldKey, a == candidate.fieldKey {
            bonus.total += configuration.fieldBonus
            bonus.sameField = candidate.field
        }
        if let (offered, required) = Self.readinessPair(query, candidate) {
            // Falling short by three levels or more is as bad as not saying.
            let fit = offered >= required ? 1.0 : max(0, 1 - Double(required - offered) / 3)
            bonus.total += configuration.readinessBonus * fit
            if fit == 1 { bonus.readiness = (offered, required) }
        }
        if let a = query.region, let b = candidate.region {
            bonus.proximity = a.proximity(to: b)
            switch bonus.proximity {
            case .sameCounty, .sameCity: bonus.total += configuration.sameCityBonus
            case .sameProvince: bonus.total += configuration.sameProvinceBonus
            case .elsewhere: break
            }
        }
        return bonus
    }

    /// (level reached by the supply, level wanted by the demand), when the pair has both.
    static func readinessPair(_ a: MatchProfile, _ b: MatchProfile) -> (Int, Int)? {
        switch (a.kind, b.kind) {
        case (.demand, .supply): if let offered = b.readinessLevel, let required = a.readinessLevel { return (offered, required) }
        case (.supply, .demand): if let offered = a.readinessLevel, let required = b.readinessLevel { return (offered, required) }
        default: break
        }
        return nil
    }

    func reasons(query: MatchProfile, queryFeatures: FeatureExtractor.Features, candidate: MatchProfile) -> [String] {
        let candidateFeatures = extractor.extract(candidate)
        var reasons: [String] = []
        let keywords = sharedKeywords(queryFeatures, candidateFeatures)
        if !keywords.isEmpty { reasons.append("共同关键词：" + keywords.joined(separator: "、")) }
        reasons += synonymReasons(queryFeatures, candidateFeatures, alreadySaid: keywords)
        reasons += senseReasons(queryFeatures, candidateFeatures)

        let bonus = bonus(query: query, candidate: candidate)
        if let industry = bonus.sameIndustry { reasons.append("行业相同：\(industry.name)") }
        if let field = bonus.sameField { reasons.append("学科相同：\(field)") }
        if let (offered, required) = bonus.readiness {
            reasons.append("技术成熟度：TRL \(offered)，满足需求（不低于 TRL \(required)）")
        }
        if let a = query.region, let b = candidate.region {
            switch bonus.proximity {
            case .sameCounty: reasons.append("同一地区：\(b.name)")
            case .sameCity: reasons.append("同一地区：\(b.cityName ?? a.name)")
            case .sameProvince: reasons.append("同省：\(b.provinceName ?? a.name)")
            case .elsewhere: break
            }
        }
        return reasons
    }

    /// Runs of adjacent query bigrams that the candidate also has, joined back into words:
    /// 动力|力电|电池 shared → "动力电池". A run is only reported as typed in both texts.
    func sharedKeywords(_ query: FeatureExtractor.Features, _ candidate: FeatureExtractor.Features) -> [String] {
        let maximumDF = commonTermLimit
        func counts(_ token: ChineseTokenizer.Token) -> Bool {
            guard candidate.termCounts[token.term] != nil, let id = termIDs[token.term] else { return false }
            return documentFrequency[Int(id)] <= maximumDF
        }
        let candidateText = String(String.UnicodeScalarView(candidate.scalars))
        // The query text covered by consecutive tokens.
        func text(_ run: ArraySlice<ChineseTokenizer.Token>) -> String {
            guard let head = run.first, let tail = run.last else { return "" }
            let end = tail.start + tail.length
            return String(String.UnicodeScalarView(query.scalars[head.start..<end]))
        }
        var found: [(text: String, weight: Float)] = []
        var index = 0
        let tokens = query.tokens
        while index < tokens.count {
            guard counts(tokens[index]) else { index += 1; continue }
            var end = index
            while tokens[end].isBigram, end + 1 < tokens.count, tokens[end + 1].isBigram,
                tokens[end + 1].start == tokens[end].start + 1, counts(tokens[end + 1])
            {
                end += 1
            }
            // Greedily take the longest stretch of the run that the candidate also has as typed.
            var first = index
            while first <= end {
                var last = end
                while last >= first, !candidateText.contains(text(tokens[first...last])) { last -= 1 }
                if last >= first {
                    let weight = tokens[first...last].reduce(Float(0)) { $0 + (termIDs[$1.term].map { idf[Int($0)] } ?? 0) }
                    found.append((text(tokens[first...last]), weight))
                    first = last + 1
                } else {
                    first += 1
                }
            }
            index = end + 1
        }
        var chosen: [String] = []
        for item in found.sorted(by: { $0.weight > $1.weight }) {
            if chosen.contains(where: { $0.contains(item.text) }) { continue }
            chosen.removeAll { item.text.contains($0) }
            chosen.append(item.text)
            if chosen.count == configuration.keywordsInReasons { break }
        }
        return chosen
    }

    /// Concepts both sides mention in different words (the bigram overlap cannot see these).
    func synonymReasons(_ query: FeatureExtractor.Features, _ candidate: FeatureExtractor.Features, alreadySaid: [String]) -> [String] {
        var reasons: [String] = []
        for (concept, queryPhrases) in query.conceptPhrases.sorted(by: { $0.key < $1.key }) {
            guard let candidatePhrases = candidate.conceptPhrases[concept] else { continue }
            // The longest phrase is the most specific way each side said it.
            let longestFirst = { (a: String, b: String) in a.count != b.count ? a.count > b.count : a < b }
            let queryOnly = queryPhrases.subtracting(candidatePhrases).sorted(by: longestFirst)
            let candidateOnly = candidatePhrases.subtracting(queryPhrases).sorted(by: longestFirst)
            guard let a = queryOnly.first, let b = candidateOnly.first,
                !alreadySaid.contains(where: { $0.contains(a) || $0.contains(b) })
            else { continue }
            let name = extractor.dictionary.concepts[concept].name
            reasons.append("相关概念：\(a)≈\(b)（\(name)）")
        }
        return reasons
    }

    /// Says whether an ambiguous word was read in the same sense on both sides.
    func senseReasons(_ query: FeatureExtractor.Features, _ candidate: FeatureExtractor.Features) -> [String] {
        var reasons: [String] = []
        let senses = extractor.dictionary.senses
        for (group, word) in extractor.ambiguousWords.enumerated() {
            let a = query.senses[group], b = candidate.senses[group]
            if a >= 0, b >= 0, a != b {
                reasons.append("词义不同已降权：\(word)（\(senses[Int(a)].label)≠\(senses[Int(b)].label)）")
            } else if query.topics[group] >= 0, query.topics[group] == candidate.topics[group] {
                reasons.append("同一领域：\(word)（\(senses[Int(query.topics[group])].label)）")
            }
        }
        return reasons
    }
}
