/// The release of Lifeboat (binaries, CRDs and chart move together).
public enum LifeboatVersion {
    public static let current = "0.1.0"
}
