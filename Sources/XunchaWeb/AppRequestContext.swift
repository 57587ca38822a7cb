import Foundation
import Hummingbird
import NIOCore
import XunchaCore
import XunchaStore

/// Per-request state: who is signed in (if anyone) and where the request came from.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The resolved session, set by `AuthenticationMiddleware`.
    public var session: AuthenticatedSession?
    /// The raw token, kept so sign-out and password change can name this session.
    public var sessionToken: String?
    /// The person's address: the socket peer, or what a trusted proxy says it saw (`ForwardedMiddleware`).
    public var clientAddress: String?
    /// Whether the person reached us over HTTPS (TLS ends at a trusted proxy, or the operator says it always does).
    public var isHTTPS = false
    /// How many items wait for the signed-in person (the menu's badge), read for pages only.
    public var waitingCount: Int?
    /// Refused pages and success sentences kept between a form post and the page after it (`PageRecallMiddleware`).
    var recall: PageRecall?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are bounded per route; this is the ceiling for the largest (an evidence file).
    public var maxUploadSize: Int { EvidenceRules.maximumBytes + (1 << 20) }

    /// The signed-in actor, or 401.
    public func requireActor() throws -> Actor {
        guard let session else { throw DomainError.unauthenticated }
        return session.actor
    }

    /// The committee the signed-in account belongs to, where new records go by default.
    public func ownJurisdiction() throws -> UUID {
        guard let id = try requireActor().jurisdictionID else { throw DomainError.forbidden }
        return id
    }

    /// The origin an audit entry records for this request.
    public func origin() throws -> RequestOrigin {
        RequestOrigin(actor: try requireActor(), clientAddress: clientAddress)
    }
}
