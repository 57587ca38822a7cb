import XunchaCore

extension DomainError {
    /// Whether a page answers this error by showing its form again with the message beside the
    /// field (bad input, a conflict such as a stale version), rather than with the error page.
    var isShownOnForm: Bool { kind == .invalidInput || kind == .conflict }
}
