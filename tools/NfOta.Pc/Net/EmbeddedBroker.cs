using System;
using System.Net;
using System.Threading;
using MQTTnet.Server;

namespace NfOta.Pc.Net
{
    /// <summary>
    /// MQTTnet's in-process MQTT server on 127.0.0.1: the default broker of the PC tools and tests,
    /// since it needs nothing installed. Anonymous, no persistence.
    /// </summary>
    public sealed class EmbeddedBroker : IBroker
    {
        private readonly object _lock = new object();
        private MqttServer _server;

        /// <summary>Starts a broker on the given port, or on a free one when port is 0.</summary>
        public EmbeddedBroker(int port = 0)
        {
            Port = port == 0 ? FreePort.Pick() : port;
            Start();
        }

        public string Name => "embedded";

        public string Host => "127.0.0.1";

        public int Port { get; }

        /// <summary>How long <see cref="Restart"/> keeps the broker down.</summary>
        public int RestartDowntimeMs { get; set; } = 200;

        public bool IsRunning
        {
            get
            {
                lock (_lock)
                {
                    return _server != null && _server.IsStarted;
                }
            }
        }

        /// <summary>The running server, for tests that want to inspect or intercept; null while stopped.</summary>
        public MqttServer Server => _server;

        public void Start()
        {
            lock (_lock)
            {
                if (_server != null)
                {
                    return;
                }

                var options = new MqttServerOptionsBuilder()
                    .WithDefaultEndpoint()
                    .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                    .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                    .WithDefaultEndpointPort(Port)
                    .Build();
                var server = new MqttServerFactory().CreateMqttServer(options);
                server.StartAsync().GetAwaiter().GetResult();
                _server = server;
            }
        }

        public void Stop()
        {
            lock (_lock)
            {
                var server = _server;
                _server = null;
                if (server == null)
                {
                    return;
                }

                try
                {
                    server.StopAsync().GetAwaiter().GetResult();
                }
                finally
                {
                    server.Dispose();
                }
            }
        }

        public void Restart()
        {
            Stop();
            Thread.Sleep(RestartDowntimeMs);
            Start();
        }

        public void Dispose() => Stop();

        public override string ToString() => "embedded MQTTnet broker on " + Host + ":" + Port;
    }
}
