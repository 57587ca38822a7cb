import XunchaCore

/// One typed reader for what nearly every request carries: the version a step or an edit echoes
/// back (optimistic locking) and the page a list asks for. Each says in Chinese what is missing.
/// A submitted form, URL-encoded or multipart: named text fields.
protocol FormFields {
    subscript(_ name: String) -> String? { get }
    /// Every value of a field posted more than once (checkboxes), in order.
    func all(_ name: String) -> [String]
}

extension FormInput: FormFields {}
extension MultipartForm: FormFields {}

extension FormFields {
    /// The record version the form echoes back.
    func version(_ field: String = "version", label: String = "版本号") throws(DomainError) -> Int {
        guard let version = self[field].flatMap(Int.init) else { throw DomainError.required(field, label: label) }
        return version
    }
}

extension FormFields {
    /// The step's business day and the reason for entering it late, as every step form carries them.
    func businessDate() throws(DomainError) -> BusinessDate {
        try BusinessDate(text: self["occurred_on"], reason: self["backfill_reason"])
    }
}

extension Optional where Wrapped == Int {
    /// The version a JSON body must carry.
    func requiredVersion(_ field: String = "version", label: String = "版本号") throws(DomainError) -> Int {
        guard let self else { throw DomainError.required(field, label: label) }
        return self
    }
}

extension Dictionary where Key == String, Value == String {
    /// The page a list asks for (`limit`, `cursor`) and its order (`sort`, `order`).
    func pageRequest() throws(DomainError) -> PageRequest {
        try PageRequest.validate(limit: self["limit"], cursor: self["cursor"], sort: self["sort"], order: self["order"])
    }
}

extension Dictionary where Key == String, Value == String {
    /// A coded filter or choice (`status=approved`): nil when absent or empty; an unknown code is
    /// refused as `unknown_<field>`, naming what was sent.
    func code<Code: RawRepresentable>(_ type: Code.Type, _ field: String = "status", label: String = "状态") throws(DomainError) -> Code?
    where Code.RawValue == String {
        try CodedValue.parse(type, self[field], field: field, label: label)
    }
}

extension Dictionary where Key == String, Value == String {
    /// A yes/no filter (`all=true`): absent or empty is no; `true`/`false` (or a page checkbox's
    /// `1`/`0`) are read, anything else is refused rather than silently taken as no.
    func flag(_ field: String, label: String) throws(DomainError) -> Bool {
        switch self[field] {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        case let text?:
            throw DomainError.invalid("invalid_flag", "参数“\(label)”须为 true 或 false，收到“\(text)”", english: "\(field) must be true or false", field: field)
        }
    }
}

/// A coded value sent as text (a query parameter or a JSON field).
enum CodedValue {
    /// nil when absent or empty; an unknown code is `unknown_<field>`, naming what was sent.
    static func parse<Code: RawRepresentable>(_ type: Code.Type, _ text: String?, field: String = "status", label: String = "状态") throws(DomainError)
        -> Code? where Code.RawValue == String
    {
        guard let text, !text.isEmpty else { return nil }
        guard let code = Code(rawValue: text) else {
            throw DomainError.invalid("unknown_\(field)", "\(label)“\(text)”不存在", english: "unknown \(field)", field: field)
        }
        return code
    }
}

/// The step a request asks a chain to take.
enum StepName {
    /// The chain's step named by `text`; absent or unknown is `unknown_step`, naming what was sent.
    static func parse<Step: RawRepresentable>(_ type: Step.Type, from text: String?, label: String = "流转步骤") throws(DomainError) -> Step
    where Step.RawValue == String {
        guard let text, let step = Step(rawValue: text) else {
            throw DomainError.invalid("unknown_step", "未知的\(label)“\(text ?? "")”", english: "unknown step", field: "step")
        }
        return step
    }
}
