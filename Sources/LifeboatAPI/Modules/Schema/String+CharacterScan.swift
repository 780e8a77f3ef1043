/// Scans that validation makes for every string of every plan. Plan values are nearly always
/// plain ASCII, where a byte is a character: the bytes answer directly, and only other text
/// pays for grapheme breaking.
extension String {
    /// `count` (characters, as lengths are stated in messages), without grapheme breaking for
    /// ASCII text other than "\r\n" (one character of two bytes).
    var characterCount: Int {
        utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") } ? utf8.count : count
    }

    /// Whether any character is whitespace (other than a plain space when `besidesSpace`).
    func containsWhitespace(besidesSpace: Bool = false) -> Bool {
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.contains { byte in
                (byte >= 0x09 && byte <= 0x0D) || (byte == 0x20 && !besidesSpace)
            }
        }
        return contains { $0.isWhitespace && !(besidesSpace && $0 == " ") }
    }
}
