using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using NfOta.Pc.Net;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Net
{
    public class MqttNetPortTests
    {
        private readonly ITestOutputHelper _output;

        public MqttNetPortTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void RoundTripThroughEmbeddedBroker()
        {
            using var broker = new EmbeddedBroker();
            RoundTrip(broker);
        }

        [MosquittoFact]
        public void RoundTripThroughMosquitto()
        {
            using var broker = new MosquittoBroker();
            RoundTrip(broker);
        }

        [Fact]
        public void MessagesArriveInOrderOnOneThreadOutsideMqttnet()
        {
            using var broker = new EmbeddedBroker();
            using var device = Connected(broker, "order-dev");
            using var server = Connected(broker, "order-srv");
            var received = new List<int>();
            var threads = new HashSet<int>();
            var done = new ManualResetEventSlim();
            device.MessageReceived += (topic, payload) =>
            {
                threads.Add(Thread.CurrentThread.ManagedThreadId);
                Assert.Equal("mqtt-port-dispatch", Thread.CurrentThread.Name);
                received.Add(BitConverter.ToInt32(payload, 0));
                if (received.Count == 200)
                {
                    done.Set();
                }
            };
            Assert.True(device.Subscribe("order/#"));
            for (var i = 0; i < 200; i++)
            {
                Assert.True(server.Publish("order/x", BitConverter.GetBytes(i), 1));
            }

            Assert.True(done.Wait(10000), "received " + received.Count + " of 200");
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal(i, received[i]);
            }

            Assert.Single(threads);
        }

        [Fact]
        public void HandlerMayPublishWithoutDeadlock()
        {
            using var broker = new EmbeddedBroker();
            using var device = Connected(broker, "echo-dev");
            using var server = Connected(broker, "echo-srv");
            var echoed = new ManualResetEventSlim();
            device.MessageReceived += (topic, payload) => Assert.True(device.Publish("echo/out", payload, 1));
            server.MessageReceived += (topic, payload) => echoed.Set();
            Assert.True(device.Subscribe("echo/in"));
            Assert.True(server.Subscribe("echo/out"));
            Assert.True(server.Publish("echo/in", new byte[] { 1 }, 1));
            Assert.True(echoed.Wait(5000));
        }

        [Fact]
        public void BrokerRestartRaisesDisconnectedAndReconnectWorks()
        {
            using var broker = new EmbeddedBroker();
            BrokerRestart(broker);
        }

        [MosquittoFact]
        public void MosquittoRestartRaisesDisconnectedAndReconnectWorks()
        {
            using var broker = new MosquittoBroker();
            BrokerRestart(broker);
        }

        [Fact]
        public void OwnDisconnectRaisesNoEvent()
        {
            using var broker = new EmbeddedBroker();
            using var device = Connected(broker, "own-dev");
            var raised = 0;
            device.Disconnected += reason =>
            {
                _output.WriteLine("unexpected Disconnected: " + reason + " connected=" + device.IsConnected);
                Interlocked.Increment(ref raised);
            };
            for (var i = 0; i < 20; i++)
            {
                device.Disconnect();
                Assert.False(device.IsConnected);
                Assert.True(device.Connect("own-dev", null, null), device.LastError);
            }

            // Connecting again while connected replaces the session quietly too.
            Assert.True(device.Connect("own-dev-2", null, null), device.LastError);
            device.Disconnect();
            Thread.Sleep(300);
            Assert.Equal(0, raised);
            Assert.False(device.Publish("t", new byte[1], 0));
            Assert.False(device.Subscribe("t"));
        }

        [Fact]
        public void ConnectToNothingReturnsFalseWithinTimeout()
        {
            var port = FreePort.Pick();
            using var device = new MqttNetPort(new MqttNetPortOptions { Host = "127.0.0.1", Port = port, ConnectTimeoutMs = 2000 });
            Assert.False(device.Connect("nobody", null, null));
            Assert.False(device.IsConnected);
            Assert.NotNull(device.LastError);
            _output.WriteLine(device.LastError);
        }

        private void RoundTrip(IBroker broker)
        {
            using var device = Connected(broker, "rt-dev");
            using var server = Connected(broker, "rt-srv");
            var inbox = new BlockingCollection<(string, byte[])>();
            device.MessageReceived += (topic, payload) => inbox.Add((topic, payload));
            server.MessageReceived += (topic, payload) => inbox.Add((topic, payload));
            Assert.True(device.Subscribe("dev/+/down"));
            Assert.True(server.Subscribe("dev/up"));

            var big = new byte[64 * 1024];
            new Random(7).NextBytes(big);
            Assert.True(server.Publish("dev/42/down", big, 1));
            Assert.True(inbox.TryTake(out var m1, 5000), "device got nothing via " + broker.Name);
            Assert.Equal("dev/42/down", m1.Item1);
            Assert.Equal(big, m1.Item2);

            Assert.True(device.Publish("dev/up", Encoding.UTF8.GetBytes("hello"), 0));
            Assert.True(inbox.TryTake(out var m2, 5000), "server got nothing via " + broker.Name);
            Assert.Equal("dev/up", m2.Item1);
            Assert.Equal("hello", Encoding.UTF8.GetString(m2.Item2));
        }

        private void BrokerRestart(IBroker broker)
        {
            using var device = Connected(broker, "restart-dev");
            var dropped = new ManualResetEventSlim();
            string reason = null;
            device.Disconnected += r =>
            {
                reason = r;
                dropped.Set();
            };

            broker.Restart();
            Assert.True(dropped.Wait(10000), "no Disconnected after " + broker.Name + " restart");
            _output.WriteLine(broker.Name + " drop reason: " + reason);
            Assert.False(device.IsConnected);

            // The agent reconnects and resubscribes: the port must be reusable as is.
            Assert.True(device.Connect("restart-dev", null, null), device.LastError);
            Assert.True(device.Subscribe("after/restart"));
            using var server = Connected(broker, "restart-srv");
            var got = new ManualResetEventSlim();
            device.MessageReceived += (t, p) => got.Set();
            Assert.True(server.Publish("after/restart", new byte[] { 9 }, 1));
            Assert.True(got.Wait(5000));
        }

        private static MqttNetPort Connected(IBroker broker, string clientId)
        {
            var port = new MqttNetPort(broker.Host, broker.Port);
            Assert.True(port.Connect(clientId, null, null), port.LastError);
            return port;
        }
    }
}
