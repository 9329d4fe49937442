using System;
using System.Collections.Generic;
using NfOta.Agent;
using NfOta.Host.Tests.Support;
using NfOta.Pc.Net;
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
        private readonly EmbeddedBroker _broker;
        private readonly ReportLog _reports;

        public int Port { get; }
        public IPlatformAdapter Adapter { get; }
        public MqttPlatformServer Server { get; }

        /// <summary>The device side, once <see cref="ConnectDevice"/> has run.</summary>
        public ServerTestDevice Device { get; private set; }

        public AdapterServerLink(IPlatformAdapter adapter, MqttPlatformServer server)
        {
            Adapter = adapter;
            Server = server;
            _broker = new EmbeddedBroker();
            Port = _broker.Port;
            _reports = new ReportLog(server);
            server.Start("127.0.0.1", Port);
        }

        /// <summary>Connects the device as the agent would, then runs OnConnected.</summary>
        public void ConnectDevice(string runningVersion)
        {
            Device = new ServerTestDevice(Adapter, Port);
            Adapter.OnConnected(runningVersion, Device);
        }

        /// <summary>Parses incoming messages until one is not Ignored, or the timeout passes (then null).</summary>
        public InboundMessage Next(int timeoutMs = 5000) => Device.Next(timeoutMs);

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
        public DeviceReport WaitReport(Func<DeviceReport, bool> match, int timeoutMs = 5000) => _reports.WaitFor(match, timeoutMs);

        public void Dispose()
        {
            Device?.Dispose();
            Server.Dispose();
            _broker.Dispose();
        }
    }
}
