#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input file's text, named for messages (`-` is standard input).
struct ManifestFile {
    let name: String
    let text: String
}

/// Reads `-f FILE|DIR|-` arguments: a directory is walked recursively for .yaml, .yml and
/// .json files (hidden entries skipped), in a stable order so output is reproducible.
enum ManifestSource {
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    static func read(_ paths: [String]) throws(UsageError) -> [ManifestFile] {
        var files: [ManifestFile] = []
        var usedStandardInput = false
        for path in paths {
            if path == "-" {
                guard !usedStandardInput else { throw UsageError("standard input (-) can be read only once") }
                usedStandardInput = true
                files.append(ManifestFile(name: "<stdin>", text: try decodeText(Console.readStandardInput(), name: "<stdin>")))
                continue
            }
            guard let kind = FileKind(path) else {
                throw UsageError("\(path): no such file or directory")
            }
            if kind == .directory {
                let found = try manifestPaths(in: path)
                if found.isEmpty { throw UsageError("\(path): no .yaml, .yml or .json files in this directory") }
                for file in found { files.append(try readFile(file)) }
            } else {
                files.append(try readFile(path))
            }
        }
        return files
    }

    static func readFile(_ path: String) throws(UsageError) -> ManifestFile {
        guard let kind = FileKind(path) else { throw UsageError("\(path): no such file") }
        guard kind == .file else { throw UsageError("\(path): is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("\(path): cannot be read (check the permissions)")
        }
        return ManifestFile(name: path, text: try decodeText(Array(data), name: path))
    }

    private static func decodeText(_ bytes: [UInt8], name: String) throws(UsageError) -> String {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 BOM from Windows editors
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsageError(notUTF8(bytes, name: name))
        }
        return text
    }

    /// Where the first byte that is not UTF-8 sits, as `file:line:column` (column in
    /// characters, as an editor counts them) with its byte offset, so it can be found and fixed.
    static func notUTF8(_ bytes: [UInt8], name: String) -> String {
        var offset = 0
        var line = 1
        var lineStart = 0
        while offset < bytes.count {
            let length = validSequenceLength(bytes, at: offset)
            guard length > 0 else { break }
            if bytes[offset] == 0x0A {
                line += 1
                lineStart = offset + 1
            }
            offset += length
        }
        let column = 1 + String(decoding: bytes[lineStart..<offset], as: UTF8.self).count
        let byte = offset < bytes.count ? String(bytes[offset], radix: 16, uppercase: true) : ""
        return "\(name):\(line):\(column): not UTF-8 text: byte 0x\(byte.count == 1 ? "0" : "")\(byte) (byte offset \(offset)); save the file as UTF-8"
    }

    /// The length of the well-formed UTF-8 sequence at `offset`, or 0 when it is not one.
    private static func validSequenceLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        guard length > 0, offset + length <= bytes.count else { return 0 }
        return String(validating: bytes[offset..<offset + length], as: UTF8.self) == nil ? 0 : length
    }

    private static func manifestPaths(in directory: String) throws(UsageError) -> [String] {
        let entries: [String]
        do { entries = try FileManager.default.subpathsOfDirectory(atPath: directory) } catch {
            throw UsageError("\(directory): cannot be listed (\(error))")
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return entries
            .filter { entry in
                !entry.split(separator: "/").contains { $0.hasPrefix(".") }
                    && extensions.contains(String(entry.split(separator: ".").last ?? "").lowercased())
            }
            .sorted()
            .map { base + $0 }
            .filter { FileKind($0) == .file }
    }
}

/// What a path names, by stat(2) (following links, as `cat` would).
enum FileKind {
    case file, directory

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self = (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }
}
