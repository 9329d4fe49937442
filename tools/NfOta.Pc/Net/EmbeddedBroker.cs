using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using MQTTnet.Server;

namespace NfOta.Pc.Net
{
    /// <summary>
    /// MQTTnet's in-process MQTT server on 127.0.0.1: the default broker of the PC tools and tests,
    /// since it needs nothing installed. Anonymous, no persistence. With a certificate it listens
    /// with TLS only (MQTTS), to exercise the TLS path of the device binding.
    /// </summary>
    public sealed class EmbeddedBroker : IBroker
    {
        private readonly object _lock = new object();
        private readonly X509Certificate2 _tlsCertificate;
        private readonly IPAddress _bindAddress;
        private MqttServer _server;

        /// <summary>
        /// Starts a broker on the given port, or on a free one when port is 0; TLS only when a certificate
        /// (with private key) is given. Listens on 127.0.0.1 unless bindAddress says otherwise (IPAddress.Any
        /// lets a real board on the LAN connect).
        /// </summary>
        public EmbeddedBroker(int port = 0, X509Certificate2 tlsCertificate = null, IPAddress bindAddress = null)
        {
            Port = port == 0 ? FreePort.Pick() : port;
            _tlsCertificate = tlsCertificate;
            _bindAddress = bindAddress ?? IPAddress.Loopback;
            Host = _bindAddress.Equals(IPAddress.Any) ? "127.0.0.1" : _bindAddress.ToString();
            Start();
        }

        /// <summary>True when clients must connect with TLS.</summary>
        public bool UsesTls => _tlsCertificate != null;

        /// <summary>A throwaway self-signed server certificate for TLS tests (clients must allow untrusted certificates).</summary>
        public static X509Certificate2 CreateSelfSignedCertificate(string hostName = "localhost")
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=" + hostName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(hostName);
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            // Round-trip through PKCS#12 so the private key is usable by SslStream on every OS.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        }

        public string Name => "embedded";

        /// <summary>An address local clients can connect to.</summary>
        public string Host { get; }

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

                var builder = new MqttServerOptionsBuilder();
                if (_tlsCertificate == null)
                {
                    builder.WithDefaultEndpoint()
                        .WithDefaultEndpointBoundIPAddress(_bindAddress)
                        .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                        .WithDefaultEndpointPort(Port);
                }
                else
                {
                    builder.WithoutDefaultEndpoint()
                        .WithEncryptedEndpoint()
                        .WithEncryptedEndpointBoundIPAddress(_bindAddress)
                        .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                        .WithEncryptedEndpointPort(Port)
                        .WithEncryptionCertificate(_tlsCertificate);
                }

                var options = builder.Build();
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

        public override string ToString() => "embedded MQTTnet broker on " + Host + ":" + Port + (UsesTls ? " (TLS)" : string.Empty);
    }
}
