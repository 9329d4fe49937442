using System.Collections;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Json;
using NfOta.Settings;

namespace NfOta.Protocols
{
    /// <summary>
    /// Golioth OTA over MQTT (seed 003): the release manifest arrives on <c>.u/desired</c>, the device
    /// picks the component whose package is <see cref="DeviceSettings.Package"/>, downloads it block by
    /// block under the component's path <c>.u/c/{package}@{version}</c>, and reports its state on
    /// <c>.u/c/{package}</c>.
    /// <para>
    /// The seed says only "subscribe to <c>.u/c/{package}@{version}</c> to download the binary"; it gives
    /// no block size or block request over MQTT, and one MQTT message holding a whole image cannot fit
    /// a device's RAM. nf-ota therefore follows the official SDK's block download
    /// (golioth-firmware-sdk ota.c: golioth_ota_download_component -> golioth_blockwise_get(uri, block_idx))
    /// and carries its block number and size over MQTT under the component's path:
    /// request <c>{uri}/get</c> with <c>{"block":N,"size":S}</c>, answer <c>{uri}/b/{N}</c> with the raw
    /// bytes of block N (offset N*S, at most S bytes). See docs/platforms-enos-golioth-selfhosted.md.
    /// </para>
    /// </summary>
    public sealed class GoliothAdapter : IPlatformAdapter
    {
        // Firmware states and report reasons, numbered as in seed 003 and the SDK's golioth_ota_state/reason.
        public const int StateIdle = 0;
        public const int StateDownloading = 1;
        public const int StateDownloaded = 2;
        public const int StateUpdating = 3;

        public const int ReasonReady = 0;
        public const int ReasonFirmwareUpdatedSuccessfully = 1;
        public const int ReasonNotEnoughFlashMemory = 2;
        public const int ReasonOutOfRam = 3;
        public const int ReasonConnectionLost = 4;
        public const int ReasonIntegrityCheckFailure = 5;
        public const int ReasonUnsupportedPackageType = 6;
        public const int ReasonInvalidUri = 7;
        public const int ReasonFirmwareUpdateFailed = 8;
        public const int ReasonUnsupportedProtocol = 9;

        public const string DesiredTopic = ".u/desired";
        public const string ComponentPrefix = ".u/c/";

        private readonly DeviceSettings _settings;
        private readonly string _package;
        private readonly string _stateTopic;
        private readonly string[] _subscribe;
        private string _runningVersion;

        // The block topic prefix of the last component offered or requested ("{uri}/b/"), so blocks of
        // another version or package are ignored without allocating.
        private string _blockPrefix;
        private string _requestUri;
        private string _requestTopic;
        private static readonly ChunkRequestPayload BlockRequest = new ChunkRequestPayload("{\"block\":", ",\"size\":", "}");
        private int _lastState = -1;
        private string _lastTarget;

        public GoliothAdapter(DeviceSettings settings)
        {
            _settings = settings;
            _package = settings.Package == null || settings.Package.Length == 0 ? "main" : settings.Package;
            _stateTopic = ComponentPrefix + _package;
            // Block answers are one level below the component path: .u/c/{package}@{version}/b/{N}.
            _subscribe = new string[] { DesiredTopic, ComponentPrefix + "+/b/+" };
        }

        public string Name { get { return "golioth"; } }

        public string[] SubscribeTopics { get { return _subscribe; } }

        /// <summary>Golioth devices authenticate with a PSK: the PSK id as username, the PSK as password.</summary>
        public MqttCredentials GetCredentials()
        {
            var c = new MqttCredentials();
            c.Username = _settings.Username;
            c.Password = _settings.Password;
            c.ClientId = AdapterText.Or(_settings.ClientId, _settings.Username);
            return c;
        }

        /// <summary>
        /// Reports IDLE/READY with the running version. Subscribing to <c>.u/desired</c> (done by the agent
        /// from <see cref="SubscribeTopics"/>) is Golioth's observe: the current release manifest is
        /// delivered at once (retained) and again whenever a new release is rolled out.
        /// </summary>
        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            _runningVersion = runningVersion;
            _lastState = -1;
            PublishState(publisher, StateIdle, ReasonReady, runningVersion, null);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            result.Clear();
            if (topic == null) return;
            if (topic == DesiredTopic)
            {
                ParseManifest(payload, result);
                return;
            }
            if (_blockPrefix != null && topic.Length > _blockPrefix.Length && topic.StartsWith(_blockPrefix))
            {
                int index = AdapterText.TopicIndex(topic, _blockPrefix.Length);
                if (index < 0)
                {
                    result.SetMalformed("Golioth block topic without a block number");
                    return;
                }
                result.SetChunk(index, payload);
            }
            // Anything else (other packages' blocks, our own state reports) is Ignored.
        }

        private void ParseManifest(byte[] payload, InboundMessage result)
        {
            string error;
            Hashtable manifest = JsonReader.ParseObject(payload, out error);
            if (manifest == null)
            {
                result.SetMalformed("Golioth manifest: " + error);
                return;
            }
            ArrayList components = Json.Json.GetArray(manifest, "components");
            if (components == null)
            {
                if (Json.Json.Has(manifest, "components"))
                {
                    result.SetMalformed("Golioth manifest: components is not an array");
                    return;
                }
                // An empty manifest: no release is rolled out to this device.
                result.Kind = InboundKind.NoUpdate;
                return;
            }
            Hashtable mine = null;
            for (int i = 0; i < components.Count; i++)
            {
                var c = components[i] as Hashtable;
                if (c == null)
                {
                    result.SetMalformed("Golioth manifest: component " + i + " is not an object");
                    return;
                }
                if (Json.Json.GetString(c, "package") == _package)
                {
                    mine = c;
                    break;
                }
            }
            if (mine == null)
            {
                // The release carries no component for this package.
                result.Kind = InboundKind.NoUpdate;
                return;
            }

            string version = mine["version"] as string;
            string hash = mine["hash"] as string;
            object sizeValue = mine["size"];
            string uri = mine["uri"] as string;
            if (version == null || version.Length == 0)
            {
                result.SetMalformed("Golioth manifest: component version missing or not a string");
                return;
            }
            if (!AdapterText.IsHex(hash, 64))
            {
                result.SetMalformed("Golioth manifest: component hash is not a SHA-256 hex digest");
                return;
            }
            if (!(sizeValue is long) || (long)sizeValue <= 0)
            {
                result.SetMalformed("Golioth manifest: component size missing or not a positive number");
                return;
            }
            if (uri == null || uri.Length == 0)
            {
                uri = "/" + ComponentPrefix + _package + "@" + version;
            }
            if (!IsComponentUri(uri))
            {
                result.SetMalformed("Golioth manifest: component uri is not /.u/c/{package}@{version}");
                return;
            }

            if (_runningVersion != null && version == _runningVersion)
            {
                // The desired release is the one running: Golioth always sends the current release.
                result.Kind = InboundKind.NoUpdate;
                return;
            }

            var offer = new UpdateOffer();
            offer.Version = version;
            offer.Title = _package;
            offer.Size = (long)sizeValue;
            offer.HashAlgorithm = HashAlgorithmKind.Sha256;
            offer.Hash = hash.ToLower();
            offer.Source = DownloadSource.MqttChunks;
            offer.Url = uri;
            long seq;
            if (Json.Json.TryGetLong(manifest, "sequenceNumber", out seq)) offer.MessageId = seq.ToString();
            _blockPrefix = uri.Substring(1) + "/b/";
            result.SetOffer(offer);
        }

        /// <summary>Asks for block <paramref name="index"/> of <paramref name="chunkSize"/> bytes: <c>{uri}/get</c> <c>{"block":N,"size":S}</c>.</summary>
        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            if (!AdapterText.CanRequestChunk(offer, index, chunkSize)) return false;
            if (offer.Url == null || !IsComponentUri(offer.Url)) return false;
            if (offer.Url != _requestUri)
            {
                // Once per offer (also after a reboot, when the offer comes from the journal).
                string path = offer.Url.Substring(1);
                _requestUri = offer.Url;
                _requestTopic = path + "/get";
                _blockPrefix = path + "/b/";
            }
            return publisher.Publish(_requestTopic, BlockRequest.Compose(index, chunkSize), 0);
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            string target = report.Offer == null ? null : report.Offer.Version;
            string running = report.RunningVersion != null ? report.RunningVersion : _runningVersion;
            switch (report.Kind)
            {
                case ReportKind.Version:
                    _runningVersion = report.RunningVersion;
                    PublishState(publisher, StateIdle, ReasonReady, running, null);
                    break;
                case ReportKind.Downloading:
                    // Golioth has no percent: one DOWNLOADING report per target, not one per step.
                    if (_lastState != StateDownloading || _lastTarget != target)
                    {
                        PublishState(publisher, StateDownloading, ReasonReady, running, target);
                    }
                    break;
                case ReportKind.Downloaded:
                case ReportKind.Verified:
                    if (_lastState != StateDownloaded || _lastTarget != target)
                    {
                        PublishState(publisher, StateDownloaded, ReasonReady, running, target);
                    }
                    break;
                case ReportKind.Installing:
                    PublishState(publisher, StateUpdating, ReasonReady, running, target);
                    break;
                case ReportKind.Updated:
                    // As the SDK's fw_update.c after a confirmed boot: UPDATING + FIRMWARE_UPDATED_SUCCESSFULLY
                    // with the new running version and no target, then back to IDLE + READY.
                    _runningVersion = report.RunningVersion;
                    PublishState(publisher, StateUpdating, ReasonFirmwareUpdatedSuccessfully, report.RunningVersion, null);
                    PublishState(publisher, StateIdle, ReasonReady, report.RunningVersion, null);
                    break;
                case ReportKind.Failed:
                    PublishState(publisher, FailureState(report.Error), ReasonFor(report.Error), running, target);
                    break;
            }
        }

        /// <summary>The one mapping from nf-ota's failure causes to Golioth's report reasons (seed 003).</summary>
        public static int ReasonFor(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.None: return ReasonReady;
                case UpdateError.NotEnoughSpace: return ReasonNotEnoughFlashMemory;
                case UpdateError.DownloadFailed: return ReasonConnectionLost;
                case UpdateError.ChecksumMismatch: return ReasonIntegrityCheckFailure;
                case UpdateError.SignatureInvalid: return ReasonIntegrityCheckFailure;
                case UpdateError.InvalidImage: return ReasonUnsupportedPackageType;
                case UpdateError.InvalidUri: return ReasonInvalidUri;
                case UpdateError.UriNotAllowed: return ReasonInvalidUri;
                case UpdateError.FileNotFound: return ReasonInvalidUri;
                case UpdateError.AccessDenied: return ReasonInvalidUri;
                case UpdateError.UnsupportedAlgorithm: return ReasonUnsupportedProtocol;
                default: return ReasonFirmwareUpdateFailed; // InvalidOffer, DowngradeRefused, FlashFailed, SelfTestFailed, BootFailed
            }
        }

        // The SDK reports a failed download or check with state DOWNLOADING and the reason; a failure
        // while switching images with UPDATING; after a rollback the device is IDLE on its old version.
        private static int FailureState(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.FlashFailed: return StateUpdating;
                case UpdateError.SelfTestFailed:
                case UpdateError.BootFailed: return StateIdle;
                default: return StateDownloading;
            }
        }

        // Long attribute names as in Golioth's JSON example; the SDK sends the short aliases (s, r, pkg,
        // v, t) in CBOR, and like it we leave out an empty version or target.
        private void PublishState(IPublisher publisher, int state, int reason, string version, string target)
        {
            var w = new JsonWriter();
            w.BeginObject().Property("state", state).Property("reason", reason).Property("package", _package);
            if (version != null && version.Length > 0) w.Property("version", version);
            if (target != null && target.Length > 0) w.Property("target", target);
            w.EndObject();
            _lastState = state;
            _lastTarget = target;
            publisher.Publish(_stateTopic, w.ToUtf8(), 1);
        }

        // "/.u/c/" and one more topic level, so blocks arrive under the ".u/c/+/b/+" subscription.
        private static bool IsComponentUri(string uri)
        {
            string prefix = "/" + ComponentPrefix;
            if (uri.Length <= prefix.Length || !uri.StartsWith(prefix)) return false;
            for (int i = prefix.Length; i < uri.Length; i++)
            {
                char c = uri[i];
                if (c == '/' || c == '+' || c == '#' || c < ' ') return false;
            }
            return true;
        }
    }
}
