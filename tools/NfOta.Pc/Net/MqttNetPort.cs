using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using NfOta.Ports;

namespace NfOta.Pc.Net
{
    /// <summary>
    /// <see cref="IMqttPort"/> over MQTTnet's client: a synchronous facade, as M2Mqtt is on the device.
    /// Messages and disconnections are queued by MQTTnet's receive loop and raised, in arrival order,
    /// on one dispatch thread owned by the port, so a handler that blocks or publishes never stalls
    /// MQTTnet. There is no automatic reconnect: the agent reconnects with fresh credentials.
    /// Each connection gets its own MQTTnet client, so a late event from a link we closed or replaced
    /// can never be mistaken for a drop of the current one.
    /// </summary>
    public sealed class MqttNetPort : IMqttPort, IDisposable
    {
        private readonly MqttNetPortOptions _options;
        private volatile Session _session;
        private readonly BlockingCollection<Action> _dispatch = new BlockingCollection<Action>();
        private readonly Thread _dispatcher;
        private readonly object _connectLock = new object();
        private volatile bool _disposed;

        public MqttNetPort(string host, int port)
            : this(new MqttNetPortOptions { Host = host, Port = port })
        {
        }

        public MqttNetPort(MqttNetPortOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "mqtt-port-dispatch" };
            _dispatcher.Start();
        }

        public event MqttMessageHandler MessageReceived;

        public event MqttDisconnectedHandler Disconnected;

        public MqttNetPortOptions Options => _options;

        public bool IsConnected => !_disposed && (_session?.Client.IsConnected ?? false);

        /// <summary>Why the last Connect, Subscribe or Publish failed; null after a success.</summary>
        public string LastError { get; private set; }

        public bool Connect(string clientId, string username, string password)
        {
            if (_disposed)
            {
                return false;
            }

            lock (_connectLock)
            {
                // A new connection replaces the old one; the caller asked for it, so no Disconnected event.
                Close();

                var builder = new MqttClientOptionsBuilder()
                    .WithTcpServer(_options.Host, _options.Port)
                    .WithClientId(clientId)
                    .WithCleanSession(true)
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
                    .WithTimeout(TimeSpan.FromMilliseconds(_options.OperationTimeoutMs));
                if (username != null)
                {
                    builder.WithCredentials(username, password ?? string.Empty);
                }

                if (_options.UseTls)
                {
                    builder.WithTlsOptions(tls =>
                    {
                        tls.UseTls(true);
                        tls.WithTargetHost(_options.TlsTargetHost ?? _options.Host);
                        if (_options.AllowUntrustedCertificates)
                        {
                            tls.WithCertificateValidationHandler(_ => true);
                        }
                    });
                }

                var session = new Session(this);
                _session = session;
                try
                {
                    using var timeout = new CancellationTokenSource(_options.ConnectTimeoutMs);
                    var result = session.Client.ConnectAsync(builder.Build(), timeout.Token).GetAwaiter().GetResult();
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        LastError = "connect refused: " + result.ResultCode;
                        return false;
                    }

                    LastError = null;
                    return true;
                }
                catch (OperationCanceledException)
                {
                    LastError = "connect timed out after " + _options.ConnectTimeoutMs + " ms";
                }
                catch (Exception ex)
                {
                    LastError = "connect failed: " + Describe(ex);
                }

                // A half-open attempt must not linger and fire a late Disconnected.
                Close();
                return false;
            }
        }

        public void Disconnect()
        {
            lock (_connectLock)
            {
                Close();
            }
        }

        public bool Subscribe(string topicFilter)
        {
            var session = _session;
            if (_disposed || session == null || !session.Client.IsConnected)
            {
                LastError = "not connected";
                return false;
            }

            try
            {
                var options = new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                using var timeout = new CancellationTokenSource(_options.OperationTimeoutMs);
                var result = session.Client.SubscribeAsync(options, timeout.Token).GetAwaiter().GetResult();
                foreach (var item in result.Items)
                {
                    if (item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS0
                        && item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1
                        && item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS2)
                    {
                        LastError = "subscribe refused: " + item.ResultCode;
                        return false;
                    }
                }

                LastError = null;
                return true;
            }
            catch (Exception ex)
            {
                LastError = "subscribe failed: " + Describe(ex);
                return false;
            }
        }

        public bool Publish(string topic, byte[] payload, int qos)
        {
            var session = _session;
            if (_disposed || session == null || !session.Client.IsConnected)
            {
                LastError = "not connected";
                return false;
            }

            try
            {
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(payload ?? Array.Empty<byte>())
                    .WithQualityOfServiceLevel(qos <= 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                using var timeout = new CancellationTokenSource(_options.OperationTimeoutMs);
                var result = session.Client.PublishAsync(message, timeout.Token).GetAwaiter().GetResult();
                if (!result.IsSuccess)
                {
                    LastError = "publish refused: " + result.ReasonCode;
                    return false;
                }

                LastError = null;
                return true;
            }
            catch (Exception ex)
            {
                LastError = "publish failed: " + Describe(ex);
                return false;
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            lock (_connectLock)
            {
                Close();
                _disposed = true;
            }

            _dispatch.CompleteAdding();
            if (Thread.CurrentThread != _dispatcher)
            {
                _dispatcher.Join(2000);
            }
        }

        // Caller holds _connectLock. Marks the link as closed by us, so none of its events counts as a drop.
        private void Close()
        {
            var session = _session;
            if (session == null)
            {
                return;
            }

            _session = null;
            session.ClosedByUs = true;
            try
            {
                if (session.Client.IsConnected)
                {
                    using var timeout = new CancellationTokenSource(_options.OperationTimeoutMs);
                    session.Client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).GetAwaiter().GetResult();
                }
            }
            catch (Exception)
            {
                // The link is going away either way.
            }
            finally
            {
                session.Client.Dispose();
            }
        }

        private void OnMessage(MqttApplicationMessageReceivedEventArgs e)
        {
            var topic = e.ApplicationMessage.Topic;
            var payload = e.ApplicationMessage.Payload.ToArray();
            Post(() => MessageReceived?.Invoke(topic, payload));
        }

        private void OnDisconnected(Session session, MqttClientDisconnectedEventArgs e)
        {
            // Only a link that was up and that we did not close ourselves counts as "dropped".
            if (e.ClientWasConnected && !session.ClosedByUs)
            {
                var reason = e.Reason.ToString();
                if (!string.IsNullOrEmpty(e.ReasonString))
                {
                    reason += " (" + e.ReasonString + ")";
                }

                if (e.Exception != null)
                {
                    reason += ": " + Describe(e.Exception);
                }

                Post(() =>
                {
                    // Stale if the agent already reconnected (or disconnected) before we got here.
                    if (_session == session && !session.ClosedByUs)
                    {
                        Disconnected?.Invoke(reason);
                    }
                });
            }
        }

        private void Post(Action action)
        {
            try
            {
                _dispatch.Add(action);
            }
            catch (InvalidOperationException)
            {
                // Disposed: nobody listens any more.
            }
        }

        private void Dispatch()
        {
            foreach (var action in _dispatch.GetConsumingEnumerable())
            {
                try
                {
                    action();
                }
                catch (Exception ex)
                {
                    // A failing handler must not stop delivery of the next message.
                    Console.Error.WriteLine("MqttNetPort handler: " + ex.Message);
                }
            }
        }

        /// <summary>One connection: its own MQTTnet client, and whether we ended it.</summary>
        private sealed class Session
        {
            public readonly IMqttClient Client;
            public volatile bool ClosedByUs;

            public Session(MqttNetPort port)
            {
                Client = new MqttClientFactory().CreateMqttClient();
                Client.ApplicationMessageReceivedAsync += e =>
                {
                    port.OnMessage(e);
                    return Task.CompletedTask;
                };
                Client.DisconnectedAsync += e =>
                {
                    port.OnDisconnected(this, e);
                    return Task.CompletedTask;
                };
            }
        }

        private static string Describe(Exception ex)
        {
            while (ex.InnerException != null && (ex is AggregateException || ex.Message.Length == 0))
            {
                ex = ex.InnerException;
            }

            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
