using System.Collections;
using System.Text;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Json;
using NfOta.Settings;
using JsonGet = NfOta.Json.Json;

namespace NfOta.Protocols
{
    /// <summary>
    /// Alibaba Cloud IoT Platform firmware OTA (seed document 000): the version goes up on
    /// /ota/device/inform, an update is pushed on /ota/device/upgrade (or asked for on
    /// /ota/device/request), the image is an HTTPS URL, and progress goes up on
    /// /ota/device/progress with "step" as a string. Message ids are JSON numbers as in the
    /// document's examples and the official C SDK (iotkit-embedded ota_lib.c:
    /// {"id":%d,"params":{"step":"%d","desc":"%s"}}). The document names no reply topic for
    /// /ota/device/request: the platform answers on the upgrade topic, so that is the only
    /// subscription.
    /// </summary>
    public sealed class AlibabaAdapter : IPlatformAdapter
    {
        private readonly DeviceSettings _settings;
        private readonly string _informTopic;
        private readonly string _upgradeTopic;
        private readonly string _progressTopic;
        private readonly string _requestTopic;
        private readonly string[] _subscriptions;
        private long _nextId = 1;

        public AlibabaAdapter(DeviceSettings settings)
        {
            _settings = settings;
            string pkdn = settings.ProductKey + "/" + settings.DeviceName;
            _informTopic = "/ota/device/inform/" + pkdn;
            _upgradeTopic = "/ota/device/upgrade/" + pkdn;
            _progressTopic = "/ota/device/progress/" + pkdn;
            _requestTopic = "/ota/device/request/" + pkdn;
            _subscriptions = new string[] { _upgradeTopic };
        }

        public string Name { get { return "alibaba"; } }

        public string[] SubscribeTopics { get { return _subscriptions; } }

        /// <summary>
        /// Alibaba's MQTT signature (documented "MQTT-TCP connection", same as the SDKs' aiotMqttSign):
        /// client id "{clientId}|securemode=S,signmethod=hmacsha256|" with S = 2 over TLS and 3 over
        /// plain TCP, user name "{deviceName}&amp;{productKey}", password the hex HMAC-SHA256 of
        /// "clientId{clientId}deviceName{deviceName}productKey{productKey}" keyed with the device
        /// secret. The optional timestamp is left out, so the password does not depend on a clock.
        /// {clientId} is the settings' client id, or "{productKey}.{deviceName}" as the C SDK uses.
        /// </summary>
        public MqttCredentials GetCredentials()
        {
            string id = AdapterText.Or(_settings.ClientId, _settings.ProductKey + "." + _settings.DeviceName);
            string content = "clientId" + id + "deviceName" + _settings.DeviceName + "productKey" + _settings.ProductKey;
            byte[] key = Encoding.UTF8.GetBytes(_settings.DeviceSecret == null ? "" : _settings.DeviceSecret);
            byte[] sign = Hmac.HmacSha256(key, Encoding.UTF8.GetBytes(content));

            var c = new MqttCredentials();
            c.ClientId = id + "|securemode=" + (_settings.BrokerTls ? "2" : "3") + ",signmethod=hmacsha256|";
            c.Username = _settings.DeviceName + "&" + _settings.ProductKey;
            c.Password = Hex.ToHex(sign, 0, sign.Length);
            return c;
        }

        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            Inform(runningVersion, publisher);
            publisher.Publish(_requestTopic, VersionMessage(runningVersion), 1);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            result.Clear();
            // Only this device's upgrade topic; the same topic of another product or device is not ours.
            if (topic != _upgradeTopic) return;

            string error;
            Hashtable root = JsonReader.ParseObject(payload, out error);
            if (root == null)
            {
                Malformed(result, "upgrade: " + error);
                return;
            }

            // "code" is the string "1000" in a push and the number 500 in "no update" (document), so
            // both types are read.
            long code;
            if (!JsonGet.TryGetLong(root, "code", out code))
            {
                Malformed(result, "upgrade: \"code\" missing or not a number");
                return;
            }
            if (code != 1000)
            {
                result.Kind = InboundKind.NoUpdate;
                return;
            }

            Hashtable data = JsonGet.GetObject(root, "data");
            if (data == null)
            {
                Malformed(result, "upgrade: \"data\" missing or not an object");
                return;
            }

            string version = JsonGet.GetString(data, "version");
            if (version == null || version.Length == 0)
            {
                Malformed(result, "upgrade: data.version missing");
                return;
            }
            string url = data["url"] as string;
            if (url == null || url.Length == 0)
            {
                Malformed(result, "upgrade: data.url missing or not a string");
                return;
            }
            long size;
            if (!JsonGet.TryGetLong(data, "size", out size) || size < 0)
            {
                Malformed(result, "upgrade: data.size missing or not a non-negative integer");
                return;
            }

            // sign + signMethod ("Md5" or "SHA256"); an old-style push carries only md5.
            string sign = data["sign"] as string;
            string method = data["signMethod"] as string;
            HashAlgorithmKind algorithm;
            if (sign != null && sign.Length > 0)
            {
                if (method == null || method.Length == 0)
                {
                    Malformed(result, "upgrade: data.signMethod missing or not a string");
                    return;
                }
                // The document names Md5 and SHA256; any other method stays None, which the agent
                // refuses with UnsupportedAlgorithm (step -3) before downloading.
                if (!HashFactory.TryParseName(method, out algorithm)
                    || !(algorithm == HashAlgorithmKind.Md5 || algorithm == HashAlgorithmKind.Sha256))
                {
                    algorithm = HashAlgorithmKind.None;
                }
            }
            else
            {
                sign = data["md5"] as string;
                algorithm = HashAlgorithmKind.Md5;
                if (sign == null || sign.Length == 0)
                {
                    Malformed(result, "upgrade: neither data.sign nor data.md5");
                    return;
                }
            }

            UpdateOffer offer = AdapterText.HttpOffer(version, size, algorithm, sign, url);
            offer.MessageId = JsonGet.GetString(root, "id");
            result.SetOffer(offer);
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            switch (report.Kind)
            {
                case ReportKind.Version:
                case ReportKind.Updated:
                    // The platform marks an upgrade done when the device informs the target version.
                    Inform(report.RunningVersion, publisher);
                    return;
                case ReportKind.Downloading:
                case ReportKind.Downloaded:
                case ReportKind.Verified:
                case ReportKind.Installing:
                    // Step 0 is not a progress step on this platform: downloading starts at 1.
                    Progress(AdapterText.ProgressStep(report, 1), AdapterText.ProgressDescription(report), publisher);
                    return;
                case ReportKind.Failed:
                    Progress(Step(report.Error), AdapterText.Or(report.Message, Description(report.Error)), publisher);
                    // After a rollback, tell the platform which version runs again.
                    if ((report.Error == UpdateError.SelfTestFailed || report.Error == UpdateError.BootFailed) && report.RunningVersion != null)
                    {
                        Inform(report.RunningVersion, publisher);
                    }
                    return;
            }
        }

        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            return false;
        }

        /// <summary>The document's failure steps: -1 upgrade failed, -2 download failed, -3 verification failed, -4 burn failed.</summary>
        public static string Step(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.InvalidUri:
                case UpdateError.UriNotAllowed:
                case UpdateError.FileNotFound:
                case UpdateError.AccessDenied:
                case UpdateError.DownloadFailed:
                    return "-2";
                case UpdateError.ChecksumMismatch:
                case UpdateError.SignatureInvalid:
                case UpdateError.UnsupportedAlgorithm:
                case UpdateError.InvalidImage:
                    return "-3";
                case UpdateError.FlashFailed:
                case UpdateError.SelfTestFailed:
                case UpdateError.BootFailed:
                    return "-4";
                default:
                    // InvalidOffer, NotEnoughSpace, DowngradeRefused, None.
                    return "-1";
            }
        }

        private static string Description(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.InvalidOffer: return "invalid firmware information";
                case UpdateError.NotEnoughSpace: return "firmware larger than the update partition";
                case UpdateError.InvalidUri: return "invalid firmware url";
                case UpdateError.UriNotAllowed: return "firmware url not allowed";
                case UpdateError.FileNotFound: return "firmware file not found";
                case UpdateError.AccessDenied: return "firmware download refused (url expired?)";
                case UpdateError.DownloadFailed: return "firmware download failed";
                case UpdateError.ChecksumMismatch: return "firmware checksum mismatch";
                case UpdateError.SignatureInvalid: return "firmware signature invalid";
                case UpdateError.UnsupportedAlgorithm: return "unsupported signMethod";
                case UpdateError.InvalidImage: return "invalid firmware image";
                case UpdateError.DowngradeRefused: return "downgrade refused";
                case UpdateError.FlashFailed: return "writing flash failed";
                case UpdateError.SelfTestFailed: return "new firmware failed its self-test, rolled back";
                case UpdateError.BootFailed: return "new firmware did not boot, rolled back";
                default: return "firmware update failed";
            }
        }

        private void Inform(string version, IPublisher publisher)
        {
            publisher.Publish(_informTopic, VersionMessage(version), 1);
        }

        private byte[] VersionMessage(string version)
        {
            var w = new JsonWriter().BeginObject();
            w.Property("id", _nextId++);
            w.Name("params").BeginObject().Property("version", version == null ? "" : version).EndObject();
            return w.EndObject().ToUtf8();
        }

        private void Progress(string step, string desc, IPublisher publisher)
        {
            var w = new JsonWriter().BeginObject();
            w.Property("id", _nextId++);
            w.Name("params").BeginObject().Property("step", step).Property("desc", desc).EndObject();
            publisher.Publish(_progressTopic, w.EndObject().ToUtf8(), 1);
        }

        private static void Malformed(InboundMessage result, string error)
        {
            result.SetMalformed("alibaba: " + error);
        }
    }
}
