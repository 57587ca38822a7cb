// Lets a lower committee's bodies receive leads, and ships the 四种形态 classification scheme.

import XunchaCore

extension Migrations {
    static let v0011 = Migration(
        version: 11, name: "leads received by a lower committee's bodies; the 四种形态 scheme",
        statements: [
            "ALTER TABLE leads ADD COLUMN receiver_jurisdiction_id TEXT REFERENCES jurisdictions(id)",
            "CREATE INDEX leads_receiver_inbox ON leads (receiver_jurisdiction_id, receiver, status, created_at, id)",
        ] + ClassificationSeed.statements([ClassificationCatalog.fourForms]))
}
