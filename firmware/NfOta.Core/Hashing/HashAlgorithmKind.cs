namespace NfOta.Hashing
{
    /// <summary>The digests a platform may name for an image (ThingsBoard lists all of them).</summary>
    public enum HashAlgorithmKind
    {
        None,
        Md5,
        Sha256,
        Sha384,
        Sha512,
        Crc32,
        Sha1
    }
}
