// Records whether a committee has set up its inspection leading group and office, which a city counts for its counties.

extension Migrations {
    /// 巡察工作领导小组 and 巡察机构（巡察办）: facts a committee records about itself; a city's
    /// year-end report counts how many of its lower committees have each.
    static let v0032 = Migration(
        version: 32, name: "inspection leading group and office on record",
        statements: [
            "ALTER TABLE jurisdiction_settings ADD COLUMN has_leading_group BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE jurisdiction_settings ADD COLUMN has_office BIGINT NOT NULL DEFAULT 0",
        ])
}
