using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// The server side of nf-ota's own protocol (docs/platforms-enos-golioth-selfhosted.md) for one
    /// device: a release is the retained offer on <c>nfota/{device}/offer</c>; its bytes come from an
    /// HTTP range server (when <c>publishFile</c> is given) or as MQTT chunks answered on
    /// <c>nfota/{device}/chunk/resp/{index}</c>; hello and status messages become <see cref="DeviceReport"/>s.
    /// </summary>
    public sealed class SelfHostedServer : MqttPlatformServer
    {
        private readonly string _root;
        private readonly Func<string, byte[], string> _publishFile;
        private readonly string _digest;
        private readonly ConcurrentDictionary<string, byte[]> _served = new();
        private volatile PackagedImage _released;

        /// <param name="publishFile">Serves bytes under a path and returns their URL (RangeFileServer.Publish);
        /// null delivers the image as MQTT chunks.</param>
        /// <param name="digest">"sha256" (default) or "md5".</param>
        public SelfHostedServer(string deviceName, Func<string, byte[], string> publishFile = null, string digest = "sha256")
        {
            _root = "nfota/" + deviceName + "/";
            _publishFile = publishFile;
            _digest = digest.ToLowerInvariant();
            if (_digest != "sha256" && _digest != "md5") throw new ArgumentException("digest must be sha256 or md5", nameof(digest));
        }

        public override string Platform => "selfhosted";

        /// <summary>Chunk requests answered so far (re-requests included).</summary>
        public int ChunksServed { get; private set; }

        /// <summary>Leaves the first request for chunk <paramref name="index"/> unanswered, as a lost message.</summary>
        public void DropChunkOnce(int index) => DropOnce(index);

        /// <summary>The offer of the last release, as published.</summary>
        public string Offer { get; private set; }

        protected override string[] ServerTopics => new[] { _root + "hello", _root + "status", _root + "chunk/req" };

        public override void Release(PackagedImage image)
        {
            byte[] served = ServedBytes(image);
            _served[image.Version] = served;
            _released = image;
            var offer = new JsonObject
            {
                ["version"] = image.Version,
                ["size"] = image.Size,
                [_digest] = image.Digest(_digest),
            };
            if (_publishFile != null)
            {
                offer["url"] = _publishFile("/nfota/" + image.Title + "-" + image.Version + ".bin", served);
            }
            Offer = offer.ToJsonString();
            Publish(_root + "offer", Offer, retain: true);
        }

        /// <summary>Withdraws the offer (an empty retained message clears it on the broker).</summary>
        public void Clear()
        {
            _released = null;
            Publish(_root + "offer", Array.Empty<byte>(), retain: true);
        }

        protected override void OnMessage(string topic, byte[] payload)
        {
            string text = Encoding.UTF8.GetString(payload);
            JsonObject msg = ParseObject(payload);
            if (msg == null)
            {
                RaiseMalformed(topic, text);
                return;
            }
            var released = _released;
            string version = Text(msg, "version");
            if (topic == _root + "chunk/req")
            {
                ServeChunk(version, msg);
                return;
            }
            if (topic == _root + "hello")
            {
                Raise(new DeviceReport(Platform, "hello", null, version, null, topic, text)
                {
                    IsSuccess = released != null && version == released.Version,
                });
                return;
            }
            string state = Text(msg, "state") ?? "?";
            int? percent = Number(msg, "percent");
            string error = Text(msg, "error");
            string message = Text(msg, "message");
            Raise(new DeviceReport(Platform, state, percent, version,
                error == null ? null : (message == null ? error : error + ": " + message), topic, text)
            {
                IsFailure = state == "failed",
                IsSuccess = state == "updated" && released != null && version == released.Version,
            });
        }

        private void ServeChunk(string version, JsonObject req)
        {
            int index = Number(req, "index") ?? -1;
            int size = Number(req, "size") ?? -1;
            if (version == null || index < 0 || size <= 0 || !_served.TryGetValue(version, out byte[] bytes))
            {
                return;
            }
            byte[] chunk = AnswerChunk(bytes, index, size);
            if (chunk == null)
            {
                return;
            }
            ChunksServed++;
            Publish(_root + "chunk/resp/" + index, chunk);
        }
    }
}
