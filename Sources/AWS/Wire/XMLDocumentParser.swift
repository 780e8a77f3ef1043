import CXML2

/// Parses an XML document with libxml2 (no network access, no entity expansion, no DTD loading)
/// into an `XMLElement` tree. FoundationXML would pull all of Foundation and ICU into the
/// operator; this keeps XML at libxml2's own cost.
public enum XMLDocumentParser {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> XMLElement {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "response.xml", "UTF-8", options) }
        }
        guard let document else {
            throw Failure(description: "the response is not well-formed XML: " + String(decoding: bytes.prefix(120), as: UTF8.self))
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw Failure(description: "the XML response has no root element") }
        return element(root)
    }

    private static func element(_ node: xmlNodePtr) -> XMLElement {
        var result = XMLElement(name: node.pointee.name.map { String(cString: $0) } ?? "")
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE: result.children.append(element(current))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { result.text += String(cString: content) }
            default: break
            }
            child = current.pointee.next
        }
        return result
    }
}
