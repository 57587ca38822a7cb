import XunchaCore

/// One step's form as every chain's page shows it (the `step_form` partial): the hidden step and
/// version, the step's own fields, the fields every step carries, the refusal beside the field it
/// names, and the button (with the question asked first, since no step can be undone).
///
/// The partial reads every name with a leading dot, so a slot left nil never shows the page's
/// value of the same name (mustache would otherwise look it up the context stack).
struct StepForm {
    /// The step's code: the hidden `step`, the form's id `step-…` and the button's `data-step`.
    let step: String
    /// What the button says.
    let title: String
    let action: String
    let version: Int
    let multipart: Bool
    let confirm: String?
    let danger: Bool
    /// What this step carries besides what every step does, in the order shown.
    let fields: [StepField]
    /// What every step of the page carries, shown once in each form after the step's own fields.
    let common: [StepField]
    let hasCommon: Bool
    /// Whether the common fields show unfolded: one was typed or refused.
    let commonOpen: Bool
    /// A refusal of this form that names none of its fields.
    let problem: String?
}

/// One field of a step form: a text area, an input, a select, a set of checkboxes, one checkbox,
/// or a hint standing alone. Exactly one of the kinds is true; the partial `step_field` renders it.
struct StepField {
    enum Kind { case textarea, input, select, choices, check, text }

    let textarea: Bool
    let input: Bool
    let select: Bool
    let choices: Bool
    let check: Bool
    let text: Bool
    /// The element's id: the name, or `name-step` where every form of the page has the field.
    var id: String
    let idPerStep: Bool
    let name: String
    /// The label, the legend of a set of checkboxes, or the text of a hint standing alone.
    let label: String
    var value: String
    let type: String
    let rows: String?
    let maxLength: String?
    let min: String?
    let max: String?
    let placeholder: String?
    let required: Bool
    /// A select's choices, or the boxes of a set of checkboxes (`selected`: ticked).
    var options: [Option]
    /// The select's first, empty choice ("请选择").
    let empty: String?
    /// Said under the control.
    let hint: String?
    /// The id of a hint standing alone.
    let hintID: String?
    /// Whether one checkbox is ticked.
    var checked: Bool
    /// The refusal that names this field.
    var error: String?
    /// Whether a refused form shows again what was typed here (not an endorsement, which is given
    /// anew, nor a file).
    let keepsTyped: Bool

    private init(
        _ kind: Kind, name: String, label: String, id: String? = nil, perStep: Bool = false, value: String = "", type: String = "", rows: Int? = nil, maxLength: Int? = nil,
        min: String? = nil, max: String? = nil, placeholder: String? = nil, required: Bool = false, options: [Option] = [], empty: String? = nil,
        hint: String? = nil, hintID: String? = nil, checked: Bool = false, keepsTyped: Bool = true
    ) {
        (textarea, input, select, choices, check, text) = (kind == .textarea, kind == .input, kind == .select, kind == .choices, kind == .check, kind == .text)
        self.id = id ?? name
        self.idPerStep = perStep
        self.name = name
        self.label = label
        self.value = value
        self.type = type
        self.rows = rows.map(String.init)
        self.maxLength = maxLength.map(String.init)
        self.min = min
        self.max = max
        self.placeholder = placeholder
        self.required = required
        self.options = options
        self.empty = empty
        self.hint = hint
        self.hintID = hintID
        self.checked = checked
        self.keepsTyped = keepsTyped
    }

    /// The note every step may carry (reasons, an opinion), as a text area with id `note-step`.
    static func note(_ label: String, required: Bool = false, rows: Int = 3, maxLength: Int = 4000) -> StepField {
        textarea("note", label: label, perStep: true, rows: rows, maxLength: maxLength, required: required)
    }

    static func textarea(
        _ name: String, label: String, perStep: Bool = false, rows: Int, maxLength: Int, required: Bool = false, value: String = "", hint: String? = nil
    ) -> StepField {
        StepField(.textarea, name: name, label: label, perStep: perStep, value: value, rows: rows, maxLength: maxLength, required: required, hint: hint)
    }

    static func input(
        _ name: String, label: String, type: String = "text", id: String? = nil, perStep: Bool = false, value: String = "", min: String? = nil, max: String? = nil,
        maxLength: Int? = nil, placeholder: String? = nil, required: Bool = false, hint: String? = nil
    ) -> StepField {
        StepField(
            .input, name: name, label: label, id: id, perStep: perStep, value: value, type: type, maxLength: maxLength, min: min, max: max,
            placeholder: placeholder, required: required, hint: hint, keepsTyped: type != "file")
    }

    /// A select of `options` (value, label), `chosen` selected until the form is typed.
    static func select(
        _ name: String, label: String, perStep: Bool = false, options: [(value: String, label: String)], chosen: String? = nil, empty: String? = nil,
        required: Bool = false
    ) -> StepField {
        StepField(
            .select, name: name, label: label, perStep: perStep, value: chosen ?? "",
            required: required,
            options: options.map { Option(value: $0.value, label: $0.label, selected: $0.value == chosen) }, empty: empty)
    }

    /// A set of checkboxes of one name under a legend.
    static func choices(_ name: String, legend: String, options: [(value: String, label: String)], chosen: Set<String> = []) -> StepField {
        StepField(.choices, name: name, label: legend, options: options.map { Option(value: $0.value, label: $0.label, selected: chosen.contains($0.value)) })
    }

    /// One checkbox posting `yes`.
    static func check(_ name: String, label: String, required: Bool = false, checked: Bool = false, keepsTyped: Bool = true) -> StepField {
        StepField(.check, name: name, label: label, value: "yes", required: required, checked: checked, keepsTyped: keepsTyped)
    }

    /// A hint standing alone among the fields.
    static func hint(_ text: String, id: String? = nil) -> StepField {
        StepField(.text, name: "", label: text, hintID: id)
    }

    /// The field as its refused form was typed.
    func typed(in posted: any FormFields) -> StepField {
        guard keepsTyped, !name.isEmpty else { return self }
        var field = self
        if choices {
            let picked = Set(posted.all(name))
            field.options = options.map { Option(value: $0.value, label: $0.label, selected: picked.contains($0.value)) }
        } else if check {
            field.checked = posted[name] == value
        } else if let typed = posted[name] {
            field.value = typed
            field.options = options.map { Option(value: $0.value, label: $0.label, selected: $0.value == typed) }
        }
        return field
    }
}

/// What the step forms of one page share: where they post, the version the reader saw, and the form
/// that was posted and refused, shown again with what was typed and the refusal beside the field
/// it names (or atop the form when it names none of them).
struct StepForms {
    let action: String
    let version: Int
    /// Fields every step of the page carries, after each step's own: by default its business day
    /// and the reason for entering it late (补录).
    var common: [StepField] = StepForms.businessDate
    private let posted: (any FormFields)?
    private let error: DomainError?

    /// 业务日期 and 补录原因, which every step may carry (`BusinessDate`); left empty, the step
    /// happens on the day it is recorded.
    static let businessDate: [StepField] = [
        .input("occurred_on", label: "业务日期", type: "date", perStep: true, hint: "补录以往工作时填写实际办理之日；不填即为今天，不能晚于今天"),
        .textarea(
            "backfill_reason", label: "补录原因", perStep: true, rows: 2, maxLength: BusinessDate.reasonLimit,
            hint: "业务日期早于今天超过本级参数所定补录期限（默认7天）时必填，记入流转记录和审计日志"),
    ]

    init(action: String, version: Int, posted: (any FormFields)?, error: DomainError?) {
        self.action = action
        self.version = version
        self.posted = posted
        self.error = error
    }

    /// The form of `step`; `title` defaults to the step's own, `action` to the page's.
    func form<S: LifecycleStep>(
        _ step: S, title: String? = nil, action: String? = nil, multipart: Bool = false, confirm: String? = nil, danger: Bool = false,
        _ fields: [StepField] = []
    ) -> StepForm {
        let code = step.rawValue
        // The posted form is this step's when it names it.
        let typed = posted.flatMap { $0["step"] == code ? $0 : nil }
        var named = false
        func placed(_ field: StepField) -> StepField {
            var field = typed.map(field.typed(in:)) ?? field
            if field.idPerStep { field.id = "\(field.name)-\(code)" }
            if typed != nil, let error, let name = error.field, name == field.name, !field.name.isEmpty {
                field.error = error.message
                named = true
            }
            return field
        }
        let own = fields.map(placed)
        let shared = common.map(placed)
        return StepForm(
            step: code, title: title ?? step.title, action: action ?? self.action, version: version, multipart: multipart, confirm: confirm, danger: danger,
            fields: own, common: shared, hasCommon: !shared.isEmpty, commonOpen: shared.contains { !$0.value.isEmpty || $0.error != nil },
            problem: typed != nil && !named ? error?.message : nil)
    }
}
