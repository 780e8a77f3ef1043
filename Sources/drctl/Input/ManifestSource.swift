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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageError("\(path): cannot be read (check the permissions)")
        }
        return ManifestFile(name: path, text: try decodeText(Array(data), name: path))
    }

    private static func decodeText(_ bytes: [UInt8], name: String) throws(UsageError) -> String {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 BOM from Windows editors
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsageError("\(name): not UTF-8 text")
        }
        return text
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
