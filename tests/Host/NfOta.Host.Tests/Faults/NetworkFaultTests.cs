using System;
using System.Linq;
using System.Threading;
using NfOta.Agent;
using NfOta.Pc.Servers;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Faults
{
    /// <summary>
    /// Whole updates on a simulated ESP32 with a network fault injected mid-download, through a real
    /// broker: each ends in the new image running and confirmed, or in a reported failure with the old
    /// image running. ThingsBoard stands for the MQTT-chunk platforms, Alibaba for the URL platforms.
    /// </summary>
    public sealed class NetworkFaultTests
    {
        private readonly ITestOutputHelper _output;

        public NetworkFaultTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData("thingsboard", "embedded")]
        [InlineData("thingsboard", "mosquitto")]
        [InlineData("alibaba", "embedded")]
        [InlineData("alibaba", "mosquitto")]
        public void BrokerRestartMidDownloadStillEndsInTheConfirmedUpdate(string platform, string broker)
        {
            using var rig = new FaultRig(platform, broker, _output);
            var server = (MqttPlatformServer)rig.Server;
            bool restarted = false;
            rig.AtPercent(40, () =>
            {
                // The device is held mid-download while the broker goes down and comes back, until the
                // stand-in platform is subscribed again (a cloud's own broker needs no such wait).
                rig.Broker.Restart();
                restarted = SpinWait.SpinUntil(() => server.Reconnects >= 1, 10_000);
            });
            rig.ReleaseAndExpectUpdate();
            Assert.True(restarted, "the stand-in server reconnected after the restart");
        }

        [Theory]
        [InlineData("thingsboard")]
        [InlineData("alibaba")]
        public void DroppedBrokerConnectionMidDownloadStillEndsInTheConfirmedUpdate(string platform)
        {
            using var rig = new FaultRig(platform, "embedded", _output, viaProxy: true);
            rig.AtPercent(40, () => rig.Proxy.DropConnections());
            rig.ReleaseAndExpectUpdate();
            Assert.True(rig.Proxy.AcceptedConnections >= 2, "the device reconnected through the proxy");
        }

        [Fact]
        public void ALostChunkIsAskedForAgain()
        {
            using var rig = new FaultRig("thingsboard", "embedded", _output);
            var server = (ThingsBoardServer)rig.Server;
            server.DropChunkOnce(5);
            rig.ReleaseAndExpectUpdate();
            Assert.Equal(1, server.ChunksDropped);
            Assert.Contains(rig.Notices, n => n.StartsWith("chunk 5 timed out", StringComparison.Ordinal));
        }

        [Fact]
        public void DuplicatedChunksAreWrittenOnce()
        {
            using var rig = new FaultRig("thingsboard", "embedded", _output, tweak: s => s.Window = 4);
            var server = (ThingsBoardServer)rig.Server;
            server.DuplicateChunks = true;
            rig.ReleaseAndExpectUpdate();
            Assert.True(server.ChunksDuplicated >= FaultRig.ImageSize / 4096, "every chunk was sent twice");
        }

        [Fact]
        public void ReorderedChunksAreWrittenInOrder()
        {
            using var rig = new FaultRig("thingsboard", "embedded", _output, tweak: s => s.Window = 4);
            var server = (ThingsBoardServer)rig.Server;
            server.ReorderChunks = true;
            rig.ReleaseAndExpectUpdate();
            Assert.True(server.ChunksReordered >= 10, "chunks arrived swapped: " + server.ChunksReordered);
        }

        [Fact]
        public void ATruncatedChunkIsDroppedAndAskedForAgain()
        {
            using var rig = new FaultRig("thingsboard", "embedded", _output, tweak: s => s.Window = 4);
            var server = (ThingsBoardServer)rig.Server;
            server.TruncateChunkOnce(7);
            rig.ReleaseAndExpectUpdate();
            Assert.Equal(1, server.ChunksTruncated);
            Assert.Contains(rig.Notices, n => n.StartsWith("chunk 7 had 2048 bytes", StringComparison.Ordinal));
        }

        [Fact]
        public void AServerClosingMidBodyIsResumedWithARange()
        {
            using var rig = new FaultRig("alibaba", "embedded", _output);
            rig.Files.CloseAfterBytes = 70_000;
            rig.ReleaseAndExpectUpdate();
            Assert.Contains(rig.Files.RangeHeaders, h => h != null && h.StartsWith("bytes=", StringComparison.Ordinal) && h != "bytes=0-");
        }

        [Fact]
        public void AServerIgnoringRangeIsResumedBySkippingAhead()
        {
            using var rig = new FaultRig("alibaba", "embedded", _output);
            rig.Files.IgnoreRange = true;
            rig.Files.CloseAfterBytes = 70_000;
            rig.ReleaseAndExpectUpdate();
            Assert.True(rig.Files.RequestCount >= 2, "the download was resumed");
        }

        [Fact]
        public void ATransient503IsRetried()
        {
            using var rig = new FaultRig("alibaba", "embedded", _output);
            rig.Files.FailNextStatus = 503;
            rig.ReleaseAndExpectUpdate();
            Assert.True(rig.Files.RequestCount >= 2);
        }

        [Fact]
        public void A404EndsInTheFileNotFoundReportWithTheOldImageRunning()
        {
            using var rig = new FaultRig("alibaba", "embedded", _output);
            rig.Files.Fail404Once = true;
            rig.ReleaseAndExpectFailure(UpdateError.FileNotFound);
        }

        [Fact]
        public void AFileServerThatAlwaysFailsEndsAfterTheCappedRetries()
        {
            using var rig = new FaultRig("alibaba", "embedded", _output, tweak: s => s.Retries = 3);
            rig.Files.Dispose(); // connection refused from the first request on
            rig.ReleaseAndExpectFailure(UpdateError.DownloadFailed);
            Assert.Contains(rig.Notices, n => n.StartsWith("download failed 3 times", StringComparison.Ordinal));
        }

        [Fact]
        public void ChunksThatNeverComeEndAfterTheCappedRetries()
        {
            using var rig = new FaultRig("thingsboard", "embedded", _output, tweak: s => s.Retries = 2);
            var server = (ThingsBoardServer)rig.Server;
            server.DropChunkAlways(3);
            rig.ReleaseAndExpectFailure(UpdateError.DownloadFailed);
            Assert.Contains(rig.Notices, n => n.Contains("chunk 3 never arrived", StringComparison.Ordinal));
        }
    }
}
