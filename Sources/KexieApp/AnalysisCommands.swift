import Foundation
import KexieKit
import Platform
import Vapor

/// `kexie plan parse FILE [--format json|text]`: parses a work plan (.txt in UTF-8/GB18030, or .docx)
/// and prints the task tree; nothing is stored.
struct PlanParseCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "工作要点或规划文件（.txt 或 .docx）/ plan file") var file: String
        @Option(name: "format", help: "json（默认）或 text / json (default) or text") var format: String?
        @Flag(name: "timing", help: "在标准错误输出解析用时 / print the parse time on standard error") var timing: Bool
        init() {}
    }

    var help: String { "解析工作要点文件，输出任务树（不保存）/ parse a plan document into its task tree" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw CommandFailure("无法读取文件 \(signature.file) / cannot read file")
        }
        let plan: ParsedPlan
        let started = ContinuousClock.now
        do {
            plan = try PlanParser().parse(data: data, fileName: signature.file)
        } catch {
            throw CommandFailure(error.message)
        }
        if signature.timing {
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            FileHandle.standardError.write(Data(String(format: "parse: %.1f ms\n", milliseconds).utf8))
        }
        switch signature.format ?? "json" {
        case "json":
            FileHandle.standardOutput.write(plan.jsonData(prettyPrinted: true))
            FileHandle.standardOutput.write(Data("\n".utf8))
        case "text":
            context.console.print(plan.title)
            func show(_ items: [PlanItem], depth: Int) {
                for item in items {
                    let units = item.departments.isEmpty ? "" : "（\(item.departments.joined(separator: "、"))）"
                    context.console.print(String(repeating: "  ", count: depth) + item.label + item.heading + units)
                    show(item.children, depth: depth + 1)
                }
            }
            show(plan.items, depth: 0)
        default:
            throw CommandFailure("--format 只能是 json 或 text")
        }
    }
}

/// `kexie match --supplies FILE --demands FILE [--top 10] --format json`: ranks supplies for every demand
/// (JSON Lines in, a JSON array out), for 对接会 preparation and for measuring the matcher.
struct MatchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "supplies", help: "技术供给 JSON Lines 文件 / supplies (JSON Lines)") var supplies: String?
        @Option(name: "demands", help: "技术需求 JSON Lines 文件 / demands (JSON Lines)") var demands: String?
        @Option(name: "top", help: "每个需求返回的条数（默认 10）/ matches per demand") var top: Int?
        @Option(name: "format", help: "json") var format: String?
        init() {}
    }

    var help: String { "批量匹配技术需求与技术供给 / rank supplies for each demand" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let suppliesPath = signature.supplies, let demandsPath = signature.demands else {
            throw CommandFailure("需要 --supplies 与 --demands / --supplies and --demands are required")
        }
        guard (signature.format ?? "json") == "json" else { throw CommandFailure("--format 只支持 json") }
        let top = signature.top ?? 10
        guard (1...1000).contains(top) else { throw CommandFailure("--top 应在 1–1000 之间") }
        guard let supplies = FileManager.default.contents(atPath: suppliesPath) else {
            throw CommandFailure("无法读取 \(suppliesPath)")
        }
        guard let demands = FileManager.default.contents(atPath: demandsPath) else {
            throw CommandFailure("无法读取 \(demandsPath)")
        }
        FileHandle.standardError.write(Data("正在匹配… / matching…\n".utf8))
        do {
            let output = try await BatchMatching.run(suppliesJSONL: supplies, demandsJSONL: demands, top: top)
            FileHandle.standardOutput.write(output)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } catch let error as any KexieKitError {
            throw CommandFailure(error.message)
        }
    }
}
