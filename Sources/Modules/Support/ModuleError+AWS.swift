import AWS
import Engine

extension ModuleError {
    /// An AWS failure, classified as the engine needs it: throttling, 5xx and transport errors
    /// are transient (retried with backoff); everything else (access denied, not found, invalid
    /// parameter) fails the resource with AWS's code and message.
    init(_ error: AWSError, while action: String) {
        let message = "\(action): \(error.service):\(error.operation) \(error.code)" + (error.message.isEmpty ? "" : ": \(error.message)")
            + (error.hint.map { "; \($0)" } ?? "")
        self.init(error.isRetryable ? .transient : .permanent, code: error.code, message)
    }
}

/// Runs AWS calls and turns whatever they throw into a `ModuleError` describing `action`.
func aws<T>(_ action: @autoclosure () -> String, _ body: () async throws -> T) async throws(ModuleError) -> T {
    do {
        return try await body()
    } catch let error as ModuleError {
        throw error
    } catch let error as AWSError {
        throw ModuleError(error, while: action())
    } catch is CancellationError {
        throw .transient("\(action()): cancelled", code: "Cancelled")
    } catch {
        throw .transient("\(action()): \(error)", code: "Unexpected")
    }
}
