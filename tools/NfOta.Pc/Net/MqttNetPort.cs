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
    /// </summary>
    public sealed class MqttNetPort : IMqttPort, IDisposable
    {
        private readonly MqttNetPortOptions _options;
        private readonly IMqttClient _client;
        private readonly BlockingCollection<Action> _dispatch = new BlockingCollection<Action>();
        private readonly Thread _dispatcher;
        private readonly object _connectLock = new object();
        private volatile bool _closing;
        private volatile bool _disposed;

        public MqttNetPort(string host, int port)
            : this(new MqttNetPortOptions { Host = host, Port = port })
        {
        }

        public MqttNetPort(MqttNetPortOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _client = new MqttClientFactory().CreateMqttClient();
            _client.ApplicationMessageReceivedAsync += OnMessageAsync;
            _client.DisconnectedAsync += OnDisconnectedAsync;
            _dispatcher = new Thread(Dispatch) { IsBackground = true, Name = "mqtt-port-dispatch" };
            _dispatcher.Start();
        }

        public event MqttMessageHandler MessageReceived;

        public event MqttDisconnectedHandler Disconnected;

        public MqttNetPortOptions Options => _options;

        public bool IsConnected => !_disposed && _client.IsConnected;

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
                if (_client.IsConnected)
                {
                    // A new identity replaces the old session; the caller asked for it, so no Disconnected event.
                    Close();
                }

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

                _closing = false;
                try
                {
                    using var timeout = new CancellationTokenSource(_options.ConnectTimeoutMs);
                    var result = _client.ConnectAsync(builder.Build(), timeout.Token).GetAwaiter().GetResult();
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
            if (!IsConnected)
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
                var result = _client.SubscribeAsync(options, timeout.Token).GetAwaiter().GetResult();
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
            if (!IsConnected)
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
                var result = _client.PublishAsync(message, timeout.Token).GetAwaiter().GetResult();
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

            _client.Dispose();
        }

        // Caller holds _connectLock. Marks the disconnection as ours so no Disconnected event is raised.
        private void Close()
        {
            _closing = true;
            try
            {
                if (_client.IsConnected)
                {
                    using var timeout = new CancellationTokenSource(_options.OperationTimeoutMs);
                    _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).GetAwaiter().GetResult();
                }
            }
            catch (Exception)
            {
                // The link is going away either way.
            }
        }

        private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
        {
            var topic = e.ApplicationMessage.Topic;
            var payload = e.ApplicationMessage.Payload.ToArray();
            Post(() => MessageReceived?.Invoke(topic, payload));
            return Task.CompletedTask;
        }

        private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
        {
            // Only a link that was up and that we did not close ourselves counts as "dropped".
            if (e.ClientWasConnected && !_closing)
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

                Post(() => Disconnected?.Invoke(reason));
            }

            return Task.CompletedTask;
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
