import Foundation
import XunchaCore
import XunchaSheets
import XunchaStore

/// An archive's package: its contents laid out as a BagIt bag. The payload (`data/`) holds
///
/// - `documents/NNN-kind.docx`: every issued 公文, NNN its 件号 in the 归档文件目录, and beside it
///   `NNN-kind.json`, the record's row and lifecycle history as stored;
/// - `evidence/<attachment id>.<ext>`: the evidence files' stored bytes, listed in `evidence.csv`
///   with their original names, owners and digests;
/// - `catalogue.xlsx` and `catalogue.csv`: the 归档文件目录 (DA/T 22-2015);
/// - `audit-extract.csv`: the audit entries whose target is one of the records, up to the moment
///   of archiving;
/// - `corrections.json`, once corrections are registered.
///
/// Paths are ASCII so every unzip tool and BagIt reader agrees on them; the Chinese names are in
/// the catalogue and the evidence list.
public enum ArchivePackage {
    /// The bag's files.
    public static func files(_ contents: ArchiveContents) -> [BagFile] {
        var payload: [BagFile] = []
        var items: [ArchivedItem] = []
        var documents: [UUID: ArchiveContents.Document] = [:]
        for document in contents.documents {
            documents[document.recordID] = document
            items.append(
                ArchivedItem(
                    kind: document.kind, recordID: document.recordID, author: document.document.frame.signature, number: document.document.number,
                    title: document.document.title, date: document.document.date, pages: PageEstimate.pages(of: document.document),
                    secrecy: document.document.secrecy, retention: contents.retention.period(of: document.kind), files: []))
        }
        var arranged = ArchiveCatalogue.arranged(items)
        for index in arranged.indices {
            let item = arranged[index]
            let stem = "documents/" + String(format: "%03d", index + 1) + "-" + item.kind.rawValue
            arranged[index].files = [stem + ".docx", stem + ".json"]
            if let document = documents[item.recordID] {
                payload.append(BagFile(stem + ".docx", DOCXWriter.document(document.document)))
                payload.append(BagFile(stem + ".json", document.data))
            }
        }
        let rows = ArchiveCatalogue.rows(arranged)
        payload.append(BagFile("catalogue.csv", Data(CSVWriter.document(header: ArchiveCatalogue.columns, rows: rows).utf8)))
        payload.append(
            BagFile(
                "catalogue.xlsx",
                XLSXWriter.workbook(
                    sheet: "归档文件目录", columns: catalogueColumns, rows: rows, title: "归档文件目录：\(contents.archive.title)")))
        var evidenceRows: [[String]] = []
        for file in contents.evidence {
            let path = "evidence/" + file.attachment.id.text + fileExtension(file.attachment.filename)
            payload.append(BagFile(path, file.data))
            evidenceRows.append([
                path, file.assignment.unitName, file.attachment.owner.type, file.attachment.owner.id.text, file.attachment.filename,
                file.attachment.contentType, String(file.attachment.size), file.attachment.sha256, file.attachment.createdBy, DateText.table(file.attachment.createdAt),
            ])
        }
        payload.append(
            BagFile(
                "evidence.csv",
                Data(CSVWriter.document(header: ["文件", "被巡察单位", "所属记录类型", "所属记录", "原文件名", "类型", "字节数", "SHA-256", "上传人", "上传时间"], rows: evidenceRows).utf8)))
        payload.append(BagFile("audit-extract.csv", Data(CSVWriter.document(header: auditHeader, rows: contents.audit.map(auditRow)).utf8)))
        if !contents.archive.corrections.isEmpty {
            payload.append(BagFile("corrections.json", correctionsJSON(contents.archive.corrections)))
        }
        let archive = contents.archive
        let info: [(String, String)] = [
            ("Source-Organization", contents.committee),
            ("Bagging-Date", CalendarDay(archive.archivedAt).description),
            ("External-Identifier", archive.id.text),
            ("External-Description", "立卷归档：\(archive.title)；归档人\(archive.archivedBy)；\(arranged.count)件公文，\(contents.evidence.count)份证据材料"),
            ("Bag-Group-Identifier", archive.roundTitle),
            ("Bag-Count", "1 of 1"),
        ]
        return BagIt.bag(payload: payload, info: info, digest: Store.sha256)
    }

    /// What a bag comes to, as the archive keeps it.
    public static func summary(_ files: [BagFile]) -> PackageSummary {
        let manifest = files.first { $0.path == "manifest-sha256.txt" }?.data ?? Data()
        let payload = files.filter { $0.path.hasPrefix("data/") }
        return PackageSummary(
            manifestSHA256: Store.sha256(manifest), fileCount: payload.count, payloadOxum: "\(payload.reduce(0) { $0 + $1.data.count }).\(payload.count)")
    }

    /// The packager the store calls once the archive is locked.
    public static let packager: ArchivePackager = { contents in summary(files(contents)) }

    /// The bag as a ZIP whose entries sit under one folder named `root`, as bagit tools expect of a zipped bag.
    public static func zip(_ files: [BagFile], root: String) throws -> Data {
        try ZIPFolder.archive(files.map { (root + "/" + $0.path, $0.data) })
    }

    /// Writes the bag as a directory (which must not hold another bag already).
    public static func write(_ files: [BagFile], to directory: URL, progress: (String) -> Void = { _ in }) throws {
        let manager = FileManager.default
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.data.write(to: url)
            progress(file.path)
        }
    }

    /// Reads every file under a bag's directory, by its path inside the bag.
    public static func read(_ directory: URL) throws -> [String: Data] {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var files: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            files[String(path.dropFirst(root.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }

    static let catalogueColumns: [XLSXWriter.Column] = [
        XLSXWriter.Column("件号", width: 6, kind: .number), XLSXWriter.Column("责任者", width: 24), XLSXWriter.Column("文号", width: 18),
        XLSXWriter.Column("题名", width: 40), XLSXWriter.Column("日期", width: 10), XLSXWriter.Column("页数", width: 6, kind: .number),
        XLSXWriter.Column("密级", width: 6), XLSXWriter.Column("保管期限", width: 10), XLSXWriter.Column("备注", width: 40),
    ]

    static let auditHeader = ["序号", "时间", "操作人", "操作", "操作名称", "对象类型", "对象", "说明", "变更前摘要", "变更后摘要", "哈希"]

    static func auditRow(_ entry: AuditEntry) -> [String] {
        [
            String(entry.sequence), DateText.table(entry.at), entry.actorName, entry.event.action.rawValue, entry.event.action.title,
            entry.event.targetType ?? "", entry.event.targetID ?? "", entry.event.detail ?? "", entry.beforeDigest ?? "", entry.afterDigest ?? "", entry.hash,
        ]
    }

    static func correctionsJSON(_ corrections: [ArchiveCorrection]) -> Data {
        let list: [[String: String]] = corrections.map { ["id": $0.id.text, "text": $0.text, "by": $0.by, "at": JSONBody.timestamp($0.at)] }
        return (try? JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
    }

    /// ".pdf" of "证明材料.pdf", lowercased ASCII; nothing when the name has none.
    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex else { return "" }
        let ext = name[name.index(after: dot)...].lowercased()
        guard ext.count <= 8, ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return "" }
        return "." + ext
    }
}
