/// The ordered list of migrations, and the only place that names their order: one file per migration
/// beside this one (`0001_foundation.swift` …), each an `extension Migrations` with its `static let`.
/// Append only: a released migration is never edited (`releasedMigrationsAreNeverEdited` pins the SQL
/// of each); a change to the schema is a new file with the next number and a new line at the end here.
public enum Migrations {
    public static let all: [Migration] = [
        v0001, v0002, v0003, v0004, v0005, v0006, v0007, v0008, v0009, v0010,
        v0011, v0012, v0013, v0014, v0015, v0016, v0017, v0018, v0019, v0020,
        v0021, v0022, v0023, v0024, v0025, v0026, v0027, v0028, v0030, v0031, v0032, v0033, v0034, v0035, v0036, v0037, v0038, v0039, v0040,
        v0041, v0042, v0043, v0044,
    ]
}
