using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using NfOta.Agent;
using NfOta.Host.Tests.Support;
using NfOta.Pc.Net;
using NfOta.Pc.Servers;
using NfOta.Protocols;
using NfOta.Settings;
using Xunit;

namespace NfOta.Host.Tests.Servers
{
    /// <summary>The ThingsBoard stand-in server against the core's ThingsBoard adapter, over a real (in-process) broker.</summary>
    public class ThingsBoardServerTests
    {
        private static PackagedImage Image(int size = 10_000) => RandomImage.Of(size, 7, "1.1.0");

        private static ThingsBoardAdapter Adapter() =>
            new ThingsBoardAdapter(new DeviceSettings { Platform = "thingsboard", AccessToken = "TOKEN", Package = "main" });

        // Downloads the offer chunk by chunk, re-requesting a chunk that does not come within the timeout.
        private static byte[] Download(ServerTestDevice device, UpdateOffer offer, int chunkSize, out int reRequests)
        {
            reRequests = 0;
            var image = new MemoryStream();
            int count = (int)((offer.Size + chunkSize - 1) / chunkSize);
            for (int i = 0; i < count; i++)
            {
                Assert.True(device.Adapter.RequestChunk(offer, i, chunkSize, device));
                InboundMessage m;
                while (true)
                {
                    m = device.Next(400);
                    if (m == null)
                    {
                        reRequests++;
                        Assert.True(reRequests < 5, "chunk " + i + " never came");
                        device.Adapter.RequestChunk(offer, i, chunkSize, device);
                        continue;
                    }

                    Assert.True(m.Kind == InboundKind.Chunk, m.Kind + " " + m.Error);
                    if (m.ChunkIndex < i)
                    {
                        continue; // a late answer to a re-request of an earlier chunk: a duplicate
                    }

                    break;
                }

                Assert.Equal(i, m.ChunkIndex);
                image.Write(m.Payload, m.ChunkOffset, m.ChunkLength);
            }
            return image.ToArray();
        }

        [Fact]
        public void DeviceThatConnectsAfterTheReleaseAsksDownloadsAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer();
            var reports = new ReportLog(server);
            server.Start("127.0.0.1", broker.Port);
            var image = Image();
            server.Release(image); // nobody listening yet
            server.DropChunkOnce(2);

            using var device = new ServerTestDevice(Adapter(), broker.Port);
            device.Adapter.OnConnected("1.0.0", device);
            var idle = reports.WaitFor(r => r.State == "IDLE");
            Assert.NotNull(idle);
            Assert.Equal("1.0.0", idle.Version);
            Assert.False(idle.IsSuccess || idle.IsFailure);

            var offer = device.Next(3000);
            Assert.NotNull(offer);
            Assert.Equal(InboundKind.Offer, offer.Kind);
            Assert.Equal("1.1.0", offer.Offer.Version);
            Assert.Equal(image.Size, offer.Offer.Size);
            Assert.Equal(image.Sha256, offer.Offer.Hash);

            var bytes = Download(device, offer.Offer, 1024, out int reRequests);
            Assert.InRange(reRequests, 1, 4); // the dropped chunk needed a re-request; a loaded machine may need another
            Assert.Equal(image.Bytes, bytes);
            Assert.Equal(1024, server.LastChunkSize);

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Downloading, Percent = 50, RunningVersion = "1.0.0", Offer = offer.Offer }, device);
            var progress = reports.WaitFor(r => r.State == "DOWNLOADING");
            Assert.NotNull(progress);
            Assert.Equal(50, progress.Percent);
            Assert.False(progress.IsSuccess || progress.IsFailure);

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Updated, RunningVersion = "1.1.0", Offer = offer.Offer }, device);
            var done = reports.WaitFor(r => r.State == "UPDATED");
            Assert.NotNull(done);
            Assert.True(done.IsSuccess);
            Assert.Equal("1.1.0", done.Version);
        }

        [Fact]
        public void OnlineDeviceHearsTheReleaseAndCorruptedBytesFailTheDigest()
        {
            using var broker = new EmbeddedBroker();
            using var server = new ThingsBoardServer("MD5") { CorruptImage = true };
            var reports = new ReportLog(server);
            server.Start("127.0.0.1", broker.Port);

            using var device = new ServerTestDevice(Adapter(), broker.Port);
            device.Adapter.OnConnected("1.0.0", device);
            var none = device.Next(3000);
            Assert.Equal(InboundKind.NoUpdate, none?.Kind);

            var image = Image(5000);
            server.Release(image);
            var offer = device.Next(3000);
            Assert.Equal(InboundKind.Offer, offer?.Kind);
            Assert.Equal(NfOta.Hashing.HashAlgorithmKind.Md5, offer.Offer.HashAlgorithm);

            var bytes = Download(device, offer.Offer, 4096, out _);
            Assert.Equal(image.Size, bytes.Length);
            Assert.NotEqual(offer.Offer.Hash, Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant());

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Failed, Error = UpdateError.ChecksumMismatch, RunningVersion = "1.0.0", Offer = offer.Offer }, device);
            var failed = reports.WaitFor(r => r.State == "FAILED");
            Assert.NotNull(failed);
            Assert.True(failed.IsFailure);
            Assert.StartsWith("CHECKSUM_MISMATCH", failed.Error);
        }

        [Theory]
        [InlineData("{\"chunkSize\":16384}", 16384)]
        [InlineData("16384", 16384)]
        [InlineData("", 0)]
        [InlineData("{\"chunkSize\":\"x\"}", 0)]
        [InlineData("garbage", 0)]
        public void ChunkSizeIsReadInTheDocumentedAndTheSdkForm(string payload, int expected)
        {
            Assert.Equal(expected, ThingsBoardServer.ChunkSize(Encoding.UTF8.GetBytes(payload)));
        }

        [Fact]
        public void TelemetryWithoutFirmwareKeysIsNoReport()
        {
            Assert.Null(ThingsBoardServer.ParseTelemetry("v1/devices/me/telemetry", Encoding.UTF8.GetBytes("{\"temperature\":21}"), "1"));
            Assert.Null(ThingsBoardServer.ParseTelemetry("v1/devices/me/telemetry", Encoding.UTF8.GetBytes("not json"), "1"));
            var r = ThingsBoardServer.ParseTelemetry("v1/devices/me/telemetry", Encoding.UTF8.GetBytes("{\"ts\":1,\"values\":{\"fw_state\":\"UPDATED\",\"current_fw_version\":\"2\"}}"), "2");
            Assert.True(r.IsSuccess);
            var wrong = ThingsBoardServer.ParseTelemetry("v1/devices/me/telemetry", Encoding.UTF8.GetBytes("{\"fw_state\":\"UPDATED\",\"current_fw_version\":\"1\"}"), "2");
            Assert.False(wrong.IsSuccess);
        }
    }
}
