import Foundation
import ZIPFoundation

/// A folder of files as one ZIP (the 归档包 handed out as `package.zip`): entries deflated in the
/// order given, dated alike like the Office packages so the same files give the same bytes.
public enum ZIPFolder {
    /// The ZIP of `files` (path inside the ZIP, bytes).
    public static func archive(_ files: [(path: String, data: Data)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, content) in files {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(content.count), modificationDate: OfficePackage.fixedDate, compressionMethod: .deflate
            ) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}
