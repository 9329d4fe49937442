using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using NfOta.Agent;
using NfOta.Pc.Servers;
using NfOta.Protocols;

namespace NfOta.Host.Tests.Protocols
{
    /// <summary>
    /// A platform adapter and its stand-in server on one in-process MQTTnet broker, with the device side
    /// driven by hand the way the agent drives it: connect with the adapter's credentials, subscribe,
    /// OnConnected, Parse every message, RequestChunk, Report. Used to check that each adapter and its
    /// server understand each other over a real broker.
    /// </summary>
    public sealed class AdapterServerLink : IDisposable
    {
        private readonly MqttServer _broker;
        private readonly IMqttClient _device;
        private readonly BlockingCollection<(string Topic, byte[] Payload)> _inbox = new();

        public int Port { get; }
        public IPlatformAdapter Adapter { get; }
        public MqttPlatformServer Server { get; }
        public BlockingCollection<DeviceReport> Reports { get; } = new();
        public Publisher Device { get; }

        public AdapterServerLink(IPlatformAdapter adapter, MqttPlatformServer server)
        {
            Adapter = adapter;
            Server = server;
            Port = PickPort();
            var options = new MqttServerOptionsBuilder().WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(Port).Build();
            _broker = new MqttServerFactory().CreateMqttServer(options);
            _broker.StartAsync().GetAwaiter().GetResult();
            server.ReportReceived += r => Reports.Add(r);
            server.Start("127.0.0.1", Port);
            _device = new MqttClientFactory().CreateMqttClient();
            _device.ApplicationMessageReceivedAsync += e =>
            {
                _inbox.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
                return System.Threading.Tasks.Task.CompletedTask;
            };
            Device = new Publisher(_device);
        }

        /// <summary>Connects the device as the agent would, then runs OnConnected.</summary>
        public void ConnectDevice(string runningVersion)
        {
            MqttCredentials c = Adapter.GetCredentials();
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port)
                .WithClientId(c.ClientId).WithCredentials(c.Username, c.Password).WithCleanSession(true).Build();
            _device.ConnectAsync(options).GetAwaiter().GetResult();
            foreach (var t in Adapter.SubscribeTopics)
            {
                _device.SubscribeAsync(t, MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
            }
            Adapter.OnConnected(runningVersion, Device);
        }

        /// <summary>Parses incoming messages until one is not Ignored, or the timeout passes (then null).</summary>
        public InboundMessage Next(int timeoutMs = 5000)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (true)
            {
                int left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
                if (left <= 0 || !_inbox.TryTake(out var m, left))
                {
                    return null;
                }
                var result = new InboundMessage();
                Adapter.Parse(m.Topic, m.Payload, result, Device);
                if (result.Kind != InboundKind.Ignored)
                {
                    return result;
                }
            }
        }

        /// <summary>Downloads an MQTT-chunk offer one chunk at a time, as a window-1 agent would.</summary>
        public byte[] DownloadChunks(UpdateOffer offer, int chunkSize)
        {
            var bytes = new List<byte>();
            int count = (int)((offer.Size + chunkSize - 1) / chunkSize);
            for (int i = 0; i < count; i++)
            {
                if (!Adapter.RequestChunk(offer, i, chunkSize, Device)) throw new InvalidOperationException("RequestChunk refused");
                InboundMessage m = Next();
                if (m == null || m.Kind != InboundKind.Chunk || m.ChunkIndex != i)
                {
                    throw new InvalidOperationException("chunk " + i + " did not arrive: " + (m == null ? "timeout" : m.Kind + " " + m.ChunkIndex));
                }
                for (int k = 0; k < m.ChunkLength; k++) bytes.Add(m.Payload[m.ChunkOffset + k]);
            }
            return bytes.ToArray();
        }

        public void Report(ReportKind kind, UpdateOffer offer, string running, UpdateError error = UpdateError.None, int percent = 0)
        {
            Adapter.Report(new StatusReport { Kind = kind, Offer = offer, RunningVersion = running, Error = error, Percent = percent }, Device);
        }

        /// <summary>Waits for a report matching <paramref name="match"/>, skipping others.</summary>
        public DeviceReport WaitReport(Func<DeviceReport, bool> match, int timeoutMs = 5000)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (true)
            {
                int left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
                if (left <= 0 || !Reports.TryTake(out var r, left)) return null;
                if (match(r)) return r;
            }
        }

        public void Dispose()
        {
            try { _device.DisconnectAsync().GetAwaiter().GetResult(); } catch (Exception) { }
            _device.Dispose();
            Server.Dispose();
            _broker.StopAsync().GetAwaiter().GetResult();
            _broker.Dispose();
        }

        private static int PickPort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int p = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return p;
        }

        public sealed class Publisher : IPublisher
        {
            private readonly IMqttClient _client;
            public Publisher(IMqttClient client) => _client = client;

            public bool Publish(string topic, byte[] payload, int qos)
            {
                var m = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                    .WithQualityOfServiceLevel(qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce).Build();
                _client.PublishAsync(m).GetAwaiter().GetResult();
                return true;
            }
        }
    }
}
