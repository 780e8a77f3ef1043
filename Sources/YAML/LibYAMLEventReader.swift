import CYAML

/// Pulls events out of libyaml's event parser (yaml_parser_parse). libyaml's parser is a state
/// machine with explicit stacks, so deeply nested input cannot overflow the Swift stack here.
final class LibYAMLEventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// libyaml reads from this buffer lazily, so it must outlive the parser; it is owned here.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private let text: String
    private let file: String?
    private var finished = false

    init(text: String, file: String?) throws(YAMLError) {
        self.text = text
        self.file = file
        let bytes = Array(text.utf8)
        input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) != 0 else {
            parser.deallocate()
            input.deallocate()
            throw YAMLError("the YAML parser could not be initialised (out of memory)", location: nil)
        }
        if let base = input.baseAddress {
            yaml_parser_set_input_string(parser, base, bytes.count)
        }
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event, or nil after the end of the stream.
    func next() throws(YAMLError) -> ParserEvent? {
        if finished { return nil }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) != 0 else {
            finished = true
            throw LibYAMLErrorTranslator(text: text, file: file).error(from: parser.pointee)
        }
        defer { yaml_event_delete(&event) }
        let mark = Self.mark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark: mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            } ?? ""
            let style = Self.style(scalar.style)
            let tag = Self.string(scalar.tag)
            let anchor = Self.string(scalar.anchor)
            // libyaml marks a node it invented with an empty range; a written `''` or `~` has width.
            let isEmpty = value.isEmpty && style == .plain && tag == nil && anchor == nil
                && event.start_mark.index == event.end_mark.index
            return .scalar(value: value, style: style, anchor: anchor, tag: tag, mark: mark, isEmpty: isEmpty)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_NO_EVENT is never returned by a successful parse; treat it as the end.
            finished = true
            return nil
        }
    }

    static func mark(_ mark: yaml_mark_t) -> SourceMark {
        SourceMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(decodingCString: UnsafePointer(pointer), as: UTF8.self)
    }

    private static func style(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
