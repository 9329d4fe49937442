namespace NfOta.Agent
{
    /// <summary>
    /// Why an update failed. Each platform adapter maps these to its own documented failure codes
    /// (Alibaba step -1..-4, Tencent result_code -1..-5, EnOS step -1..-4, Golioth reason 0..9,
    /// ThingsBoard fw_error).
    /// </summary>
    public enum UpdateError
    {
        None,
        /// <summary>The offer message was malformed or lacked a field the protocol requires.</summary>
        InvalidOffer,
        /// <summary>The image is larger than the update slot; refused before any erase.</summary>
        NotEnoughSpace,
        /// <summary>The URL could not be parsed, or its scheme is not supported.</summary>
        InvalidUri,
        /// <summary>The URL's host is not in the settings' allowed hosts, or plain HTTP while TLS is required.</summary>
        UriNotAllowed,
        /// <summary>The file was not found on the server (404/410).</summary>
        FileNotFound,
        /// <summary>The server refused the download (401/403), typically an expired signed URL.</summary>
        AccessDenied,
        /// <summary>The download failed after all retries (connection lost, timeouts, truncated body).</summary>
        DownloadFailed,
        /// <summary>The digest of the written image differs from the offered one.</summary>
        ChecksumMismatch,
        /// <summary>The image is not signed by the key in the settings.</summary>
        SignatureInvalid,
        /// <summary>The offered digest algorithm is not supported.</summary>
        UnsupportedAlgorithm,
        /// <summary>The image is not an app image for this chip, or an older version than allowed.</summary>
        InvalidImage,
        /// <summary>The offered version is older than the running one and downgrades are not allowed.</summary>
        DowngradeRefused,
        /// <summary>Erasing or writing flash failed, or the bootloader refused the slot.</summary>
        FlashFailed,
        /// <summary>The new image ran but failed its self-test.</summary>
        SelfTestFailed,
        /// <summary>The new image never confirmed itself (crash, hang, boot loop); the bootloader went back.</summary>
        BootFailed
    }
}
