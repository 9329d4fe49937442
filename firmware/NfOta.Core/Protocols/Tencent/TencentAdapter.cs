using System;
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
    /// Tencent Cloud IoT Hub firmware OTA (seed document 001): report_version and report_progress go
    /// up on $ota/report/{productID}/{deviceName}, update_firmware comes down on
    /// $ota/update/{productID}/{deviceName} with an HTTPS URL and an MD5.
    /// The document prints "progress" as a quoted, unterminated string, which is not JSON; this follows
    /// the official C SDK (qcloud-iot-sdk-embedded-c ota_lib.c), which sends it as an object of
    /// string fields: {"state":"downloading","percent":"10","result_code":"0","result_msg":""}.
    /// The platform has no separate "is there an update" request: it answers report_version and
    /// pushes a pending update_firmware then, so the version report on connect is the request.
    /// </summary>
    public sealed class TencentAdapter : IPlatformAdapter
    {
        /// <summary>The fixed sdkappid of the MQTT user name (Tencent's documented manual connection and SDKs).</summary>
        public const string SdkAppId = "12010126";

        /// <summary>
        /// Expiry of the MQTT signature: the largest 32-bit Unix time, as Tencent's Java SDK uses with
        /// automatic reconnect, so the password needs no clock.
        /// </summary>
        public const long NoExpiry = 2147483647;

        private readonly DeviceSettings _settings;
        private readonly string _reportTopic;
        private readonly string _updateTopic;
        private readonly string[] _subscriptions;

        public TencentAdapter(DeviceSettings settings)
        {
            _settings = settings;
            string pidDn = settings.ProductKey + "/" + settings.DeviceName;
            _reportTopic = "$ota/report/" + pidDn;
            _updateTopic = "$ota/update/" + pidDn;
            _subscriptions = new string[] { _updateTopic };
        }

        public string Name { get { return "tencent"; } }

        public string[] SubscribeTopics { get { return _subscriptions; } }

        public MqttCredentials GetCredentials()
        {
            return GetCredentials(RandomConnId(), NoExpiry);
        }

        /// <summary>
        /// Client id "{productID}{deviceName}", user name "{productID}{deviceName};12010126;{connid};{expiry}",
        /// password "{hex HMAC-SHA256 of the user name keyed with the base64-decoded device secret};hmacsha256".
        /// The password is null when the secret is not base64 (the broker then refuses, visibly).
        /// </summary>
        public MqttCredentials GetCredentials(string connId, long expiry)
        {
            string clientId = _settings.ProductKey + _settings.DeviceName;
            var c = new MqttCredentials();
            c.ClientId = AdapterText.Or(_settings.ClientId, clientId);
            c.Username = clientId + ";" + SdkAppId + ";" + connId + ";" + expiry.ToString();
            byte[] key = Base64.Decode(_settings.DeviceSecret);
            if (key != null && key.Length > 0)
            {
                byte[] sign = Hmac.HmacSha256(key, Encoding.UTF8.GetBytes(c.Username));
                c.Password = Hex.ToHex(sign, 0, sign.Length) + ";hmacsha256";
            }
            return c;
        }

        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            ReportVersion(runningVersion, publisher);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            result.Clear();
            if (topic != _updateTopic) return;

            string error;
            Hashtable root = JsonReader.ParseObject(payload, out error);
            if (root == null)
            {
                Malformed(result, "update: " + error);
                return;
            }
            string type = root["type"] as string;
            if (type == null)
            {
                Malformed(result, "update: \"type\" missing or not a string");
                return;
            }
            // report_version_rsp and any other reply: acknowledgements the agent does not need.
            if (type != "update_firmware") return;

            string version = JsonGet.GetString(root, "version");
            if (version == null || version.Length == 0)
            {
                Malformed(result, "update_firmware: version missing");
                return;
            }
            string url = root["url"] as string;
            if (url == null || url.Length == 0)
            {
                Malformed(result, "update_firmware: url missing or not a string");
                return;
            }
            string md5 = root["md5sum"] as string;
            if (md5 == null || md5.Length == 0)
            {
                Malformed(result, "update_firmware: md5sum missing or not a string");
                return;
            }
            long size;
            if (!JsonGet.TryGetLong(root, "file_size", out size) || size < 0)
            {
                Malformed(result, "update_firmware: file_size missing or not a non-negative integer");
                return;
            }

            result.SetOffer(AdapterText.HttpOffer(version, size, HashAlgorithmKind.Md5, md5, url));
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            // report_progress carries the version being installed (as the SDK does); "done" the new running one.
            string target = report.Offer != null && report.Offer.Version != null ? report.Offer.Version : report.RunningVersion;
            switch (report.Kind)
            {
                case ReportKind.Version:
                    ReportVersion(report.RunningVersion, publisher);
                    return;
                case ReportKind.Downloading:
                    Progress("downloading", AdapterText.Percent(report.Percent).ToString(), "0", "", target, publisher);
                    return;
                case ReportKind.Downloaded:
                    Progress("downloading", "100", "0", "", target, publisher);
                    return;
                case ReportKind.Verified:
                    // No verification state on this platform: burning follows.
                    return;
                case ReportKind.Installing:
                    Progress("burning", null, "0", "", target, publisher);
                    return;
                case ReportKind.Updated:
                    Progress("done", null, "0", "", report.RunningVersion, publisher);
                    return;
                case ReportKind.Failed:
                    Progress("fail", null, ResultCode(report.Error), AdapterText.Or(report.Message, Description(report.Error)), target, publisher);
                    return;
            }
        }

        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            return false;
        }

        /// <summary>
        /// The document's result codes: -1 download timed out, -2 file does not exist, -3 signature
        /// expired, -4 MD5 does not match, -5 firmware update failed.
        /// </summary>
        public static string ResultCode(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.DownloadFailed:
                    return "-1";
                case UpdateError.FileNotFound:
                case UpdateError.InvalidUri:
                    return "-2";
                case UpdateError.AccessDenied:
                    return "-3";
                case UpdateError.ChecksumMismatch:
                case UpdateError.SignatureInvalid:
                    return "-4";
                default:
                    // InvalidOffer, NotEnoughSpace, UriNotAllowed, UnsupportedAlgorithm, InvalidImage,
                    // DowngradeRefused, FlashFailed, SelfTestFailed, BootFailed, None.
                    return "-5";
            }
        }

        private static string Description(UpdateError error)
        {
            switch (error)
            {
                case UpdateError.DownloadFailed: return "time_out";
                case UpdateError.FileNotFound: return "file_not_exist";
                case UpdateError.InvalidUri: return "invalid_url";
                case UpdateError.AccessDenied: return "auth_fail";
                case UpdateError.ChecksumMismatch: return "md5_not_match";
                case UpdateError.SignatureInvalid: return "signature_invalid";
                case UpdateError.NotEnoughSpace: return "not_enough_space";
                case UpdateError.UriNotAllowed: return "url_not_allowed";
                case UpdateError.InvalidImage: return "invalid_image";
                case UpdateError.DowngradeRefused: return "downgrade_refused";
                case UpdateError.InvalidOffer: return "invalid_update_message";
                case UpdateError.FlashFailed: return "burn_failed";
                case UpdateError.SelfTestFailed: return "self_test_failed_rolled_back";
                case UpdateError.BootFailed: return "boot_failed_rolled_back";
                default: return "upgrade_fail";
            }
        }

        private void ReportVersion(string version, IPublisher publisher)
        {
            var w = new JsonWriter().BeginObject();
            w.Property("type", "report_version");
            w.Name("report").BeginObject().Property("version", version == null ? "" : version).EndObject();
            publisher.Publish(_reportTopic, w.EndObject().ToUtf8(), 1);
        }

        private void Progress(string state, string percent, string resultCode, string resultMessage, string version, IPublisher publisher)
        {
            var w = new JsonWriter().BeginObject();
            w.Property("type", "report_progress");
            w.Name("report").BeginObject();
            w.Name("progress").BeginObject();
            w.Property("state", state);
            if (percent != null) w.Property("percent", percent);
            w.Property("result_code", resultCode);
            w.Property("result_msg", resultMessage);
            w.EndObject();
            w.Property("version", version == null ? "" : version);
            w.EndObject();
            publisher.Publish(_reportTopic, w.EndObject().ToUtf8(), 1);
        }

        private static string RandomConnId()
        {
            const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            var r = new Random();
            var c = new char[5];
            for (int i = 0; i < c.Length; i++) c[i] = chars[r.Next(chars.Length)];
            return new string(c);
        }

        private static void Malformed(InboundMessage result, string error)
        {
            result.SetMalformed("tencent: " + error);
        }
    }
}
