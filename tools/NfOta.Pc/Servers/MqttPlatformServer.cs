using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using MQTTnet;
using MQTTnet.Protocol;

namespace NfOta.Pc.Servers
{
    /// <summary>
    /// The shared plumbing of every stand-in server: one MQTTnet client on the broker, inbound
    /// messages handled in order on one worker thread (so a platform's handler never runs inside
    /// MQTTnet's receive loop), and a report event. A platform subclass only names its topics and
    /// speaks its wire format.
    /// </summary>
    public abstract class MqttPlatformServer : IPlatformServer
    {
        private readonly BlockingCollection<(string Topic, byte[] Payload)> _inbox = new();
        private readonly ConcurrentDictionary<int, bool> _dropOnce = new();
        private IMqttClient _client;
        private MqttClientOptions _options;
        private Thread _worker;
        private Thread _keeper;
        private volatile bool _stopped;

        public abstract string Platform { get; }

        public event Action<DeviceReport> ReportReceived;

        /// <summary>Topic filters the server listens on.</summary>
        protected abstract string[] ServerTopics { get; }

        /// <summary>Handles one message from the device, on the worker thread.</summary>
        protected abstract void OnMessage(string topic, byte[] payload);

        public abstract void Release(PackagedImage image);

        public bool CorruptImage { get; set; }

        public virtual void Start(string brokerHost, int brokerPort)
        {
            _client = new MqttClientFactory().CreateMqttClient();
            _client.ApplicationMessageReceivedAsync += e =>
            {
                var m = e.ApplicationMessage;
                _inbox.Add((m.Topic, m.Payload.ToArray()));
                return System.Threading.Tasks.Task.CompletedTask;
            };
            _options = new MqttClientOptionsBuilder()
                .WithTcpServer(brokerHost, brokerPort)
                .WithClientId("nf-ota-" + Platform + "-server-" + Guid.NewGuid().ToString("N").Substring(0, 8))
                .WithCleanSession(true)
                .Build();
            ConnectAndSubscribe();
            // A platform stays up when its broker restarts: reconnect and subscribe again, as a cloud does.
            _keeper = new Thread(KeepConnected) { IsBackground = true, Name = Platform + "-server-link" };
            _keeper.Start();

            _worker = new Thread(Work) { IsBackground = true, Name = Platform + "-server" };
            _worker.Start();
        }

        /// <summary>Times the server reconnected after its broker connection dropped.</summary>
        public int Reconnects { get; private set; }

        private void KeepConnected()
        {
            while (!_stopped)
            {
                Thread.Sleep(100);
                if (_stopped || _client.IsConnected)
                {
                    continue;
                }

                try
                {
                    ConnectAndSubscribe();
                    Reconnects++;
                }
                catch (Exception)
                {
                    // The broker is still away: try again shortly.
                }
            }
        }

        private void ConnectAndSubscribe()
        {
            _client.ConnectAsync(_options).GetAwaiter().GetResult();
            foreach (var filter in ServerTopics)
            {
                _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
            }
        }

        protected void Publish(string topic, string json, bool retain = false) =>
            Publish(topic, Encoding.UTF8.GetBytes(json), retain);

        protected void Publish(string topic, byte[] payload, bool retain = false)
        {
            if (_stopped || _client == null)
            {
                return;
            }

            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(retain)
                .Build();
            try
            {
                _client.PublishAsync(message).GetAwaiter().GetResult();
            }
            catch (Exception) when (_stopped || !_client.IsConnected)
            {
                // Stopped, or the broker is away: the message is lost, as on a real link.
            }
        }

        /// <summary>
        /// Handles one message as if it had arrived from the device through the broker, on the caller's
        /// thread: lets tests read a device's publishes with the platform's own parsing, without a broker.
        /// </summary>
        public void Hear(string topic, byte[] payload) => OnMessage(topic, payload);

        protected void Raise(DeviceReport report) => ReportReceived?.Invoke(report);

        /// <summary>Reports a device message on an OTA topic that is not a JSON object.</summary>
        protected void RaiseMalformed(string topic, string text) =>
            Raise(new DeviceReport(Platform, "malformed", null, null, "not a JSON object", topic, text) { IsFailure = true });

        /// <summary>The bytes a release serves: the image, or a corrupted copy when <see cref="CorruptImage"/> is set.</summary>
        protected byte[] ServedBytes(PackagedImage image) => CorruptImage ? image.Corrupted().Bytes : image.Bytes;

        /// <summary>Leaves the first request for chunk <paramref name="index"/> unanswered, as a lost message.</summary>
        protected void DropOnce(int index) => _dropOnce[index] = true;

        /// <summary>True, once, when the request for chunk <paramref name="index"/> is to go unanswered.</summary>
        protected bool TakeDrop(int index) => _dropOnce.TryRemove(index, out _);

        /// <summary>
        /// The answer to a request for chunk <paramref name="index"/>: its bytes, or null when the request
        /// goes unanswered (dropped once by <see cref="DropOnce"/>, or past the end of the image).
        /// </summary>
        protected byte[] AnswerChunk(byte[] image, int index, int size) =>
            TakeDrop(index) ? null : ChunkOf(image, index, size);

        /// <summary>
        /// Chunk <paramref name="index"/> of <paramref name="size"/> bytes of <paramref name="image"/> (the last
        /// one shorter); null when it starts past the end.
        /// </summary>
        protected static byte[] ChunkOf(byte[] image, int index, int size)
        {
            long offset = (long)index * size;
            if (offset >= image.Length)
            {
                return null;
            }
            int n = (int)Math.Min(size, image.Length - offset);
            var chunk = new byte[n];
            Buffer.BlockCopy(image, (int)offset, chunk, 0, n);
            return chunk;
        }

        /// <summary>The message as a JSON object; null when it is not one.</summary>
        protected static JsonObject ParseObject(byte[] payload)
        {
            try
            {
                return JsonNode.Parse(payload) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <inheritdoc cref="ParseObject(byte[])"/>
        protected static JsonObject ParseObject(string text)
        {
            try
            {
                return JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>A string property; null when missing or not a string (also when <paramref name="o"/> is null).</summary>
        protected static string Text(JsonObject o, string key) =>
            o?[key] is JsonValue v && v.TryGetValue(out string s) ? s : null;

        /// <summary>An integer property; null when missing or not an integer.</summary>
        protected static int? Number(JsonObject o, string key) =>
            o?[key] is JsonValue v && v.TryGetValue(out int i) ? i : null;

        private void Work()
        {
            try
            {
                foreach (var (topic, payload) in _inbox.GetConsumingEnumerable())
                {
                    try
                    {
                        OnMessage(topic, payload);
                    }
                    catch (Exception ex)
                    {
                        Console.Error.WriteLine($"{Platform} server: {topic}: {ex.Message}");
                    }
                }
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public virtual void Dispose()
        {
            _stopped = true;
            _inbox.CompleteAdding();
            try
            {
                _client?.DisconnectAsync().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
            }

            _client?.Dispose();
            _worker?.Join(2000);
            _keeper?.Join(2000);
        }
    }
}
