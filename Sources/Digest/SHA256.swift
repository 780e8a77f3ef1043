import CCrypto

/// SHA-256 and HMAC-SHA256 from libcrypto (OpenSSL): the plan snapshot hash, SigV4 signing.
public enum SHA256 {
    public static let byteCount = 32

    public static func hash<Bytes: Collection<UInt8>>(_ data: Bytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        let input = Array(data)
        input.withUnsafeBufferPointer { buffer in
            _ = CCrypto.SHA256(buffer.baseAddress, buffer.count, &digest)
        }
        return digest
    }

    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }

    public static func hexHash<Bytes: Collection<UInt8>>(_ data: Bytes) -> String { Hex.encode(hash(data)) }
    public static func hexHash(_ text: String) -> String { Hex.encode(hash(text)) }
}

public enum HMACSHA256 {
    public static func authenticationCode<K: Collection<UInt8>, M: Collection<UInt8>>(key: K, message: M) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        let key = Array(key), message = Array(message)
        key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                _ = HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                         messageBuffer.baseAddress, messageBuffer.count, &output, &length)
            }
        }
        return output
    }

    public static func authenticationCode<K: Collection<UInt8>>(key: K, message: String) -> [UInt8] {
        authenticationCode(key: key, message: Array(message.utf8))
    }
}

public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
