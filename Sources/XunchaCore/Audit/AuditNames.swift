import Foundation

/// What the audit page calls an entry's actor and object in words. The chain keeps the codes and
/// ids it hashed (an account's username, `rectification_task` and a uuid); the words are looked
/// up when the log is read, so a name given later does not break the chain.
public struct AuditNames: Sendable, Equatable {
    /// 姓名 by account id.
    public var people: [UUID: String]
    /// The object's own name ("1-1 市财政局", "〔2026〕1号", "张伟") by target type, then id.
    public var objects: [String: [String: String]]

    public init(people: [UUID: String] = [:], objects: [String: [String: String]] = [:]) {
        self.people = people
        self.objects = objects
    }

    /// The acting person's 姓名, when the actor is an account.
    public func personName(of entry: AuditEntry) -> String? {
        entry.actorID.flatMap { people[$0] }
    }

    /// The actor as the page shows it: 姓名 with the account the log records ("张伟（zhangwei）"),
    /// or the recorded name alone for the console and for strangers who failed to sign in.
    public func actor(of entry: AuditEntry) -> String {
        guard let name = personName(of: entry), name != entry.actorName else { return entry.actorName }
        return "\(name)（\(entry.actorName)）"
    }

    /// The object's own name, when it is known.
    public func objectName(of entry: AuditEntry) -> String? {
        guard let type = entry.event.targetType, let id = entry.event.targetID else { return nil }
        return objects[type]?[id]
    }

    /// The object in words: its kind and its name ("整改任务 1-1 市财政局"), or its kind alone when
    /// it has no name to look up; nil when the entry concerns no object.
    public func target(of entry: AuditEntry) -> String? {
        guard let type = entry.event.targetType else { return nil }
        return [AuditTarget.title(of: type), objectName(of: entry)].compactMap { $0 }.joined(separator: " ")
    }
}
