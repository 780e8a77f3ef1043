#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Writing to a closed pipe (`drctl … | head`) must end quietly, not with SIGPIPE's abrupt kill
// midway through a line; Console ignores the resulting EPIPE.
signal(SIGPIPE, SIG_IGN)
exit(Drctl.main(CommandLine.arguments).rawValue)
