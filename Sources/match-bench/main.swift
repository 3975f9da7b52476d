import Foundation
import KexieKit

// Measurement harness for the matcher; not part of the app.
//   match-bench match --supplies S.jsonl --demands D.jsonl [--top 10]   → the `kexie match` JSON
//   match-bench batch --supplies S.jsonl --demands D.jsonl [--top 10]   → time and peak memory of that
//   match-bench speed --supplies S.jsonl --demands D.jsonl [--top 10] [--single 1000]

func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

/// Peak and current resident memory from /proc (Linux), in MiB.
func memory() -> (peak: Double, current: Double) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func value(_ key: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
    return (value("VmHWM:"), value("VmRSS:"))
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fail("usage: match-bench match|speed --supplies FILE --demands FILE [--top N]") }
guard let suppliesPath = option("--supplies", in: arguments), let demandsPath = option("--demands", in: arguments) else {
    fail("--supplies and --demands are required")
}
let top = Int(option("--top", in: arguments) ?? "10") ?? 10

do {
    let suppliesData = try Data(contentsOf: URL(fileURLWithPath: suppliesPath))
    let demandsData = try Data(contentsOf: URL(fileURLWithPath: demandsPath))
    switch mode {
    case "match":
        // --concepts FILE replaces the built-in dictionary (an empty file: no dictionary), for ablations.
        var concepts = ConceptDictionary.builtIn
        if let path = option("--concepts", in: arguments) {
            concepts = try ConceptDictionary(parsing: String(contentsOfFile: path, encoding: .utf8))
        }
        let results = await BatchMatching.run(
            supplies: try JSONLines.decode(MatchRecord.self, from: suppliesData),
            demands: try JSONLines.decode(MatchRecord.self, from: demandsData), top: top, concepts: concepts)
        let output = try BatchMatching.encode(results)
        FileHandle.standardOutput.write(output)
        FileHandle.standardOutput.write(Data("\n".utf8))
    case "batch":
        // What `kexie match` costs on its own: parse, build, rank, encode; peak memory included.
        let start = ContinuousClock.now
        let output = try await BatchMatching.run(suppliesJSONL: suppliesData, demandsJSONL: demandsData, top: top)
        let mem = memory()
        print(
            String(
                format: "batch end to end: %.2f s, %d bytes of JSON, peak RSS %.0f MiB (input files %.0f MiB)",
                seconds(since: start), output.count, mem.peak, Double(suppliesData.count + demandsData.count) / 1_048_576))
    case "speed":
        let total = ContinuousClock.now
        var start = ContinuousClock.now
        let supplies = try JSONLines.decode(MatchRecord.self, from: suppliesData)
        let demands = try JSONLines.decode(MatchRecord.self, from: demandsData)
        print(String(format: "parsed %d supplies, %d demands in %.2f s", supplies.count, demands.count, seconds(since: start)))
        start = ContinuousClock.now
        let index = await MatchIndex.build(candidates: supplies.map { $0.profile(kind: .supply) })
        print(String(format: "index built in %.2f s; memory now %.0f MiB", seconds(since: start), memory().current))
        let queries = demands.map { $0.profile(kind: .demand) }

        let singleCount = min(queries.count, Int(option("--single", in: arguments) ?? "1000") ?? 1000)
        var latencies: [Double] = []
        var matched = 0
        for query in queries.prefix(singleCount) {
            let begin = ContinuousClock.now
            let result = index.rank(query, top: top)
            latencies.append(seconds(since: begin) * 1000)
            matched += result.isEmpty ? 0 : 1
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(
            String(
                format:
                    "single query (one thread, %d queries, top %d, reasons included): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms; %d with matches",
                latencies.count, top, percentile(0.5), percentile(0.95), percentile(0.99), latencies.last ?? 0, matched))

        start = ContinuousClock.now
        let batch = await BatchMatching.run(supplies: supplies, demands: demands, top: top)
        let encoded = try BatchMatching.encode(batch)
        print(
            String(
                format: "batch end to end (build + %d demands + JSON, %d cores): %.2f s, %d bytes of JSON",
                batch.count, ProcessInfo.processInfo.activeProcessorCount, seconds(since: start), encoded.count))
        start = ContinuousClock.now
        _ = await index.rank(queries, top: top)
        print(String(format: "batch ranking only (prebuilt index): %.2f s", seconds(since: start)))
        let mem = memory()
        print(String(format: "memory: peak RSS %.0f MiB, current %.0f MiB; total %.1f s", mem.peak, mem.current, seconds(since: total)))
    default:
        fail("unknown mode \(mode)")
    }
} catch {
    fail("error: \(error)")
}
