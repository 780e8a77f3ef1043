/// The chunks of a response body, in order, as libcurl receives them. Iterating ends when the
/// body ends, throws `HTTPError` when the transfer fails, and cancels the transfer when the
/// iterating task is cancelled or the sequence is dropped.
public struct HTTPBodyStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let chunks: AsyncThrowingStream<[UInt8], any Error>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator

        /// A cancelled task sees CancellationError rather than a quiet end, so a watcher can
        /// tell "the server closed the stream" from "I was told to stop".
        public mutating func next() async throws -> [UInt8]? {
            guard let chunk = try await base.next() else {
                try Task.checkCancellation()
                return nil
            }
            return chunk
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: chunks.makeAsyncIterator()) }

    /// The body split into lines (without the "\n" or "\r\n"), for newline-delimited JSON such as
    /// a Kubernetes watch. A last line without a newline is delivered when the body ends.
    public var lines: HTTPBodyLines { HTTPBodyLines(chunks: self) }

    /// The whole body (for tests and small bodies).
    public func collect(limit: Int = 64 << 20) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in self {
            all += chunk
            if all.count > limit { throw HTTPError.responseTooLarge(limit: limit) }
        }
        return all
    }
}

public struct HTTPBodyLines: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let chunks: HTTPBodyStream

    public struct AsyncIterator: AsyncIteratorProtocol {
        var source: HTTPBodyStream.AsyncIterator
        var buffer: [UInt8] = []
        var start = 0
        var finished = false

        public mutating func next() async throws -> [UInt8]? {
            while true {
                if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(buffer[start..<newline])
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    start = newline + 1
                    if start > 65_536 { buffer.removeFirst(start); start = 0 }  // keep the buffer bounded
                    return line
                }
                if finished {
                    guard start < buffer.count else { return nil }
                    let line = Array(buffer[start...])
                    start = buffer.count
                    return line
                }
                if let chunk = try await source.next() { buffer += chunk } else { finished = true }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: chunks.makeAsyncIterator()) }
}
