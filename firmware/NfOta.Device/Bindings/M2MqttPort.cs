// nf-ota: IMqttPort over nanoFramework.M2Mqtt.
//
// Verified against nanoframework/nanoFramework.m2mqtt at v5.1.220 (the version in packages.config):
// - M2Mqtt/MqttClient.cs: public MqttClient(string brokerHostName, int brokerPort, bool secure,
//   X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol);
//   public MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession,
//   ushort keepAlivePeriod) - throws MqttConnectionException when the socket or TLS connect fails;
//   public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) - asynchronous, answered by the
//   MqttMsgSubscribed event with the same MessageId; public ushort Publish(string topic, byte[] message,
//   string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) - throws
//   MqttClientException when the inflight queue is full; public void Disconnect(); public void Close();
//   public bool IsConnected; events MqttMsgPublishReceived, MqttMsgSubscribed, ConnectionClosed.
// - nanoFramework.M2Mqtt.Core/Messages/MqttMsgPublishEventArgs.cs (Topic, Message),
//   MqttMsgSubscribedEventArgs.cs (MessageId, GrantedQoSLevels), MqttQoSLevel.cs (AtMostOnce,
//   AtLeastOnce, GrantedFailure), MqttReasonCode.cs (Success), MqttSslProtocols.cs (None, TLSv1_2).
// - M2Mqtt/Net/MqttNetworkChannel.cs: with secure = true the channel calls SslStream.AuthenticateAsClient
//   with caCert; a null caCert leaves only the CA store of the device (nf-interpreter
//   src/PAL/COM/sockets/ssl/MbedTLS/ssl_generic_init_internal.cpp loads it for every TLS connection).
// - nanoframework/CoreLibrary v1.17.11 System/Threading/AutoResetEvent.cs, WaitHandle.WaitOne(int, bool).

using System;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using NfOta.Ports;
using NfOta.Settings;

namespace NfOta.Device.Bindings
{
    /// <summary>
    /// The broker connection on the device. Host, port, TLS and the CA certificate come from the
    /// settings; the platform adapter supplies the identity. Never throws: failures are false.
    /// </summary>
    public sealed class M2MqttPort : IMqttPort
    {
        private const ushort KeepAliveSeconds = 60;
        private const int SubscribeTimeoutMs = 10000;

        private readonly string _host;
        private readonly int _port;
        private readonly bool _tls;
        private readonly string _caCertificate;
        private readonly AutoResetEvent _subscribed = new AutoResetEvent(false);
        private readonly object _lock = new object();

        private MqttClient _client;
        private int _subackId = -1;
        private bool _subackGranted;

        public M2MqttPort(DeviceSettings settings)
        {
            _host = settings.BrokerHost;
            _port = settings.BrokerPort;
            _tls = settings.BrokerTls;
            _caCertificate = settings.BrokerCaCertificate;
        }

        public event MqttMessageHandler MessageReceived;

        public event MqttDisconnectedHandler Disconnected;

        /// <summary>Why the last <see cref="Connect"/> failed, for the console.</summary>
        public string LastError { get; private set; }

        public bool IsConnected
        {
            get
            {
                MqttClient client = _client;
                return client != null && client.IsConnected;
            }
        }

        public bool Connect(string clientId, string username, string password)
        {
            Disconnect();

            string error = null;
            var ca = _tls ? CaCertificate.Load(_caCertificate, out error) : null;
            if (_tls && ca == null && error != null)
            {
                LastError = error;
                return false;
            }

            MqttClient client;
            try
            {
                client = new MqttClient(_host, _port, _tls, ca, null, _tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
            }
            catch (Exception ex)
            {
                LastError = "MQTT client: " + ex.Message;
                return false;
            }

            client.MqttMsgPublishReceived += OnPublishReceived;
            client.MqttMsgSubscribed += OnSubscribed;
            client.ConnectionClosed += OnConnectionClosed;

            try
            {
                MqttReasonCode code = client.Connect(clientId, username, password, true, KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    LastError = "broker refused the connection: " + ((int)code).ToString();
                    Release(client);
                    return false;
                }
            }
            catch (Exception ex)
            {
                LastError = "cannot reach " + _host + ":" + _port.ToString() + ": " + ex.Message;
                Release(client);
                return false;
            }

            LastError = null;
            _client = client;
            return true;
        }

        public void Disconnect()
        {
            MqttClient client = _client;
            _client = null;

            if (client == null)
            {
                return;
            }

            try
            {
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
            }
            catch (Exception)
            {
                // the connection is going away either way
            }

            Release(client);
        }

        public bool Subscribe(string topicFilter)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                return false;
            }

            try
            {
                lock (_lock)
                {
                    _subscribed.Reset();
                    _subackId = -1;
                    int id = client.Subscribe(new string[] { topicFilter }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });

                    // the SUBACK arrives on M2Mqtt's dispatch thread, possibly before Subscribe returned
                    while (_subackId != id)
                    {
                        if (!_subscribed.WaitOne(SubscribeTimeoutMs, false))
                        {
                            return false;
                        }
                    }

                    return _subackGranted;
                }
            }
            catch (Exception)
            {
                return false;
            }
        }

        public bool Publish(string topic, byte[] payload, int qos)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                return false;
            }

            try
            {
                client.Publish(topic, payload, null, null, qos >= 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce, false);
                return true;
            }
            catch (Exception)
            {
                // MqttClientException(InflightQueueFull) or a closed channel
                return false;
            }
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            MqttMessageHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(e.Topic, e.Message);
            }
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            MqttQoSLevel[] granted = e.GrantedQoSLevels;
            _subackGranted = granted != null && granted.Length > 0 && granted[0] != MqttQoSLevel.GrantedFailure;
            _subackId = e.MessageId;
            _subscribed.Set();
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            if (sender != _client)
            {
                // a client this port already let go of
                return;
            }

            MqttDisconnectedHandler handler = Disconnected;
            if (handler != null)
            {
                handler("connection to the broker closed");
            }
        }

        private void Release(MqttClient client)
        {
            client.MqttMsgPublishReceived -= OnPublishReceived;
            client.MqttMsgSubscribed -= OnSubscribed;
            client.ConnectionClosed -= OnConnectionClosed;

            try
            {
                client.Close();
            }
            catch (Exception)
            {
                // Close is best effort in M2Mqtt as well
            }
        }
    }
}
