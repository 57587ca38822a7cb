import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt over a SHA-256 pre-hash: bcrypt reads only 72 bytes, and a long Chinese passphrase is
/// longer than that. Hashing runs on the thread pool so it never stalls an event loop.
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor; tests lower it, production keeps 12 (≈0.25 s per hash here).
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let input = Self.prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.prehash(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
