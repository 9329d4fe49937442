using System.Diagnostics;
using System.Threading;
using NfOta.Pc.Net;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Net
{
    public class LatencyProxyTests
    {
        private readonly ITestOutputHelper _output;

        public LatencyProxyTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void QoS1PublishThroughProxyTakesAtLeastTwoOneWayDelays()
        {
            const int delay = 60;
            using var broker = new EmbeddedBroker();
            using var proxy = new LatencyProxy(broker.Host, broker.Port, delay);
            using var device = new MqttNetPort(proxy.Host, proxy.Port);
            Assert.True(device.Connect("slow-dev", null, null), device.LastError);

            // PUBLISH travels to the broker and PUBACK back: two one-way delays at least.
            var watch = Stopwatch.StartNew();
            Assert.True(device.Publish("slow/t", new byte[100], 1));
            watch.Stop();
            _output.WriteLine("QoS1 publish via proxy: " + watch.ElapsedMilliseconds + " ms");
            Assert.True(watch.ElapsedMilliseconds >= 2 * delay - 5, "took only " + watch.ElapsedMilliseconds + " ms");

            // Without the proxy the same publish is far quicker, so the delay really comes from the proxy.
            using var direct = new MqttNetPort(broker.Host, broker.Port);
            Assert.True(direct.Connect("fast-dev", null, null));
            var fast = Stopwatch.StartNew();
            Assert.True(direct.Publish("slow/t", new byte[100], 1));
            _output.WriteLine("QoS1 publish direct: " + fast.ElapsedMilliseconds + " ms");
        }

        [Fact]
        public void DropConnectionsRaisesDisconnectedAndReconnectWorks()
        {
            using var broker = new EmbeddedBroker();
            using var proxy = new LatencyProxy(broker.Host, broker.Port, 0);
            using var device = new MqttNetPort(proxy.Host, proxy.Port);
            Assert.True(device.Connect("drop-dev", null, null), device.LastError);
            var dropped = new ManualResetEventSlim();
            device.Disconnected += reason =>
            {
                _output.WriteLine("drop reason: " + reason);
                dropped.Set();
            };

            proxy.DropConnections();
            Assert.True(dropped.Wait(10000), "no Disconnected after the proxy cut the link");
            Assert.False(device.IsConnected);
            Assert.True(device.Connect("drop-dev", null, null), device.LastError);
            Assert.True(device.Publish("t", new byte[1], 1));
            Assert.Equal(2, proxy.AcceptedConnections);
        }
    }
}
