import Foundation
import Hummingbird
import Testing
import XunchaCore
import XunchaStore
@testable import XunchaWeb

/// 数据库切换时的答复: while a PostgreSQL primary is replaced the store throws one of two
/// `unavailable` errors; the API answers them 503, in the usual error body (the failover drill,
/// `scripts/ha-drill`, reads their codes over HTTP).
@Suite("数据库切换时答复 503")
struct DatabaseUnavailableTests {
    @Test func bothAnswersOfASwitchAre503() {
        #expect(ErrorMiddleware.status(for: .unavailable) == .serviceUnavailable)
        for failure in [DomainError.databaseUnavailable, .databaseCommitUnknown] {
            #expect(ErrorMiddleware.domainError(for: failure) == failure, "passed through as it is, not as internal_error")
            let response = ErrorMiddleware.jsonResponse(failure, status: ErrorMiddleware.status(for: failure.kind))
            #expect(response.status.code == 503)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(failure.message.contains("数据库"))
        }
    }
}
