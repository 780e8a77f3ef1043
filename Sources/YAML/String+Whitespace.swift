extension String {
    /// Trims spaces, tabs and newlines (no Foundation needed). Public: the AWS client, the API's
    /// validation and the modules trim the same way (XML text, parameter values, DRS tag values).
    public func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
