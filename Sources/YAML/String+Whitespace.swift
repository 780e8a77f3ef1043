extension String {
    /// Trims spaces, tabs and newlines (no Foundation needed). Public: the AWS client, the API's
    /// validation and the modules trim the same way (XML text, parameter values, DRS tag values).
    public func trimmingWhitespace() -> String {
        // Most values have nothing to trim: an ASCII letter, digit or punctuation mark at both ends
        // decides that from two bytes, without grapheme breaking or a copy.
        if let first = utf8.first, let last = utf8.last, Self.isVisibleASCII(first), Self.isVisibleASCII(last) {
            return self
        }
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }

    /// A byte that is a whole character and never whitespace: `!` … `~`.
    static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
