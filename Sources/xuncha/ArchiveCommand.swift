import ArgumentParser
import Foundation
import XunchaCore
import XunchaStore
import XunchaWeb

/// `xuncha archive`: 立卷归档 at the console — archive (and lock) a finished assignment or round
/// and write its bag as a directory; export an archive again; verify a bag.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "立卷归档：生成并核验 BagIt 归档包", subcommands: [Create.self, Export.self, Verify.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "对办结的巡察任务（或整轮）立卷归档并锁定其记录，把归档包写入目录")
        @OptionGroup var store: StoreOptions
        @Option(help: "巡察任务编号") var assignment: String?
        @Option(help: "巡察轮次编号（整轮归档）") var round: String?
        @Option(help: "归档包写入的目录（须不存在或为空）") var out: String

        func validate() throws {
            guard (assignment == nil) != (round == nil) else { throw ValidationError("须给出 --assignment 或 --round 之一") }
        }

        func run() async throws {
            let directory = try emptyDirectory(out)
            try await withStore(store) { store, _ in
                progress("正在核对办结情况并锁定记录……")
                let archive =
                    if let assignment {
                        try await store.archiveAssignment(try id(assignment, "巡察任务"), origin: console, packager: ArchivePackage.packager)
                    } else {
                        try await store.archiveRound(try id(round ?? "", "巡察轮次"), origin: console, packager: ArchivePackage.packager)
                    }
                progress("已归档：\(archive.title)，正在写出归档包……")
                try await writeBag(of: archive, to: directory, store: store)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把已归档的归档包（含更正说明）再次写入目录")
        @OptionGroup var store: StoreOptions
        @Option(help: "归档编号") var archive: String
        @Option(help: "归档包写入的目录（须不存在或为空）") var out: String

        func run() async throws {
            let directory = try emptyDirectory(out)
            try await withStore(store) { store, _ in
                try await writeBag(of: try await store.archive(try id(archive, "归档"), for: console.actor), to: directory, store: store)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核验 BagIt 归档包目录：bagit.txt、清单中每个文件的 SHA-256、Payload-Oxum、有无缺失或多余文件；不通过时以非零状态退出并指出文件")
        @Argument(help: "归档包目录") var path: String

        func run() async throws {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                printError("找不到归档包目录 \(path)")
                throw ExitCode(2)
            }
            do {
                let (octets, count) = try BagIt.verify(try ArchivePackage.read(url), digest: Store.sha256)
                say("归档包校验通过：\(count)个文件，共\(octets)字节，SHA-256 与清单一致。")
            } catch let problem as BagProblem {
                printError("归档包校验未通过：\(problem.description)")
                throw ExitCode(1)
            }
        }
    }
}

/// Writes the archive's bag file by file, a progress line each on standard error.
private func writeBag(of archive: ArchiveRecord, to directory: URL, store: Store) async throws {
    let files = ArchivePackage.files(try await store.archiveContents(archive.id, origin: console))
    try ArchivePackage.write(files, to: directory) { path in progress("写出 \(path)") }
    try await store.recordArchiveExport(archive, summary: ArchivePackage.summary(files), origin: console)
    say("归档包已写入 \(directory.path)：归档编号 \(archive.id.text)，\(archive.title)，\(files.count)个文件。")
}

private func id(_ text: String, _ label: String) throws -> UUID {
    guard let id = UUID(text: text) ?? UUID(uuidString: text) else {
        throw DomainError.invalid("invalid_id", "“\(label)”编号格式不正确", english: "not a UUID")
    }
    return id
}

/// The output directory, which must be new or empty so a bag never mixes with other files.
private func emptyDirectory(_ path: String) throws -> URL {
    let url = URL(fileURLWithPath: path)
    if let existing = try? FileManager.default.contentsOfDirectory(atPath: url.path), !existing.isEmpty {
        printError("目录 \(path) 不是空目录")
        throw ExitCode(2)
    }
    return url
}
