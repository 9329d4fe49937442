using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// Tencent Cloud IoT Hub's side of a firmware update (seed document 001) for one device: a release
    /// is published over HTTP and pushed as update_firmware on $ota/update/{productID}/{deviceName};
    /// every report_version is acknowledged with report_version_rsp and, while a release is pending for
    /// another version, answered with the update_firmware again (how the platform delivers an update
    /// to a device that was offline); report_progress messages become <see cref="DeviceReport"/>s.
    /// </summary>
    public sealed class TencentServer : MqttPlatformServer
    {
        private readonly string _productId;
        private readonly string _deviceName;
        private readonly Func<string, byte[], string> _publishFile;
        private volatile PackagedImage _released;
        private volatile string _url;

        /// <param name="publishFile">Makes bytes downloadable and returns their URL (e.g. RangeFileServer.Publish).</param>
        public TencentServer(string productId, string deviceName, Func<string, byte[], string> publishFile)
        {
            _productId = productId;
            _deviceName = deviceName;
            _publishFile = publishFile ?? throw new ArgumentNullException(nameof(publishFile));
        }

        public override string Platform => "tencent";

        public string Url => _url;

        private string Suffix => _productId + "/" + _deviceName;

        protected override string[] ServerTopics => new[] { "$ota/report/" + Suffix };

        public override void Release(PackagedImage image)
        {
            var bytes = ServedBytes(image);
            _url = _publishFile("tencent/" + _productId + "/" + _deviceName + "/" + image.Version + ".bin", bytes);
            _released = image;
            Publish("$ota/update/" + Suffix, UpdateFirmware(image, _url).ToJsonString());
        }

        /// <summary>The document's update_firmware message.</summary>
        public static JsonObject UpdateFirmware(PackagedImage image, string url) => new JsonObject
        {
            ["type"] = "update_firmware",
            ["version"] = image.Version,
            ["url"] = url,
            ["md5sum"] = image.Md5,
            ["file_size"] = image.Size,
        };

        protected override void OnMessage(string topic, byte[] payload)
        {
            var report = ParseReport(topic, payload, _released?.Version);
            if (report == null)
            {
                return;
            }

            if (report.State == "version")
            {
                Publish("$ota/update/" + Suffix, new JsonObject
                {
                    ["type"] = "report_version_rsp",
                    ["version"] = report.Version,
                    ["result_code"] = 0,
                    ["result_msg"] = "success",
                }.ToJsonString());
                var image = _released;
                if (image != null && report.Version != image.Version)
                {
                    Publish("$ota/update/" + Suffix, UpdateFirmware(image, _url).ToJsonString());
                }
            }
            Raise(report);
        }

        /// <summary>Reads a report_version or report_progress message; null for anything else.</summary>
        public static DeviceReport ParseReport(string topic, byte[] payload, string releasedVersion)
        {
            string text = Encoding.UTF8.GetString(payload);
            JsonObject root = ParseObject(text);
            var report = root?["report"] as JsonObject;
            string type = Text(root, "type");
            if (report == null || type == null)
            {
                return null;
            }

            string version = Text(report, "version");
            if (type == "report_version")
            {
                return new DeviceReport("tencent", "version", null, version, null, topic, text)
                {
                    IsSuccess = version != null && version == releasedVersion,
                };
            }
            if (type != "report_progress")
            {
                return null;
            }

            // The progress object of the SDK; a progress string (as the document prints it) is surfaced as a device bug.
            if (report["progress"] is not JsonObject progress)
            {
                return new DeviceReport("tencent", "(progress is not an object)", null, version, null, topic, text);
            }
            string state = Text(progress, "state") ?? "(no state)";
            int? percent = int.TryParse(Text(progress, "percent"), out int p) ? p : null;
            string code = Text(progress, "result_code");
            string message = Text(progress, "result_msg");
            bool failed = state == "fail";
            return new DeviceReport("tencent", state, percent, version, failed ? code + " " + message : null, topic, text)
            {
                IsFailure = failed,
                IsSuccess = state == "done" && version != null && version == releasedVersion,
            };
        }
    }
}
