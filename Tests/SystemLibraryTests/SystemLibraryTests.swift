import CCrypto
import CCurl
import CYAML
import Testing

/// The C shims link and the libraries are the versions the code relies on.
@Suite struct SystemLibraryTests {
    @Test func libcurlSpeaksHTTPS() throws {
        let info = try #require(curl_version_info(CURLVERSION_FOURTH))
        #expect(info.pointee.features & CURL_VERSION_SSL != 0, "libcurl without TLS")
        #expect(info.pointee.version_num >= 0x074400, "libcurl 7.68 or newer")
    }

    @Test func libcryptoComputesSHA256() {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let input = Array("abc".utf8)
        SHA256(input, input.count, &digest)
        let hex = digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func libyamlIsVersion02() {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        yaml_get_version(&major, &minor, &patch)
        #expect(major == 0 && minor >= 2)
    }
}
