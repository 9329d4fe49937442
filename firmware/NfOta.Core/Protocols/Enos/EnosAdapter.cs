using System;
using System.Collections;
using System.Text;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Json;
using NfOta.Settings;
using NfOta.Versioning;

namespace NfOta.Protocols
{
    /// <summary>
    /// Envision EnOS firmware upgrade over MQTT (seed 002): <c>/sys/{productKey}/{deviceKey}/ota/device/</c>
    /// <c>inform</c> (version report), <c>upgrade</c> (cloud push, answered on <c>upgrade_reply</c> with the
    /// same id), <c>progress</c> (step "0".."100", or "-1".."-4" on failure, with desc) and
    /// <c>getversion</c> (ask for pending versions, answered on <c>getversion_reply</c>).
    /// Where the seed is ambiguous, the official device SDK (EnvisionIot/enos-device-sdk-java) decides:
    /// ids are strings, the progress method is "ota.device.progress" (the seed's table says "process"),
    /// and the MQTT login is the SDK's sha256 signature.
    /// </summary>
    public sealed class EnosAdapter : IPlatformAdapter
    {
        public const string StepUpgradeFailed = "-1";
        public const string StepDownloadFailed = "-2";
        public const string StepVerifyFailed = "-3";
        public const string StepBurnFailed = "-4";

        // 1970-01-01 in DateTime ticks, so the login timestamp needs no DateTime constructor.
        private const long UnixEpochTicks = 621355968000000000L;

        private readonly DeviceSettings _settings;
        private readonly string _prefix;
        private readonly string _upgradeTopic;
        private readonly string _getVersionReplyTopic;
        private readonly string[] _subscribe;
        private int _nextId;

        public EnosAdapter(DeviceSettings settings)
        {
            _settings = settings;
            _prefix = "/sys/" + settings.ProductKey + "/" + settings.DeviceName + "/ota/device/";
            _upgradeTopic = _prefix + "upgrade";
            _getVersionReplyTopic = _prefix + "getversion_reply";
            // Only the messages the device acts on; inform_reply and progress_reply carry nothing it needs.
            _subscribe = new string[] { _upgradeTopic, _getVersionReplyTopic };
        }

        public string Name { get { return "enos"; } }

        public string[] SubscribeTopics { get { return _subscribe; } }

        /// <summary>The MQTT login of EnOS's device SDK, signed with the current time.</summary>
        public MqttCredentials GetCredentials()
        {
            long ms = (DateTime.UtcNow.Ticks - UnixEpochTicks) / 10000;
            return GetCredentials(ms);
        }

        /// <summary>
        /// EnOS login as the device SDK builds it (BaseProfile.createConnectOptions, SignUtil, SignMethod.SHA256):
        /// clientId "{deviceKey}|securemode=2,signmethod=sha256,timestamp={ms}|", username "{deviceKey}&amp;{productKey}",
        /// password = lower-hex SHA-256 of "clientId{deviceKey}deviceKey{deviceKey}productKey{productKey}timestamp{ms}{deviceSecret}"
        /// (parameter names sorted, secret appended). securemode 2 means "signed with the device secret".
        /// </summary>
        public MqttCredentials GetCredentials(long timestampMs)
        {
            string dk = _settings.DeviceName;
            string pk = _settings.ProductKey;
            string ts = timestampMs.ToString();
            var c = new MqttCredentials();
            c.ClientId = dk + "|securemode=2,signmethod=sha256,timestamp=" + ts + "|";
            c.Username = dk + "&" + pk;
            string content = "clientId" + dk + "deviceKey" + dk + "productKey" + pk + "timestamp" + ts + _settings.DeviceSecret;
            c.Password = Sha256Hex(content);
            return c;
        }

        private static string Sha256Hex(string text)
        {
            IIncrementalHash h = HashFactory.Create(HashAlgorithmKind.Sha256);
            byte[] data = Encoding.UTF8.GetBytes(text);
            h.Update(data, 0, data.Length);
            byte[] digest = new byte[h.HashSize];
            h.Final(digest, 0);
            return Hex.ToHex(digest, 0, digest.Length);
        }

        /// <summary>Reports the running version (inform) and asks for upgradeable versions (getversion).</summary>
        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            PublishInform(runningVersion, publisher);
            var w = Request("ota.device.getversion");
            w.BeginObject().EndObject().EndObject();
            publisher.Publish(_prefix + "getversion", w.ToUtf8(), 1);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            result.Clear();
            if (topic == _upgradeTopic)
            {
                ParseUpgrade(payload, result, publisher);
            }
            else if (topic == _getVersionReplyTopic)
            {
                ParseGetVersionReply(payload, result);
            }
            // Other devices' topics and the acknowledgements of our own requests are Ignored.
        }

        private void ParseUpgrade(byte[] payload, InboundMessage result, IPublisher publisher)
        {
            string error;
            Hashtable msg = JsonReader.ParseObject(payload, out error);
            if (msg == null)
            {
                result.SetMalformed("EnOS upgrade: " + error);
                return;
            }
            string id = Json.Json.GetString(msg, "id");
            string method = Json.Json.GetString(msg, "method");
            if (method != null && method != "ota.device.upgrade")
            {
                result.SetMalformed("EnOS upgrade: unexpected method " + method);
                return;
            }
            Hashtable p = Json.Json.GetObject(msg, "params");
            if (p == null)
            {
                result.SetMalformed("EnOS upgrade: params missing or not an object");
                return;
            }
            UpdateOffer offer = ParseFirmware(p, result, "EnOS upgrade: ");
            if (offer == null) return;
            offer.MessageId = id;

            // The seed's upgrade_reply: the same id, code 200, empty data object.
            var w = new JsonWriter();
            w.BeginObject();
            if (id != null) w.Property("id", id);
            w.Property("code", 200).Name("data").BeginObject().EndObject().EndObject();
            publisher.Publish(_prefix + "upgrade_reply", w.ToUtf8(), 1);

            result.SetOffer(offer);
        }

        private void ParseGetVersionReply(byte[] payload, InboundMessage result)
        {
            string error;
            Hashtable msg = JsonReader.ParseObject(payload, out error);
            if (msg == null)
            {
                result.SetMalformed("EnOS getversion_reply: " + error);
                return;
            }
            long code;
            if (!Json.Json.TryGetLong(msg, "code", out code))
            {
                result.SetMalformed("EnOS getversion_reply: code missing");
                return;
            }
            if (code != 200)
            {
                result.SetMalformed("EnOS getversion_reply: code " + code.ToString());
                return;
            }
            if (!Json.Json.Has(msg, "data"))
            {
                result.Kind = InboundKind.NoUpdate;
                return;
            }
            ArrayList data = Json.Json.GetArray(msg, "data");
            if (data == null)
            {
                // The SDK's OtaUpgradeReply sends "" for no data; an empty object means the same.
                object d = msg["data"];
                if ((d is string && ((string)d).Length == 0) || (d is Hashtable && ((Hashtable)d).Count == 0))
                {
                    result.Kind = InboundKind.NoUpdate;
                    return;
                }
                result.SetMalformed("EnOS getversion_reply: data is not a list");
                return;
            }
            // Several upgradeable versions may come back; take the newest.
            UpdateOffer best = null;
            for (int i = 0; i < data.Count; i++)
            {
                var f = data[i] as Hashtable;
                if (f == null)
                {
                    result.SetMalformed("EnOS getversion_reply: data[" + i + "] is not an object");
                    return;
                }
                UpdateOffer o = ParseFirmware(f, result, "EnOS getversion_reply: ");
                if (o == null) return;
                if (best == null || VersionComparer.Compare(o.Version, best.Version) > 0) best = o;
            }
            if (best == null)
            {
                result.Kind = InboundKind.NoUpdate;
                return;
            }
            best.MessageId = Json.Json.GetString(msg, "id");
            result.SetOffer(best);
        }

        // One firmware entry: version, sign, signMethod, fileUrl, fileSize (seed 002, SDK Firmware class).
        private UpdateOffer ParseFirmware(Hashtable f, InboundMessage result, string what)
        {
            string version = f["version"] as string;
            string sign = f["sign"] as string;
            string signMethod = f["signMethod"] as string;
            string fileUrl = f["fileUrl"] as string;
            long size;
            if (version == null || version.Length == 0)
            {
                result.SetMalformed(what + "version missing or not a string");
                return null;
            }
            if (signMethod == null)
            {
                result.SetMalformed(what + "signMethod missing or not a string");
                return null;
            }
            HashAlgorithmKind kind;
            if (!HashFactory.TryParseName(signMethod, out kind) || kind == HashAlgorithmKind.None)
            {
                result.SetMalformed(what + "unsupported signMethod " + signMethod);
                return null;
            }
            if (!AdapterText.IsHexDigest(sign))
            {
                result.SetMalformed(what + "sign missing or not a hex digest");
                return null;
            }
            if (!Json.Json.TryGetLong(f, "fileSize", out size) || size <= 0)
            {
                result.SetMalformed(what + "fileSize missing or not a positive integer");
                return null;
            }
            string url = ResolveUrl(fileUrl);
            if (url == null)
            {
                result.SetMalformed(what + (fileUrl == null || fileUrl.Length == 0
                    ? "fileUrl missing or not a string"
                    : "relative fileUrl and no download.baseUrl in the settings"));
                return null;
            }
            return AdapterText.HttpOffer(version, size, kind, sign.ToLower(), url);
        }

        /// <summary>
        /// EnOS sends fileUrl as a path of its file service ("/1b30e0ea83002000/ota/kadak13"); it is
        /// resolved against the settings' download.baseUrl (DeviceSettings.DownloadBaseUrl). An absolute http(s) URL is used as it is.
        /// </summary>
        private string ResolveUrl(string fileUrl)
        {
            if (fileUrl == null || fileUrl.Length == 0) return null;
            if (fileUrl.StartsWith("http://") || fileUrl.StartsWith("https://")) return fileUrl;
            string b = _settings.DownloadBaseUrl;
            if (b == null || b.Length == 0) return null;
            if (b.EndsWith("/")) b = b.Substring(0, b.Length - 1);
            return fileUrl[0] == '/' ? b + fileUrl : b + "/" + fileUrl;
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            switch (report.Kind)
            {
                case ReportKind.Version:
                    PublishInform(report.RunningVersion, publisher);
                    break;
                case ReportKind.Downloading:
                case ReportKind.Downloaded:
                case ReportKind.Verified:
                case ReportKind.Installing:
                    PublishProgress(AdapterText.ProgressStep(report, 0), AdapterText.ProgressDescription(report), publisher);
                    break;
                case ReportKind.Updated:
                    // As the SDK sample: success is recorded by reporting the new version.
                    PublishInform(report.RunningVersion, publisher);
                    break;
                case ReportKind.Failed:
                    PublishProgress(StepFor(report.Error), AdapterText.Or(report.Message, ErrorName(report.Error)), publisher);
                    // After a rollback the platform also learns which version runs now.
                    if (report.RunningVersion != null) PublishInform(report.RunningVersion, publisher);
                    break;
            }
        }

        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            return false; // EnOS serves files over HTTP.
        }

        /// <summary>The one mapping from nf-ota's failure causes to EnOS progress steps (seed 002 "Exceptions").</summary>
        public static string StepFor(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.InvalidUri:
                case UpdateError.UriNotAllowed:
                case UpdateError.FileNotFound:
                case UpdateError.AccessDenied:
                case UpdateError.DownloadFailed:
                    return StepDownloadFailed;
                case UpdateError.ChecksumMismatch:
                case UpdateError.SignatureInvalid:
                case UpdateError.UnsupportedAlgorithm:
                case UpdateError.InvalidImage:
                    return StepVerifyFailed;
                case UpdateError.NotEnoughSpace:
                case UpdateError.FlashFailed:
                    return StepBurnFailed;
                default:
                    return StepUpgradeFailed; // None, InvalidOffer, DowngradeRefused, SelfTestFailed, BootFailed
            }
        }

        private static string ErrorName(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.InvalidOffer: return "invalid upgrade message";
                case UpdateError.NotEnoughSpace: return "image larger than the update partition";
                case UpdateError.InvalidUri: return "invalid file URL";
                case UpdateError.UriNotAllowed: return "file URL not allowed";
                case UpdateError.FileNotFound: return "file not found";
                case UpdateError.AccessDenied: return "file access denied";
                case UpdateError.DownloadFailed: return "download failed";
                case UpdateError.ChecksumMismatch: return "sign mismatch";
                case UpdateError.SignatureInvalid: return "image signature invalid";
                case UpdateError.UnsupportedAlgorithm: return "unsupported signMethod";
                case UpdateError.InvalidImage: return "invalid image";
                case UpdateError.DowngradeRefused: return "downgrade refused";
                case UpdateError.FlashFailed: return "flash write failed";
                case UpdateError.SelfTestFailed: return "new firmware failed its self-test, rolled back";
                case UpdateError.BootFailed: return "new firmware did not boot, rolled back";
                default: return "upgrade failed";
            }
        }

        private void PublishInform(string version, IPublisher publisher)
        {
            var w = Request("ota.device.inform");
            w.BeginObject().Property("version", version).EndObject().EndObject();
            publisher.Publish(_prefix + "inform", w.ToUtf8(), 1);
        }

        private void PublishProgress(string step, string desc, IPublisher publisher)
        {
            var w = Request("ota.device.progress");
            w.BeginObject().Property("step", step).Property("desc", desc).EndObject().EndObject();
            publisher.Publish(_prefix + "progress", w.ToUtf8(), 1);
        }

        // {"id":"N","version":"1.0","method":M,"params": - the caller writes the params object and closes.
        private JsonWriter Request(string method)
        {
            _nextId++;
            var w = new JsonWriter();
            w.BeginObject().Property("id", _nextId.ToString()).Property("version", "1.0").Property("method", method).Name("params");
            return w;
        }
    }
}
