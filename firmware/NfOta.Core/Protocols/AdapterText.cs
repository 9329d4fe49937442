using NfOta.Agent;
using NfOta.Hashing;

namespace NfOta.Protocols
{
    /// <summary>
    /// Small text checks every adapter needs in the same form: hex digests, chunk numbers at the end
    /// of a topic, a message with a fallback, a clamped percent. None of them allocates, so the
    /// per-chunk paths may use them.
    /// </summary>
    internal static class AdapterText
    {
        /// <summary><paramref name="value"/>, or <paramref name="fallback"/> when it is null or empty.</summary>
        public static string Or(string value, string fallback)
        {
            return value == null || value.Length == 0 ? fallback : value;
        }

        /// <summary>A progress percent clamped to 0..100.</summary>
        public static int Percent(int percent)
        {
            if (percent < 0) return 0;
            if (percent > 100) return 100;
            return percent;
        }

        /// <summary>
        /// The "step" of a progress message in the Alibaba-style protocols (Alibaba, EnOS): the percent,
        /// clamped to <paramref name="lowest"/>..100, while downloading; "100" for every later stage.
        /// </summary>
        public static string ProgressStep(StatusReport report, int lowest)
        {
            if (report.Kind != ReportKind.Downloading) return "100";
            int p = Percent(report.Percent);
            if (p < lowest) p = lowest;
            return p.ToString();
        }

        /// <summary>
        /// The "desc" of such a progress message: the report's own message, else the stage's word
        /// (downloading, downloaded, verified, burning).
        /// </summary>
        public static string ProgressDescription(StatusReport report)
        {
            string word;
            switch (report.Kind)
            {
                case ReportKind.Downloading: word = "downloading"; break;
                case ReportKind.Downloaded: word = "downloaded"; break;
                case ReportKind.Verified: word = "verified"; break;
                default: word = "burning"; break;
            }
            return Or(report.Message, word);
        }

        /// <summary>True when <paramref name="s"/> is exactly <paramref name="length"/> hex digits.</summary>
        public static bool IsHex(string s, int length)
        {
            return s != null && s.Length == length && AllHex(s);
        }

        /// <summary>True when <paramref name="s"/> is a non-empty, even number of hex digits (a digest of any size).</summary>
        public static bool IsHexDigest(string s)
        {
            return s != null && s.Length > 0 && (s.Length & 1) == 0 && AllHex(s);
        }

        /// <summary>The decimal chunk number that ends <paramref name="topic"/> from <paramref name="start"/>; -1 unless it is 1..9 digits.</summary>
        public static int TopicIndex(string topic, int start)
        {
            int n = topic.Length - start;
            if (n < 1 || n > 9) return -1;
            int v = 0;
            for (int i = start; i < topic.Length; i++)
            {
                char c = topic[i];
                if (c < '0' || c > '9') return -1;
                v = v * 10 + (c - '0');
            }
            return v;
        }

        /// <summary>Whether a chunk request makes sense at all: an MQTT-chunk offer, a valid index and size.</summary>
        public static bool CanRequestChunk(UpdateOffer offer, int index, int chunkSize)
        {
            return offer != null && offer.Source == DownloadSource.MqttChunks && index >= 0 && chunkSize > 0;
        }

        /// <summary>An offer whose image is downloaded over HTTP range requests from <paramref name="url"/>.</summary>
        public static UpdateOffer HttpOffer(string version, long size, HashAlgorithmKind algorithm, string hash, string url)
        {
            var offer = new UpdateOffer();
            offer.Version = version;
            offer.Size = size;
            offer.HashAlgorithm = algorithm;
            offer.Hash = hash;
            offer.Source = DownloadSource.HttpRange;
            offer.Url = url;
            return offer;
        }

        private static bool AllHex(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!ok) return false;
            }
            return true;
        }
    }
}
