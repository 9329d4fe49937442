using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading;
using MQTTnet;
using MQTTnet.Protocol;
using NfOta.Protocols;

namespace NfOta.Host.Tests.Support
{
    /// <summary>
    /// The device side for server tests: a core platform adapter on an MQTTnet client, with inbound
    /// messages queued for the test thread to parse (the way the agent consumes them).
    /// </summary>
    public sealed class ServerTestDevice : IPublisher, IDisposable
    {
        private readonly IMqttClient _client;
        private readonly BlockingCollection<(string Topic, byte[] Payload)> _inbox = new();

        public ServerTestDevice(IPlatformAdapter adapter, int port)
        {
            Adapter = adapter;
            var c = adapter.GetCredentials();
            _client = new MqttClientFactory().CreateMqttClient();
            _client.ApplicationMessageReceivedAsync += e =>
            {
                _inbox.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
                return System.Threading.Tasks.Task.CompletedTask;
            };
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(c.ClientId)
                .WithCredentials(c.Username, c.Password)
                .WithCleanSession(true)
                .Build();
            _client.ConnectAsync(options).GetAwaiter().GetResult();
            foreach (var t in adapter.SubscribeTopics)
            {
                _client.SubscribeAsync(t, MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();
            }
        }

        public IPlatformAdapter Adapter { get; }

        public bool Publish(string topic, byte[] payload, int qos)
        {
            var m = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).Build();
            _client.PublishAsync(m).GetAwaiter().GetResult();
            return true;
        }

        /// <summary>Parses inbound messages until one is not Ignored, or null after the timeout.</summary>
        public InboundMessage Next(int timeoutMs)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_inbox.TryTake(out var m, left))
                {
                    return null;
                }
                var result = new InboundMessage();
                Adapter.Parse(m.Topic, m.Payload, result, this);
                if (result.Kind != InboundKind.Ignored)
                {
                    return result;
                }
            }
        }

        public void Dispose()
        {
            try
            {
                _client.DisconnectAsync().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
            }
            _client.Dispose();
        }
    }

    /// <summary>Collects a server's reports for assertions.</summary>
    public sealed class ReportLog
    {
        private readonly BlockingCollection<NfOta.Pc.Servers.DeviceReport> _reports = new();

        public ReportLog(NfOta.Pc.Servers.IPlatformServer server)
        {
            server.ReportReceived += r => _reports.Add(r);
        }

        /// <summary>Waits for a report matching the predicate (earlier ones are consumed).</summary>
        public NfOta.Pc.Servers.DeviceReport WaitFor(Func<NfOta.Pc.Servers.DeviceReport, bool> match, int timeoutMs = 5000)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_reports.TryTake(out var r, left))
                {
                    return null;
                }
                if (match(r))
                {
                    return r;
                }
            }
        }
    }
}
