import Foundation

/// 立卷归档: the package of one assignment, or of a round's assignments together, as archived. Once
/// an assignment is in an archive its records are locked; corrections are appended, never written
/// over the records.
public struct ArchiveRecord: Sendable, Equatable {
    public var id: UUID
    public var jurisdictionID: UUID
    public var roundID: UUID
    public var roundTitle: String
    /// The one assignment archived, or nil for the whole round.
    public var assignmentID: UUID?
    /// 被巡察单位 of the assignments in the package.
    public var unitNames: [String]
    public var assignmentIDs: [UUID]
    public var archivedAt: Date
    public var archivedBy: String
    /// SHA-256 of the bag's manifest-sha256.txt as archived: it fixes every payload file.
    public var packageSHA256: String
    public var fileCount: Int
    public var payloadOxum: String
    public var corrections: [ArchiveCorrection]

    public init(
        id: UUID, jurisdictionID: UUID, roundID: UUID, roundTitle: String, assignmentID: UUID?, unitNames: [String], assignmentIDs: [UUID], archivedAt: Date,
        archivedBy: String, packageSHA256: String, fileCount: Int, payloadOxum: String, corrections: [ArchiveCorrection]
    ) {
        self.id = id
        self.jurisdictionID = jurisdictionID
        self.roundID = roundID
        self.roundTitle = roundTitle
        self.assignmentID = assignmentID
        self.unitNames = unitNames
        self.assignmentIDs = assignmentIDs
        self.archivedAt = archivedAt
        self.archivedBy = archivedBy
        self.packageSHA256 = packageSHA256
        self.fileCount = fileCount
        self.payloadOxum = payloadOxum
        self.corrections = corrections
    }

    /// "第十五届第3轮 市财政局" or "第十五届第3轮（全轮）".
    public var title: String { assignmentID == nil ? "\(roundTitle)（全轮）" : "\(roundTitle) \(unitNames.joined(separator: "、"))" }
}

/// 更正说明: what was wrong in an archived record and what is right, appended with who and when.
public struct ArchiveCorrection: Sendable, Equatable, Codable {
    public var id: UUID
    public var text: String
    public var by: String
    public var at: Date

    public init(id: UUID, text: String, by: String, at: Date) {
        self.id = id
        self.text = text
        self.by = by
        self.at = at
    }
}

/// An assignment of a round as the 立卷归档 page lists it.
public struct ArchiveCandidate: Sendable, Equatable {
    public var assignment: AssignmentDetail
    /// Finished: its feedback's rectification has been evaluated and no evaluation is open.
    public var finished: Bool
    /// The archive it is in, if any.
    public var archiveID: UUID?

    public init(assignment: AssignmentDetail, finished: Bool, archiveID: UUID?) {
        self.assignment = assignment
        self.finished = finished
        self.archiveID = archiveID
    }
}

extension DomainError {
    /// A write to a record of an archived assignment.
    public static let archived = DomainError(
        .conflict, code: "archived", message: "已归档，不能修改；如需更正请登记更正说明", english: "archived: records are locked; register a correction instead")

    /// An archive of an assignment whose work is not over.
    public static func notFinished(_ units: [String]) -> DomainError {
        DomainError(
            .conflict, code: "not_finished",
            message: "\(units.joined(separator: "、"))的巡察尚未办结（反馈意见整改评估完成后方可归档），不能归档",
            english: "the assignment is not finished: its rectification has not been evaluated")
    }

    public static let alreadyArchived = DomainError(.conflict, code: "already_archived", message: "已经归档，不能重复归档", english: "already archived")
}
