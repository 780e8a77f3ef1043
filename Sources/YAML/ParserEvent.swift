/// A libyaml parser event copied into Swift values, so that nothing downstream touches C memory.
enum ParserEvent {
    case streamStart
    case streamEnd
    case documentStart(mark: SourceMark)
    case documentEnd
    case alias(anchor: String, mark: SourceMark)
    /// `isEmpty` marks the empty plain scalar libyaml invents for a missing node (`key:` or a
    /// bare `---`), as opposed to anything the author wrote.
    case scalar(value: String, style: ScalarStyle, anchor: String?, tag: String?, mark: SourceMark, isEmpty: Bool)
    case sequenceStart(anchor: String?, tag: String?, mark: SourceMark)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?, mark: SourceMark)
    case mappingEnd
}
