import Foundation

/// 保密承诺: what every member of a group signs for a round before the records of its
/// assignments open to them (domain §4.1: secrecy, integrity, truthfulness, recusal, hand-in).
/// The version is stored with each signature, so a later wording never rewrites what was signed.
public enum Pledge {
    public static let version = "2026-1"
    public static let title = "巡察工作保密和纪律承诺书"
    public static let preamble = "本人作为巡察组成员，自愿接受组织监督，郑重承诺在本轮巡察工作中做到“八个严禁”："
    public static let prohibitions = [
        "严禁泄露巡察工作方案、谈话内容、问题底稿、问题线索和巡察报告等涉密信息",
        "严禁私自留存、复制或带离巡察工作材料",
        "严禁超越授权范围开展工作、干预被巡察单位正常工作或处理具体问题",
        "严禁接受被巡察单位及其人员的宴请、礼品礼金、土特产，严禁由其报销任何费用",
        "严禁利用巡察工作之便为本人、亲属或他人谋取利益",
        "严禁隐瞒、歪曲、捏造事实",
        "严禁与被巡察单位人员私下接触或透露巡察工作情况",
        "严禁隐瞒应当回避的情形",
    ]
    public static let closing = "巡察工作结束后，本人将按规定移交全部工作材料。如有违反，愿接受组织处理。"
}

/// A signature on record: who signed the pledge for which round, and which wording.
public struct PledgeSignature: Sendable, Equatable {
    public var roundID: UUID
    public var inspectorID: UUID
    public var version: String
    public var signedAt: Date

    public init(roundID: UUID, inspectorID: UUID, version: String, signedAt: Date) {
        self.roundID = roundID
        self.inspectorID = inspectorID
        self.version = version
        self.signedAt = signedAt
    }
}
