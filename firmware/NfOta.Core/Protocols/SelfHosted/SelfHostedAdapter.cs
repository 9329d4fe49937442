using System.Collections;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Json;
using NfOta.Settings;

namespace NfOta.Protocols
{
    /// <summary>
    /// nf-ota's own protocol for users with their own broker (docs/platforms-enos-golioth-selfhosted.md):
    /// <list type="bullet">
    /// <item><c>nfota/{device}/hello</c> device -> server on connect: <c>{"version":"1.0.0"}</c></item>
    /// <item><c>nfota/{device}/offer</c> server -> device, retained: <c>{"version","size","sha256"|"md5","url"?}</c>;
    /// without <c>url</c> the bytes come as MQTT chunks; <c>{}</c> means no update</item>
    /// <item><c>nfota/{device}/chunk/req</c> device -> server: <c>{"version","index","size"}</c></item>
    /// <item><c>nfota/{device}/chunk/resp/{index}</c> server -> device: the raw bytes of chunk index</item>
    /// <item><c>nfota/{device}/status</c> device -> server: <c>{"state","percent"?,"version","target"?,"error"?,"message"?}</c></item>
    /// </list>
    /// The offer is retained, so a device that connects after a release gets it with its subscription.
    /// </summary>
    public sealed class SelfHostedAdapter : IPlatformAdapter
    {
        public const string TopicRoot = "nfota/";

        private readonly DeviceSettings _settings;
        private readonly string _device;
        private readonly string _offerTopic;
        private readonly string _chunkRespPrefix;
        private readonly string _chunkReqTopic;
        private readonly string _helloTopic;
        private readonly string _statusTopic;
        private readonly string[] _subscribe;
        private ChunkRequestPayload _requestFor;
        private string _requestVersion;

        public SelfHostedAdapter(DeviceSettings settings)
        {
            _settings = settings;
            _device = AdapterText.Or(settings.DeviceName, settings.ClientId);
            string root = TopicRoot + _device + "/";
            _offerTopic = root + "offer";
            _chunkReqTopic = root + "chunk/req";
            _chunkRespPrefix = root + "chunk/resp/";
            _helloTopic = root + "hello";
            _statusTopic = root + "status";
            _subscribe = new string[] { _offerTopic, _chunkRespPrefix + "+" };
        }

        public string Name { get { return "selfhosted"; } }

        public string[] SubscribeTopics { get { return _subscribe; } }

        /// <summary>Whatever the user's broker expects: the settings' client id (else "nfota-{device}"), username and password.</summary>
        public MqttCredentials GetCredentials()
        {
            var c = new MqttCredentials();
            c.ClientId = AdapterText.Or(_settings.ClientId, "nfota-" + _device);
            c.Username = _settings.Username;
            c.Password = _settings.Password;
            return c;
        }

        /// <summary>Says hello with the running version; the retained offer arrives with the subscription.</summary>
        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            var w = new JsonWriter();
            w.BeginObject().Property("version", runningVersion).EndObject();
            publisher.Publish(_helloTopic, w.ToUtf8(), 1);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            result.Clear();
            if (topic == null) return;
            if (topic.Length > _chunkRespPrefix.Length && topic.StartsWith(_chunkRespPrefix))
            {
                int index = AdapterText.TopicIndex(topic, _chunkRespPrefix.Length);
                if (index < 0)
                {
                    result.SetMalformed("chunk topic without a chunk number");
                    return;
                }
                result.SetChunk(index, payload);
                return;
            }
            if (topic != _offerTopic) return;
            if (payload == null || payload.Length == 0)
            {
                // A cleared retained offer.
                result.Kind = InboundKind.NoUpdate;
                return;
            }
            string error;
            Hashtable o = JsonReader.ParseObject(payload, out error);
            if (o == null)
            {
                result.SetMalformed("offer: " + error);
                return;
            }
            if (!o.Contains("version"))
            {
                result.Kind = InboundKind.NoUpdate;
                return;
            }
            string version = o["version"] as string;
            if (version == null || version.Length == 0)
            {
                result.SetMalformed("offer: version is not a non-empty string");
                return;
            }
            object sizeValue = o["size"];
            if (!(sizeValue is long) || (long)sizeValue <= 0)
            {
                result.SetMalformed("offer: size missing or not a positive integer");
                return;
            }
            var offer = new UpdateOffer();
            offer.Version = version;
            offer.Size = (long)sizeValue;
            offer.Title = o["title"] as string;
            if (o.Contains("sha256"))
            {
                offer.HashAlgorithm = HashAlgorithmKind.Sha256;
                offer.Hash = o["sha256"] as string;
                if (!AdapterText.IsHex(offer.Hash, 64))
                {
                    result.SetMalformed("offer: sha256 is not 64 hex digits");
                    return;
                }
            }
            else if (o.Contains("md5"))
            {
                offer.HashAlgorithm = HashAlgorithmKind.Md5;
                offer.Hash = o["md5"] as string;
                if (!AdapterText.IsHex(offer.Hash, 32))
                {
                    result.SetMalformed("offer: md5 is not 32 hex digits");
                    return;
                }
            }
            else
            {
                result.SetMalformed("offer: neither sha256 nor md5");
                return;
            }
            offer.Hash = offer.Hash.ToLower();
            if (o.Contains("url"))
            {
                string url = o["url"] as string;
                if (url == null || url.Length == 0)
                {
                    result.SetMalformed("offer: url is not a non-empty string");
                    return;
                }
                offer.Source = DownloadSource.HttpRange;
                offer.Url = url;
            }
            else
            {
                offer.Source = DownloadSource.MqttChunks;
            }
            result.SetOffer(offer);
        }

        /// <summary>Asks for one chunk: <c>{"version":"1.1.0","index":3,"size":4096}</c> on chunk/req.</summary>
        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            if (!AdapterText.CanRequestChunk(offer, index, chunkSize)) return false;
            if (_requestFor == null || offer.Version != _requestVersion)
            {
                // The fixed text is built once per offer; each request then allocates only its payload.
                var head = new JsonWriter();
                head.BeginObject().Property("version", offer.Version).Name("index");
                _requestFor = new ChunkRequestPayload(head.ToString(), ",\"size\":", "}");
                _requestVersion = offer.Version;
            }
            return publisher.Publish(_chunkReqTopic, _requestFor.Compose(index, chunkSize), 0);
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            var w = new JsonWriter();
            w.BeginObject().Property("state", StateName(report.Kind));
            if (report.Kind == ReportKind.Downloading) w.Property("percent", report.Percent);
            if (report.RunningVersion != null) w.Property("version", report.RunningVersion);
            if (report.Offer != null && report.Kind != ReportKind.Updated && report.Kind != ReportKind.Version)
            {
                w.Property("target", report.Offer.Version);
            }
            if (report.Kind == ReportKind.Failed) w.Property("error", ErrorCode(report.Error));
            if (report.Message != null && report.Message.Length > 0) w.Property("message", report.Message);
            w.EndObject();
            publisher.Publish(_statusTopic, w.ToUtf8(), 1);
        }

        public static string StateName(ReportKind kind)
        {
            switch (kind)
            {
                case ReportKind.Version: return "idle";
                case ReportKind.Downloading: return "downloading";
                case ReportKind.Downloaded: return "downloaded";
                case ReportKind.Verified: return "verified";
                case ReportKind.Installing: return "installing";
                case ReportKind.Updated: return "updated";
                default: return "failed";
            }
        }

        /// <summary>The one mapping from nf-ota's failure causes to this protocol's error codes.</summary>
        public static string ErrorCode(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.None: return "none";
                case UpdateError.InvalidOffer: return "invalid_offer";
                case UpdateError.NotEnoughSpace: return "not_enough_space";
                case UpdateError.InvalidUri: return "invalid_uri";
                case UpdateError.UriNotAllowed: return "uri_not_allowed";
                case UpdateError.FileNotFound: return "file_not_found";
                case UpdateError.AccessDenied: return "access_denied";
                case UpdateError.DownloadFailed: return "download_failed";
                case UpdateError.ChecksumMismatch: return "checksum_mismatch";
                case UpdateError.SignatureInvalid: return "signature_invalid";
                case UpdateError.UnsupportedAlgorithm: return "unsupported_algorithm";
                case UpdateError.InvalidImage: return "invalid_image";
                case UpdateError.DowngradeRefused: return "downgrade_refused";
                case UpdateError.FlashFailed: return "flash_failed";
                case UpdateError.SelfTestFailed: return "self_test_failed";
                case UpdateError.BootFailed: return "boot_failed";
                default: return "update_failed";
            }
        }
    }
}
