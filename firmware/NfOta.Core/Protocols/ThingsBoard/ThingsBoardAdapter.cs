using System.Collections;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Json;
using JsonGet = NfOta.Json.Json;
using NfOta.Settings;

namespace NfOta.Protocols
{
    /// <summary>
    /// ThingsBoard firmware OTA over MQTT (seed document 004). The image is described by the shared
    /// attributes fw_title, fw_version, fw_size, fw_checksum, fw_checksum_algorithm (and fw_url for an
    /// externally stored package); the bytes arrive in chunks the device asks for on
    /// v2/fw/request/{requestId}/chunk/{chunkIndex}; states go up as fw_state telemetry.
    /// Where the document is silent (telemetry keys of the running firmware, which shared keys to
    /// request on connect, the "shared" wrapper of attribute responses) this follows ThingsBoard's
    /// official Python device SDK, tb_device_mqtt.py.
    /// </summary>
    public sealed class ThingsBoardAdapter : IPlatformAdapter
    {
        public const string AttributesTopic = "v1/devices/me/attributes";
        public const string AttributesResponsePrefix = "v1/devices/me/attributes/response/";
        public const string AttributesRequestPrefix = "v1/devices/me/attributes/request/";
        public const string TelemetryTopic = "v1/devices/me/telemetry";
        public const string ChunkResponsePrefix = "v2/fw/response/";
        public const string ChunkRequestPrefix = "v2/fw/request/";

        /// <summary>The shared keys the SDK asks for on connect (tb_device_mqtt REQUIRED_SHARED_KEYS).</summary>
        public const string RequestedSharedKeys = "fw_checksum,fw_checksum_algorithm,fw_size,fw_title,fw_version";

        private static readonly string[] Topics =
        {
            AttributesTopic,
            AttributesResponsePrefix + "+",
            ChunkResponsePrefix + "+/chunk/+"
        };

        private readonly DeviceSettings _settings;
        private int _attributeRequestId;

        // Chunk requests of one offer share a request id; a new offer takes the next one, so late
        // chunks of an abandoned download are recognised and ignored.
        private int _chunkRequestId;
        private UpdateOffer _chunkOffer;
        private string _chunkTopicPrefix;
        private int _chunkPayloadSize = -1;
        private byte[] _chunkPayload;

        // The last fw_state sent, repeated on reconnect so a reconnect mid-download does not show IDLE.
        private string _state = "IDLE";

        public ThingsBoardAdapter(DeviceSettings settings)
        {
            _settings = settings;
        }

        public string Name { get { return "thingsboard"; } }

        public string[] SubscribeTopics { get { return Topics; } }

        /// <summary>
        /// ThingsBoard authenticates by the device access token as MQTT user name, with no password.
        /// The client id is free; without one in the settings a stable id is derived from the token
        /// (never the token itself, which would leak it into broker logs).
        /// </summary>
        public MqttCredentials GetCredentials()
        {
            var c = new MqttCredentials();
            c.Username = _settings.AccessToken;
            c.Password = null;
            if (_settings.ClientId != null && _settings.ClientId.Length > 0) c.ClientId = _settings.ClientId;
            else if (_settings.DeviceName != null && _settings.DeviceName.Length > 0) c.ClientId = _settings.DeviceName;
            else c.ClientId = "nf-ota-" + Fnv1a(_settings.AccessToken);
            return c;
        }

        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            // Like the SDK's get_firmware_update(): current firmware telemetry, then an attribute
            // request so an update assigned while the device was offline is delivered now.
            var w = new JsonWriter().BeginObject();
            w.Property("current_fw_title", Title());
            w.Property("current_fw_version", runningVersion);
            w.Property("fw_state", _state);
            w.EndObject();
            publisher.Publish(TelemetryTopic, w.ToUtf8(), 1);

            _attributeRequestId++;
            var r = new JsonWriter().BeginObject().Property("sharedKeys", RequestedSharedKeys).EndObject();
            publisher.Publish(AttributesRequestPrefix + _attributeRequestId.ToString(), r.ToUtf8(), 1);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            result.Clear();
            if (topic == null) return;
            if (topic.StartsWith(ChunkResponsePrefix))
            {
                ParseChunk(topic, payload, result);
                return;
            }

            bool isResponse = topic.StartsWith(AttributesResponsePrefix);
            if (!isResponse && topic != AttributesTopic) return;

            string error;
            Hashtable root = JsonReader.ParseObject(payload, out error);
            if (root == null)
            {
                Malformed(result, "attributes: " + error);
                return;
            }

            Hashtable attributes = root;
            if (isResponse)
            {
                // A response wraps the shared keys in "shared" (and client keys in "client"); no
                // "shared" object means no firmware is assigned to the device.
                attributes = JsonGet.GetObject(root, "shared");
                if (attributes == null || !HasFirmwareKeys(attributes))
                {
                    if (root.Contains("shared") && !(root["shared"] is Hashtable)) Malformed(result, "attributes response: \"shared\" is not an object");
                    else result.Kind = InboundKind.NoUpdate;
                    return;
                }
            }
            else if (!HasFirmwareKeys(attributes))
            {
                // Any other shared attribute change, or "deleted" keys: not about firmware.
                return;
            }

            ParseOffer(attributes, result);
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            string state = null;
            switch (report.Kind)
            {
                case ReportKind.Version: break;
                case ReportKind.Downloading: state = "DOWNLOADING"; break;
                case ReportKind.Downloaded: state = "DOWNLOADED"; break;
                case ReportKind.Verified: state = "VERIFIED"; break;
                case ReportKind.Installing: state = "UPDATING"; break;
                case ReportKind.Updated: state = "UPDATED"; break;
                case ReportKind.Failed: state = "FAILED"; break;
            }

            // Like the SDK, every state message carries the running firmware's title and version,
            // so UPDATED arrives together with the new current_fw_version.
            var w = new JsonWriter().BeginObject();
            string title = report.Kind == ReportKind.Updated && report.Offer != null && report.Offer.Title != null ? report.Offer.Title : Title();
            w.Property("current_fw_title", title);
            if (report.RunningVersion != null) w.Property("current_fw_version", report.RunningVersion);
            if (state != null)
            {
                w.Property("fw_state", state);
                _state = state;
            }
            if (report.Kind == ReportKind.Downloading) w.Property("fw_progress", AdapterText.Percent(report.Percent));
            if (report.Kind == ReportKind.Failed) w.Property("fw_error", ErrorText(report.Error, report.Message));
            w.EndObject();
            publisher.Publish(TelemetryTopic, w.ToUtf8(), 1);
        }

        /// <summary>
        /// Publishes {"chunkSize": N} to v2/fw/request/{requestId}/chunk/{index}, the request format of
        /// the seed document. (The Python SDK sends the bare number instead; the document is followed
        /// here and the stand-in server accepts both.)
        /// </summary>
        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            if (!AdapterText.CanRequestChunk(offer, index, chunkSize)) return false;
            if (_chunkOffer == null || !(_chunkOffer == offer || _chunkOffer.SameImageAs(offer)))
            {
                _chunkOffer = offer;
                _chunkRequestId++;
                _chunkTopicPrefix = ChunkRequestPrefix + _chunkRequestId.ToString() + "/chunk/";
            }
            if (chunkSize != _chunkPayloadSize)
            {
                _chunkPayloadSize = chunkSize;
                _chunkPayload = new JsonWriter().BeginObject().Property("chunkSize", chunkSize).EndObject().ToUtf8();
            }
            // QoS 0: a lost request is asked for again after the agent's timeout, and a request that
            // waits for its PUBACK would serialise the window (one round trip per chunk).
            return publisher.Publish(_chunkTopicPrefix + index.ToString(), _chunkPayload, 0);
        }

        /// <summary>The fw_error text for a failure: the document's error word, then the detail.</summary>
        public static string ErrorWord(UpdateError error)
        {
            // Words from the document's "Error Handling" table.
            switch (error)
            {
                case UpdateError.ChecksumMismatch:
                    return "CHECKSUM_MISMATCH";
                case UpdateError.FileNotFound:
                case UpdateError.AccessDenied:
                case UpdateError.DownloadFailed:
                    return "NETWORK_ERROR";
                case UpdateError.NotEnoughSpace:
                    return "INSUFFICIENT_STORAGE";
                case UpdateError.InvalidOffer:
                case UpdateError.InvalidUri:
                case UpdateError.UriNotAllowed:
                case UpdateError.SignatureInvalid:
                case UpdateError.UnsupportedAlgorithm:
                case UpdateError.InvalidImage:
                case UpdateError.DowngradeRefused:
                    return "INVALID_PACKAGE";
                case UpdateError.FlashFailed:
                case UpdateError.SelfTestFailed:
                case UpdateError.BootFailed:
                    return "INSTALLATION_FAILED";
                default:
                    return "INSTALLATION_FAILED";
            }
        }

        private static string ErrorText(UpdateError error, string message)
        {
            string word = ErrorWord(error);
            return message == null || message.Length == 0 ? word : word + ": " + message;
        }

        private void ParseOffer(Hashtable a, InboundMessage result)
        {
            string title = JsonGet.GetString(a, "fw_title");
            string version = JsonGet.GetString(a, "fw_version");
            if (title == null || title.Length == 0)
            {
                Malformed(result, "fw_title missing or not a string");
                return;
            }
            if (version == null || version.Length == 0)
            {
                Malformed(result, "fw_version missing or not a string");
                return;
            }

            // A device runs one firmware title (settings "package"); firmware of another title is not
            // meant for it (as the ThingsBoard Arduino SDK decides), so it is ignored, not failed.
            string own = Title();
            if (own != null && own.Length > 0 && title != own) return;

            string url = JsonGet.GetString(a, "fw_url");
            bool external = url != null && url.Length > 0;

            long size = -1;
            if (a.Contains("fw_size"))
            {
                if (!JsonGet.TryGetLong(a, "fw_size", out size) || size < 0)
                {
                    Malformed(result, "fw_size is not a non-negative integer");
                    return;
                }
            }
            else if (!external)
            {
                // Chunks are counted from the size; without it the download cannot end.
                Malformed(result, "fw_size missing");
                return;
            }

            string checksum = JsonGet.GetString(a, "fw_checksum");
            string algorithmName = JsonGet.GetString(a, "fw_checksum_algorithm");
            if (checksum == null || checksum.Length == 0)
            {
                Malformed(result, "fw_checksum missing or not a string");
                return;
            }
            if (algorithmName == null || algorithmName.Length == 0)
            {
                Malformed(result, "fw_checksum_algorithm missing or not a string");
                return;
            }
            // An algorithm this device does not know stays None: the agent refuses such an offer with
            // UnsupportedAlgorithm (reported as INVALID_PACKAGE), never installing an unverified image.
            HashAlgorithmKind algorithm;
            HashFactory.TryParseName(algorithmName, out algorithm);

            var offer = new UpdateOffer();
            offer.Title = title;
            offer.Version = version;
            offer.Size = size;
            offer.HashAlgorithm = algorithm;
            offer.Hash = checksum;
            if (external)
            {
                offer.Source = DownloadSource.HttpRange;
                offer.Url = url;
            }
            else
            {
                offer.Source = DownloadSource.MqttChunks;
            }
            result.SetOffer(offer);
        }

        private void ParseChunk(string topic, byte[] payload, InboundMessage result)
        {
            // v2/fw/response/{requestId}/chunk/{chunkIndex}, parsed in place: this runs per chunk.
            int p = ChunkResponsePrefix.Length;
            int requestId = ReadInt(topic, ref p);
            if (requestId < 0 || !Skip(topic, ref p, "/chunk/"))
            {
                Malformed(result, "chunk topic is not v2/fw/response/{requestId}/chunk/{chunkIndex}");
                return;
            }
            int index = ReadInt(topic, ref p);
            if (index < 0 || p != topic.Length)
            {
                Malformed(result, "chunk topic is not v2/fw/response/{requestId}/chunk/{chunkIndex}");
                return;
            }
            if (requestId != _chunkRequestId || _chunkOffer == null)
            {
                // A late answer to an abandoned download: not this download's bytes.
                return;
            }
            if (payload == null || payload.Length == 0)
            {
                // ThingsBoard answers a chunk past the end of the image with an empty payload.
                Malformed(result, "empty chunk");
                result.ChunkIndex = index;
                return;
            }
            result.SetChunk(index, payload);
        }

        private static bool HasFirmwareKeys(Hashtable a)
        {
            return a.Contains("fw_title") || a.Contains("fw_version") || a.Contains("fw_checksum") || a.Contains("fw_size") || a.Contains("fw_url");
        }

        private string Title()
        {
            return _settings.Package;
        }

        private static void Malformed(InboundMessage result, string error)
        {
            result.SetMalformed("thingsboard: " + error);
        }

        // Reads a decimal integer of at most 9 digits at p; -1 when there is none.
        private static int ReadInt(string s, ref int p)
        {
            int start = p;
            int v = 0;
            while (p < s.Length && s[p] >= '0' && s[p] <= '9' && p - start < 9)
            {
                v = v * 10 + (s[p] - '0');
                p++;
            }
            if (p == start || (p < s.Length && s[p] >= '0' && s[p] <= '9')) return -1;
            return v;
        }

        private static bool Skip(string s, ref int p, string expected)
        {
            if (s.Length - p < expected.Length) return false;
            for (int i = 0; i < expected.Length; i++)
            {
                if (s[p + i] != expected[i]) return false;
            }
            p += expected.Length;
            return true;
        }

        // A short stable id from the token (FNV-1a, 32 bits).
        private static string Fnv1a(string s)
        {
            uint h = 2166136261;
            if (s != null)
            {
                for (int i = 0; i < s.Length; i++)
                {
                    h ^= s[i];
                    h *= 16777619;
                }
            }
            const string digits = "0123456789abcdef";
            var c = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                c[i] = digits[(int)(h & 0xF)];
                h >>= 4;
            }
            return new string(c);
        }
    }
}
