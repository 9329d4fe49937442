using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// Alibaba Cloud IoT Platform's side of a firmware update (seed document 000) for one device: a
    /// release is published over HTTP and pushed on /ota/device/upgrade/{pk}/{dn}; a request on
    /// /ota/device/request is answered on the upgrade topic with the pending release or the document's
    /// "none upgrade operation" answer; inform and progress messages become <see cref="DeviceReport"/>s.
    /// </summary>
    public sealed class AlibabaServer : MqttPlatformServer
    {
        private readonly string _productKey;
        private readonly string _deviceName;
        private readonly Func<string, byte[], string> _publishFile;
        private readonly string _signMethod;
        private volatile PackagedImage _released;
        private volatile string _url;
        private long _nextId = 1_000_000;

        /// <param name="publishFile">Makes bytes downloadable and returns their URL (e.g. RangeFileServer.Publish).</param>
        /// <param name="signMethod">"Md5" (sign and md5 both set, as the platform does) or "SHA256".</param>
        public AlibabaServer(string productKey, string deviceName, Func<string, byte[], string> publishFile, string signMethod = "Md5")
        {
            _productKey = productKey;
            _deviceName = deviceName;
            _publishFile = publishFile ?? throw new ArgumentNullException(nameof(publishFile));
            _signMethod = signMethod;
        }

        public override string Platform => "alibaba";

        /// <summary>URL of the released image.</summary>
        public string Url => _url;

        private string Suffix => _productKey + "/" + _deviceName;

        protected override string[] ServerTopics => new[]
        {
            "/ota/device/inform/" + Suffix,
            "/ota/device/progress/" + Suffix,
            "/ota/device/request/" + Suffix,
        };

        public override void Release(PackagedImage image)
        {
            var bytes = ServedBytes(image);
            _url = _publishFile("alibaba/" + _productKey + "/" + _deviceName + "/" + image.Version + ".bin", bytes);
            _released = image;
            Publish("/ota/device/upgrade/" + Suffix, Push(image, _url).ToJsonString());
        }

        /// <summary>The document's push message for an image at a URL.</summary>
        public JsonObject Push(PackagedImage image, string url)
        {
            bool md5 = string.Equals(_signMethod, "Md5", StringComparison.OrdinalIgnoreCase);
            var data = new JsonObject
            {
                ["size"] = image.Size,
                ["version"] = image.Version,
                ["url"] = url,
            };
            if (md5)
            {
                data["md5"] = image.Md5;
                data["sign"] = image.Md5;
                data["signMethod"] = "Md5";
            }
            else
            {
                data["sign"] = image.Sha256;
                data["signMethod"] = "SHA256";
            }
            return new JsonObject
            {
                ["code"] = "1000",
                ["data"] = data,
                ["id"] = Interlocked.Increment(ref _nextId),
                ["message"] = "success",
            };
        }

        protected override void OnMessage(string topic, byte[] payload)
        {
            if (topic == "/ota/device/request/" + Suffix)
            {
                var image = _released;
                string answer = image == null
                    ? "{\"code\":500,\"message\":\"none upgrade operation of the device.\"}"
                    : Push(image, _url).ToJsonString();
                Publish("/ota/device/upgrade/" + Suffix, answer);
                return;
            }

            var report = ParseReport(topic, payload, Suffix, _released?.Version);
            if (report != null)
            {
                Raise(report);
            }
        }

        /// <summary>Reads an inform or progress message; null for anything else.</summary>
        public static DeviceReport ParseReport(string topic, byte[] payload, string suffix, string releasedVersion)
        {
            string text = Encoding.UTF8.GetString(payload);
            var parameters = ParseObject(text)?["params"] as JsonObject;
            if (parameters == null)
            {
                return null;
            }

            if (topic == "/ota/device/inform/" + suffix)
            {
                string version = Text(parameters, "version");
                return new DeviceReport("alibaba", "inform", null, version, null, topic, text)
                {
                    IsSuccess = version != null && releasedVersion != null && version == releasedVersion,
                };
            }

            if (topic == "/ota/device/progress/" + suffix)
            {
                // "step" is documented as a string; a number here is a device bug worth seeing.
                string step = Text(parameters, "step") ?? ("(not a string) " + parameters["step"]?.ToJsonString());
                string desc = Text(parameters, "desc");
                bool failed = step.StartsWith("-", StringComparison.Ordinal);
                int? percent = !failed && int.TryParse(step, out int p) ? p : null;
                return new DeviceReport("alibaba", step, percent, null, failed ? desc : null, topic, text)
                {
                    IsFailure = failed,
                };
            }
            return null;
        }
    }
}
