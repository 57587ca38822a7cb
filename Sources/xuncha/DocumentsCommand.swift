import ArgumentParser
import Foundation
import XunchaCore
import XunchaStore
import XunchaWeb

/// `xuncha documents render --out DIR`: one .docx of every kind of 公文 the database holds, for a
/// reviewer (`scripts/render-documents` turns their first pages into PNG).
struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "documents", abstract: "公文", subcommands: [Render.self])

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把库中每类公文各取最新一份写成 .docx，供审阅版式")
        @OptionGroup var store: StoreOptions
        @Option(help: "输出目录") var out: String
        @Option(help: "台账和综述的党委（默认根党委）") var jurisdiction: String?

        func run() async throws {
            try await withStore(store) { store, _ in
                let committee = try await resolveJurisdiction(jurisdiction, store: store)
                let (samples, missing) = try await DocumentSamples.render(store: store, committee: committee, origin: console)
                let folder = URL(fileURLWithPath: out)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for sample in samples {
                    try sample.data.write(to: folder.appendingPathComponent(sample.fileName))
                    say("\(sample.fileName)\t\(sample.kind.title)\t\(sample.title)")
                }
                if !missing.isEmpty {
                    progress("库中尚无可出具的：\(missing.map(\.title).joined(separator: "、"))")
                }
            }
        }
    }
}
