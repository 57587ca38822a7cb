import Foundation
import XunchaCore

/// A fixed jurisdiction tree and units for policy tests:
///
///     city (root)
///     ├── countyA
///     │   └── townA (below countyA)
///     └── countyB
///
/// Ids are fixed so a failing test names the same records every run.
enum Tree {
    struct Place: Sendable, CustomStringConvertible {
        let name: String
        let id: UUID
        let path: String

        /// A record owned by the jurisdiction itself, not by any unit.
        var record: RecordLocation { RecordLocation(jurisdictionID: id, jurisdictionPath: path) }

        /// A record owned by `unit` inside this jurisdiction.
        func record(of unit: UUID) -> RecordLocation {
            RecordLocation(jurisdictionID: id, jurisdictionPath: path, unitID: unit)
        }

        var description: String { name }
    }

    static let city = place("city", "0198a000-0000-7000-8000-000000000001", under: nil)
    static let countyA = place("countyA", "0198a000-0000-7000-8000-00000000000a", under: city)
    static let countyB = place("countyB", "0198a000-0000-7000-8000-00000000000b", under: city)
    static let townA = place("townA", "0198a000-0000-7000-8000-0000000000a1", under: countyA)

    static let all = [city, countyA, countyB, townA]

    /// Two units of countyA and one of countyB.
    static let unitA = UUID(uuidString: "0198a000-0000-7000-9000-00000000000a")!
    static let otherUnitA = UUID(uuidString: "0198a000-0000-7000-9000-0000000000aa")!
    static let unitB = UUID(uuidString: "0198a000-0000-7000-9000-00000000000b")!

    private static func place(_ name: String, _ id: String, under parent: Place?) -> Place {
        let uuid = UUID(uuidString: id)!
        return Place(name: name, id: uuid, path: Jurisdiction.path(for: uuid, under: parent?.path))
    }
}

/// A signed-in account holding `roles` in `place`, acting for `unit` when given.
func account(_ roles: Set<Role>, in place: Tree.Place, unit: UUID? = nil) -> Actor {
    Actor(
        kind: .account(UUID(uuidString: "0198a000-0000-7000-a000-000000000099")!), name: "tester",
        jurisdictionID: place.id, jurisdictionPath: place.path, roles: roles, unitID: unit)
}

/// A clock that always answers the same instant.
struct FixedClock: XunchaCore.Clock {
    var date: Date
    func now() -> Date { date }
}

/// The bytes of `text` as UTF-8, for feeding the CSV parser.
func utf8(_ text: String) -> Data { Data(text.utf8) }
