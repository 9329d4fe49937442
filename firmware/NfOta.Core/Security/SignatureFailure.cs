namespace NfOta.Security
{
    /// <summary>Why <see cref="SignedImageVerifier.Verify(byte[], string, uint, out SignatureFailure)"/> refused an image.</summary>
    public enum SignatureFailure
    {
        None,
        /// <summary>The bytes fed differ from the size given to Begin (truncated or overlong download).</summary>
        SizeMismatch,
        /// <summary>The image does not end with an NFOTASIG trailer: it was not signed.</summary>
        NoSignature,
        /// <summary>The trailer is there but unreadable: unknown format or algorithm, wrong sizes, bad version text.</summary>
        BadFormat,
        /// <summary>The SHA-256 of the image differs from the one in the trailer: the image was changed after signing.</summary>
        DigestMismatch,
        /// <summary>The configured public key is not 32 bytes.</summary>
        BadPublicKey,
        /// <summary>The signature does not verify with the configured key: another key, or a forged trailer.</summary>
        BadSignature,
        /// <summary>The signed version differs from the version the platform offered: a replayed image.</summary>
        VersionMismatch,
        /// <summary>The signed secure version is below the device's anti-rollback minimum.</summary>
        SecureVersionTooLow
    }
}
