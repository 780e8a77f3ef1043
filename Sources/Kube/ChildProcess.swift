#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to its end and returns what it printed on standard output (standard input and
/// error are /dev/null), with posix_spawn: Foundation's `Process` would pull all of Foundation
/// into the operator for the one place that starts a program (kubeconfig exec plugins).
enum ChildProcess {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Blocks until the child exits: call it on a thread of its own.
    static func output(of argv: [String], environment: [String]) -> Result<[UInt8], Problem> {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return .failure(Problem(description: "cannot be run: pipe: \(errno)")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])

        var pid: pid_t = 0
        let status = withCStrings(argv) { arguments in
            withCStrings(environment) { variables in
                posix_spawn(&pid, argv[0], &actions, nil, arguments, variables)
            }
        }
        close(pipeEnds[1])
        guard status == 0 else {
            close(pipeEnds[0])
            return .failure(Problem(description: "cannot be run: \(String(cString: strerror(status)))"))
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count > 0 { output += buffer[0..<count]; continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        close(pipeEnds[0])
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exited = exit & 0x7f == 0
        let code = (exit >> 8) & 0xff
        guard exited && code == 0 else {
            return .failure(Problem(description: exited ? "exited with status \(code)" : "was killed by signal \(exit & 0x7f)"))
        }
        return .success(output)
    }

    /// A NULL-terminated C array of C strings, alive for the call.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
