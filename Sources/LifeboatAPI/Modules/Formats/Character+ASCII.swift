/// ASCII character classes for AWS names and reference syntax. AWS identifiers are ASCII-only,
/// so Unicode-aware checks (`isLetter`, `isNumber`) would accept names AWS refuses.
extension Character {
    // `isASCII` first: a range test alone compares as strings, so "0" plus a combining mark would sort inside "0"..."9".
    var isASCIIDigit: Bool { isASCII && ("0"..."9").contains(self) }
    var isASCIILetter: Bool { isASCII && (("a"..."z").contains(self) || ("A"..."Z").contains(self)) }
    var isASCIILetterOrDigit: Bool { isASCIIDigit || isASCIILetter }
    var isASCIILowercaseLetter: Bool { isASCII && ("a"..."z").contains(self) }
    var isASCIIUppercaseLetter: Bool { isASCII && ("A"..."Z").contains(self) }
    var isASCIIHexDigit: Bool { isASCIIDigit || (isASCII && (("a"..."f").contains(self) || ("A"..."F").contains(self))) }
}
