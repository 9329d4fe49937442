using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// Golioth's side of OTA over MQTT (seed document 003) on a plain broker: a release becomes the
    /// retained release manifest on <c>.u/desired</c> (so a device that subscribes later gets it at
    /// once, like an observe), block requests on <c>.u/c/{package}@{version}/get</c> are answered with
    /// the block's bytes on <c>.u/c/{package}@{version}/b/{N}</c>, and state reports on
    /// <c>.u/c/{package}</c> become <see cref="DeviceReport"/>s.
    /// </summary>
    public sealed class GoliothServer : MqttPlatformServer
    {
        public static readonly string[] StateNames = { "IDLE", "DOWNLOADING", "DOWNLOADED", "UPDATING" };

        public static readonly string[] ReasonNames =
        {
            "READY", "FIRMWARE_UPDATED_SUCCESSFULLY", "NOT_ENOUGH_FLASH_MEMORY", "OUT_OF_RAM", "CONNECTION_LOST",
            "INTEGRITY_CHECK_FAILURE", "UNSUPPORTED_PACKAGE_TYPE", "INVALID_URI", "FIRMWARE_UPDATE_FAILED", "UNSUPPORTED_PROTOCOL",
        };

        // Served bytes by "{package}@{version}", so a download of an older release can still finish.
        private readonly ConcurrentDictionary<string, byte[]> _served = new();
        private volatile PackagedImage _released;

        public override string Platform => "golioth";

        /// <summary>Block requests answered so far (re-requests included).</summary>
        public int BlocksServed { get; private set; }

        /// <summary>Leaves the first request for block <paramref name="index"/> unanswered, as a lost message.</summary>
        public void DropBlockOnce(int index) => DropOnce(index);

        /// <summary>The manifest of the last release, as published.</summary>
        public string Manifest { get; private set; }

        protected override string[] ServerTopics => new[] { ".u/c/+", ".u/c/+/get" };

        public override void Release(PackagedImage image)
        {
            string component = image.Title + "@" + image.Version;
            _served[component] = ServedBytes(image);
            _released = image;
            var manifest = new JsonObject
            {
                ["sequenceNumber"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["hash"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(component + image.Sha256))).ToLowerInvariant(),
                ["components"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["package"] = image.Title,
                        ["version"] = image.Version,
                        ["hash"] = image.Sha256,
                        ["size"] = image.Size,
                        ["uri"] = "/.u/c/" + component,
                        ["type"] = "default",
                    },
                },
            };
            Manifest = manifest.ToJsonString();
            Publish(".u/desired", Manifest, retain: true);
        }

        /// <summary>Withdraws the release: clears the retained manifest.</summary>
        public void Clear()
        {
            _released = null;
            Publish(".u/desired", Array.Empty<byte>(), retain: true);
        }

        protected override void OnMessage(string topic, byte[] payload)
        {
            string text = Encoding.UTF8.GetString(payload);
            string rest = topic.Substring(".u/c/".Length);
            if (topic.EndsWith("/get", StringComparison.Ordinal))
            {
                ServeBlock(rest.Substring(0, rest.Length - "/get".Length), text);
                return;
            }

            JsonObject report = ParseObject(payload);
            if (report == null)
            {
                RaiseMalformed(topic, text);
                return;
            }
            // Seed 003 allows the long and the short attribute names.
            int state = Int(report, "state", "s");
            int reason = Int(report, "reason", "r");
            string version = Str(report, "version", "v");
            string stateName = state >= 0 && state < StateNames.Length ? StateNames[state] : "state " + state;
            string reasonName = reason >= 0 && reason < ReasonNames.Length ? ReasonNames[reason] : "reason " + reason;
            var released = _released;
            Raise(new DeviceReport(Platform, stateName, null, version, reason >= 2 ? reasonName : null, topic, text)
            {
                IsFailure = reason >= 2,
                IsSuccess = reason == 1 && released != null && version == released.Version,
            });
        }

        private void ServeBlock(string component, string request)
        {
            int block, size;
            try
            {
                var r = JsonNode.Parse(request) as JsonObject;
                block = r?["block"]?.GetValue<int>() ?? -1;
                size = r?["size"]?.GetValue<int>() ?? -1;
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException)
            {
                return;
            }
            if (block < 0 || size <= 0 || !_served.TryGetValue(component, out byte[] bytes))
            {
                return;
            }
            byte[] chunk = AnswerChunk(bytes, block, size);
            if (chunk == null)
            {
                return;
            }
            BlocksServed++;
            Publish(".u/c/" + component + "/b/" + block, chunk);
        }

        private static int Int(JsonObject o, string longName, string shortName)
        {
            var n = o[longName] ?? o[shortName];
            return n is JsonValue v && v.TryGetValue(out int i) ? i : -1;
        }

        private static string Str(JsonObject o, string longName, string shortName)
        {
            var n = o[longName] ?? o[shortName];
            return n is JsonValue v && v.TryGetValue(out string s) ? s : null;
        }
    }
}
