using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// EnOS's side of a firmware upgrade (seed document 002) for one device on a plain broker: a release
    /// is pushed on /sys/{pk}/{dk}/ota/device/upgrade and kept as the answer to getversion; the file is
    /// served by an HTTP range server; inform and progress requests are acknowledged with their id and
    /// become <see cref="DeviceReport"/>s.
    /// </summary>
    public sealed class EnosServer : MqttPlatformServer
    {
        private readonly string _prefix;
        private readonly Func<string, byte[], string> _publishFile;
        private readonly string _signMethod;
        private readonly object _gate = new();
        private JsonObject _pending;
        private PackagedImage _released;
        private int _nextId = 1000;

        /// <param name="publishFile">Serves bytes under a path and returns their URL (RangeFileServer.Publish).</param>
        /// <param name="signMethod">signMethod to announce: md5 (the document's example) or sha256.</param>
        /// <param name="relativeFileUrl">Send fileUrl as a path, as EnOS does; the device then needs
        /// download.baseUrl = <see cref="FileBaseUrl"/>. False sends the absolute URL.</param>
        public EnosServer(string productKey, string deviceKey, Func<string, byte[], string> publishFile,
            string signMethod = "md5", bool relativeFileUrl = true)
        {
            _prefix = "/sys/" + productKey + "/" + deviceKey + "/ota/device/";
            _publishFile = publishFile ?? throw new ArgumentNullException(nameof(publishFile));
            _signMethod = signMethod.ToLowerInvariant();
            RelativeFileUrl = relativeFileUrl;
        }

        public override string Platform => "enos";

        public bool RelativeFileUrl { get; }

        /// <summary>Scheme, host and port of the last published file: the device's download.baseUrl.</summary>
        public string FileBaseUrl { get; private set; }

        /// <summary>Replies the device sent to upgrade pushes (their ids), in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> UpgradeReplies { get; } = new();

        protected override string[] ServerTopics => new[]
        {
            _prefix + "inform",
            _prefix + "progress",
            _prefix + "getversion",
            _prefix + "upgrade_reply",
        };

        public override void Release(PackagedImage image)
        {
            byte[] served = ServedBytes(image);
            string path = "/enos/" + Guid.NewGuid().ToString("N").Substring(0, 16) + "/ota/" + image.Title + "-" + image.Version + ".bin";
            string url = _publishFile(path, served);
            var uri = new Uri(url);
            FileBaseUrl = uri.GetLeftPart(UriPartial.Authority);
            var firmware = new JsonObject
            {
                ["version"] = image.Version,
                ["sign"] = image.Digest(_signMethod),
                ["signMethod"] = _signMethod,
                ["fileUrl"] = RelativeFileUrl ? uri.PathAndQuery : url,
                ["fileSize"] = image.Size,
            };
            lock (_gate)
            {
                _pending = firmware;
                _released = image;
            }
            var push = new JsonObject
            {
                ["id"] = NextId(),
                ["version"] = "1.0",
                ["method"] = "ota.device.upgrade",
                ["params"] = firmware.DeepClone(),
            };
            Publish(_prefix + "upgrade", push.ToJsonString());
        }

        protected override void OnMessage(string topic, byte[] payload)
        {
            JsonObject msg = ParseObject(payload);
            string id = msg?["id"]?.ToString();
            string text = System.Text.Encoding.UTF8.GetString(payload);

            if (topic == _prefix + "upgrade_reply")
            {
                UpgradeReplies.Enqueue(id);
                return;
            }
            if (msg == null)
            {
                RaiseMalformed(topic, text);
                return;
            }

            if (topic == _prefix + "getversion")
            {
                JsonArray data = new JsonArray();
                lock (_gate)
                {
                    if (_pending != null) data.Add(_pending.DeepClone());
                }
                Publish(_prefix + "getversion_reply", new JsonObject { ["id"] = id, ["code"] = 200, ["data"] = data }.ToJsonString());
                return;
            }

            Publish(topic + "_reply", new JsonObject { ["id"] = id, ["code"] = 200, ["data"] = new JsonObject() }.ToJsonString());
            var p = msg["params"] as JsonObject;
            if (topic == _prefix + "inform")
            {
                string version = p?["version"]?.GetValue<string>();
                bool success;
                lock (_gate)
                {
                    success = _released != null && version == _released.Version;
                    if (success) _pending = null; // the upgrade task is done
                }
                Raise(new DeviceReport(Platform, "inform", null, version, null, topic, text) { IsSuccess = success });
            }
            else if (topic == _prefix + "progress")
            {
                // step is a string in the document ("1", "-3"); tolerate a number.
                string step = p?["step"] is JsonValue v && v.TryGetValue(out string s) ? s : p?["step"]?.ToString();
                string desc = p?["desc"]?.ToString();
                int.TryParse(step, out int n);
                bool failed = n < 0;
                Raise(new DeviceReport(Platform, step, failed ? null : n, null,
                    failed ? StepMeaning(n) + ": " + desc : null, topic, text) { IsFailure = failed });
            }
        }

        /// <summary>The document's meaning of a negative step.</summary>
        public static string StepMeaning(int step) => step switch
        {
            -1 => "upgrade failure",
            -2 => "download failure",
            -3 => "verification failure",
            -4 => "burning failure",
            _ => step < -4 ? "custom failure" : "progress",
        };

        private string NextId() => Interlocked.Increment(ref _nextId).ToString();
    }
}
