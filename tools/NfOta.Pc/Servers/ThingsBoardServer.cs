using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// ThingsBoard's side of a firmware update (seed document 004) for one device on a plain broker:
    /// a release becomes the fw_* shared attributes (pushed on v1/devices/me/attributes and answered to
    /// attribute requests), chunk requests on v2/fw/request/{id}/chunk/{n} are answered from the image,
    /// and fw_state telemetry becomes <see cref="DeviceReport"/>s.
    /// </summary>
    public sealed class ThingsBoardServer : MqttPlatformServer
    {
        private readonly string _checksumAlgorithm;
        private readonly ConcurrentDictionary<int, bool> _truncateOnce = new();
        private readonly ConcurrentDictionary<int, bool> _dropAlways = new();
        private (string Topic, byte[] Chunk)? _held;
        private volatile PackagedImage _released;
        private volatile byte[] _served;

        /// <param name="checksumAlgorithm">fw_checksum_algorithm to announce: MD5, SHA256 (ThingsBoard's default), SHA384, SHA512 or CRC32.</param>
        public ThingsBoardServer(string checksumAlgorithm = "SHA256")
        {
            _checksumAlgorithm = checksumAlgorithm.ToUpperInvariant();
        }

        public override string Platform => "thingsboard";

        /// <summary>Chunk requests answered so far (re-requests included).</summary>
        public int ChunksServed { get; private set; }

        /// <summary>Chunk requests left unanswered by <see cref="DropChunkOnce"/>.</summary>
        public int ChunksDropped { get; private set; }

        /// <summary>Answers sent twice by <see cref="DuplicateChunks"/>, swapped by <see cref="ReorderChunks"/>, cut by <see cref="TruncateChunkOnce"/>.</summary>
        public int ChunksDuplicated { get; private set; }

        public int ChunksReordered { get; private set; }

        public int ChunksTruncated { get; private set; }

        /// <summary>Chunk sizes the device asked for, as last seen.</summary>
        public int LastChunkSize { get; private set; }

        /// <summary>Leaves the first request for chunk <paramref name="index"/> unanswered, as a lost message.</summary>
        public void DropChunkOnce(int index) => DropOnce(index);

        /// <summary>Never answers chunk <paramref name="index"/>, as a platform that lost the image part way.</summary>
        public void DropChunkAlways(int index) => _dropAlways[index] = true;

        /// <summary>Cuts the first answer for chunk <paramref name="index"/> to half its length, as a truncated message.</summary>
        public void TruncateChunkOnce(int index) => _truncateOnce[index] = true;

        /// <summary>Answers every chunk request twice, as a QoS 1 redelivery does.</summary>
        public bool DuplicateChunks { get; set; }

        /// <summary>
        /// Holds each answer until the next request and sends the two swapped, so chunks arrive out of
        /// order (the last chunk of the image is never held).
        /// </summary>
        public bool ReorderChunks { get; set; }

        protected override string[] ServerTopics => new[]
        {
            "v1/devices/me/telemetry",
            "v1/devices/me/attributes/request/+",
            "v2/fw/request/+/chunk/+"
        };

        public override void Release(PackagedImage image)
        {
            _served = ServedBytes(image);
            _released = image;
            Publish("v1/devices/me/attributes", SharedAttributes(image, null).ToJsonString());
        }

        /// <summary>The fw_* shared attributes of a release, in ThingsBoard's order, optionally only the requested keys.</summary>
        public JsonObject SharedAttributes(PackagedImage image, string[] keys)
        {
            var all = new JsonObject
            {
                ["fw_title"] = image.Title,
                ["fw_version"] = image.Version,
                ["fw_size"] = image.Size,
                ["fw_checksum_algorithm"] = _checksumAlgorithm,
                ["fw_checksum"] = image.Digest(_checksumAlgorithm),
            };
            if (keys == null)
            {
                return all;
            }

            var some = new JsonObject();
            foreach (var k in keys)
            {
                if (all.TryGetPropertyValue(k, out var v))
                {
                    some[k] = v?.DeepClone();
                }
            }
            return some;
        }

        protected override void OnMessage(string topic, byte[] payload)
        {
            if (topic.StartsWith("v2/fw/request/", StringComparison.Ordinal))
            {
                ServeChunk(topic, payload);
            }
            else if (topic.StartsWith("v1/devices/me/attributes/request/", StringComparison.Ordinal))
            {
                AnswerAttributes(topic, payload);
            }
            else if (topic == "v1/devices/me/telemetry")
            {
                var report = ParseTelemetry(topic, payload, _released?.Version);
                if (report != null)
                {
                    Raise(report);
                }
            }
        }

        private void AnswerAttributes(string topic, byte[] payload)
        {
            string id = topic.Substring("v1/devices/me/attributes/request/".Length);
            string[] keys = null;
            try
            {
                var req = JsonNode.Parse(payload) as JsonObject;
                var shared = req?["sharedKeys"]?.GetValue<string>();
                if (shared != null)
                {
                    keys = shared.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                }
            }
            catch (Exception)
            {
                // ThingsBoard answers a malformed request with nothing useful either.
            }

            var image = _released;
            var response = new JsonObject();
            if (image != null && keys != null)
            {
                var shared = SharedAttributes(image, keys);
                if (shared.Count > 0)
                {
                    response["shared"] = shared;
                }
            }
            Publish("v1/devices/me/attributes/response/" + id, response.ToJsonString());
        }

        private void ServeChunk(string topic, byte[] payload)
        {
            // v2/fw/request/{requestId}/chunk/{chunkIndex}
            var parts = topic.Split('/');
            if (parts.Length != 6 || parts[4] != "chunk" || !int.TryParse(parts[5], out int index) || index < 0)
            {
                return;
            }

            var bytes = _served;
            if (bytes == null)
            {
                return;
            }

            int size = ChunkSize(payload);
            LastChunkSize = size;
            if (TakeDrop(index) || _dropAlways.ContainsKey(index))
            {
                ChunksDropped++;
                return;
            }

            byte[] chunk;
            if (size <= 0)
            {
                // No size: the whole image in one message, as ThingsBoard does.
                chunk = index == 0 ? bytes : Array.Empty<byte>();
            }
            else
            {
                // Past the end ThingsBoard answers with an empty payload.
                chunk = ChunkOf(bytes, index, size) ?? Array.Empty<byte>();
            }
            if (_truncateOnce.TryRemove(index, out _) && chunk.Length > 1)
            {
                Array.Resize(ref chunk, chunk.Length / 2);
                ChunksTruncated++;
            }

            ChunksServed++;
            string responseTopic = "v2/fw/response/" + parts[3] + "/chunk/" + index;
            if (ReorderChunks)
            {
                bool last = size <= 0 || (long)(index + 1) * size >= bytes.Length;
                if (_held is { } held)
                {
                    _held = null;
                    Publish(responseTopic, chunk);
                    Publish(held.Topic, held.Chunk);
                    ChunksReordered++;
                    return;
                }

                if (!last)
                {
                    _held = (responseTopic, chunk);
                    return;
                }
            }

            Publish(responseTopic, chunk);
            if (DuplicateChunks)
            {
                Publish(responseTopic, chunk);
                ChunksDuplicated++;
            }
        }

        /// <summary>
        /// The requested chunk size: {"chunkSize": N} as the seed document writes it, or the bare number
        /// the ThingsBoard SDKs and server use; 0 when absent.
        /// </summary>
        public static int ChunkSize(byte[] payload)
        {
            string text = Encoding.UTF8.GetString(payload ?? Array.Empty<byte>()).Trim();
            if (text.Length == 0)
            {
                return 0;
            }
            if (int.TryParse(text, out int bare))
            {
                return bare;
            }
            try
            {
                var o = JsonNode.Parse(text) as JsonObject;
                if (o != null && o["chunkSize"] is JsonValue v && v.TryGetValue(out int n))
                {
                    return n;
                }
            }
            catch (JsonException)
            {
            }
            return 0;
        }

        /// <summary>Reads one telemetry message into a report; null when it says nothing about firmware.</summary>
        public static DeviceReport ParseTelemetry(string topic, byte[] payload, string releasedVersion)
        {
            string text = Encoding.UTF8.GetString(payload);
            JsonObject values;
            try
            {
                var node = JsonNode.Parse(text);
                // Telemetry may also come as {"ts":..,"values":{..}} or an array of those.
                if (node is JsonArray arr)
                {
                    node = arr.LastOrDefault();
                }
                values = node as JsonObject;
                if (values != null && values["values"] is JsonObject inner)
                {
                    values = inner;
                }
            }
            catch (JsonException)
            {
                return null;
            }
            if (values == null)
            {
                return null;
            }

            string state = Text(values, "fw_state");
            string version = Text(values, "current_fw_version");
            if (state == null && version == null)
            {
                return null;
            }

            int? percent = Number(values, "fw_progress");
            string error = Text(values, "fw_error");
            return new DeviceReport("thingsboard", state ?? "VERSION", percent, version, error, topic, text)
            {
                IsFailure = state == "FAILED",
                IsSuccess = state == "UPDATED" && version != null && (releasedVersion == null || version == releasedVersion),
            };
        }
    }
}
