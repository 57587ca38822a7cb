// Lets a lead about a cadre the committee does not manage go to its own 纪委监委 for the stationed group.

extension Migrations {
    /// 转派驻纪检监察组: the lead is received by the committee's own 纪委监委, which passes it to
    /// the discipline inspection group stationed in the cadre's unit.
    static let v0024 = Migration(
        version: 24, name: "leads through the stationed discipline group",
        statements: ["ALTER TABLE leads ADD COLUMN via_stationed_body BIGINT NOT NULL DEFAULT 0"])
}
