using NfOta.Hashing;

namespace NfOta.Agent
{
    /// <summary>How the bytes of an offered image arrive.</summary>
    public enum DownloadSource
    {
        /// <summary>An HTTP(S) URL read with Range requests (Alibaba, Tencent, EnOS, self-hosted).</summary>
        HttpRange,
        /// <summary>Chunks requested and delivered over MQTT (ThingsBoard, Golioth).</summary>
        MqttChunks
    }

    /// <summary>
    /// An image a platform offers, in the platform-neutral form every adapter produces: what to fetch,
    /// how big it is, and the digest it must have.
    /// </summary>
    public sealed class UpdateOffer
    {
        /// <summary>Version of the offered image, as the platform spells it.</summary>
        public string Version;

        /// <summary>Package or title name where the platform has one (ThingsBoard fw_title, Golioth package).</summary>
        public string Title;

        /// <summary>Size in bytes, or -1 when the platform does not say (the download learns it).</summary>
        public long Size = -1;

        public HashAlgorithmKind HashAlgorithm;

        /// <summary>Expected digest in lower-case hex.</summary>
        public string Hash;

        public DownloadSource Source;

        /// <summary>Absolute URL for <see cref="DownloadSource.HttpRange"/>.</summary>
        public string Url;

        /// <summary>Id of the platform message that carried the offer, for protocols that want a reply.</summary>
        public string MessageId;

        /// <summary>True when two offers describe the same image (so a repeated push does not restart a download).</summary>
        public bool SameImageAs(UpdateOffer other)
        {
            return other != null
                && other.Version == Version
                && other.Size == Size
                && other.HashAlgorithm == HashAlgorithm
                && other.Hash == Hash
                && other.Title == Title;
        }
    }
}
