using System;
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
    /// <summary>The Alibaba stand-in server against the core's Alibaba adapter, over an in-process broker.</summary>
    public class AlibabaServerTests
    {
        private readonly PublishedFiles _files = new();

        private static PackagedImage Image() => RandomImage.Of(3000, 3, "2.0.0");

        private static AlibabaAdapter Adapter(string deviceName = "dev1") =>
            new AlibabaAdapter(new DeviceSettings { Platform = "alibaba", ProductKey = "a1pk", DeviceName = deviceName, DeviceSecret = "s" });

        [Fact]
        public void DeviceThatConnectsAfterTheReleaseGetsItByRequestAndReportsSuccess()
        {
            using var broker = new EmbeddedBroker();
            using var server = new AlibabaServer("a1pk", "dev1", _files.Publish);
            var reports = new ReportLog(server);
            server.Start("127.0.0.1", broker.Port);
            var image = Image();
            server.Release(image);

            using var device = new ServerTestDevice(Adapter(), broker.Port);
            device.Adapter.OnConnected("1.0.0", device);
            var inform = reports.WaitFor(r => r.State == "inform");
            Assert.Equal("1.0.0", inform.Version);
            Assert.False(inform.IsSuccess);

            var m = device.Next(3000);
            Assert.Equal(InboundKind.Offer, m?.Kind);
            Assert.Equal("2.0.0", m.Offer.Version);
            Assert.Equal(image.Size, m.Offer.Size);
            Assert.Equal(image.Md5, m.Offer.Hash);
            Assert.Equal(server.Url, m.Offer.Url);
            Assert.Equal(image.Bytes, _files.Served(server.Url));

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Downloading, Percent = 30, RunningVersion = "1.0.0" }, device);
            var progress = reports.WaitFor(r => r.State == "30");
            Assert.Equal(30, progress.Percent);
            Assert.False(progress.IsFailure);

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Updated, RunningVersion = "2.0.0" }, device);
            var done = reports.WaitFor(r => r.State == "inform");
            Assert.True(done.IsSuccess);
        }

        [Fact]
        public void OnlineDeviceHearsThePushAndReportsAVerificationFailure()
        {
            using var broker = new EmbeddedBroker();
            using var server = new AlibabaServer("a1pk", "dev1", _files.Publish, "SHA256") { CorruptImage = true };
            var reports = new ReportLog(server);
            server.Start("127.0.0.1", broker.Port);

            using var other = new ServerTestDevice(Adapter("dev2"), broker.Port);
            using var device = new ServerTestDevice(Adapter(), broker.Port);
            device.Adapter.OnConnected("1.0.0", device);
            Assert.Equal(InboundKind.NoUpdate, device.Next(3000)?.Kind);

            var image = Image();
            server.Release(image);
            var m = device.Next(3000);
            Assert.Equal(InboundKind.Offer, m?.Kind);
            Assert.Equal(NfOta.Hashing.HashAlgorithmKind.Sha256, m.Offer.HashAlgorithm);
            Assert.Equal(image.Sha256, m.Offer.Hash);
            Assert.NotEqual(image.Bytes, _files.Served(server.Url));
            Assert.Null(other.Next(500)); // another device's push never reaches dev2 as anything but Ignored

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Failed, Error = UpdateError.ChecksumMismatch, RunningVersion = "1.0.0" }, device);
            var failed = reports.WaitFor(r => r.IsFailure);
            Assert.Equal("-3", failed.State);
            Assert.Equal("firmware checksum mismatch", failed.Error);
        }

        [Fact]
        public void ANumericStepIsSurfacedAsADeviceBug()
        {
            var r = AlibabaServer.ParseReport("/ota/device/progress/pk/dn", Encoding.UTF8.GetBytes("{\"id\":1,\"params\":{\"step\":-3,\"desc\":\"x\"}}"), "pk/dn", "2");
            Assert.StartsWith("(not a string)", r.State);
            Assert.Null(AlibabaServer.ParseReport("/ota/device/progress/pk/dn", Encoding.UTF8.GetBytes("]"), "pk/dn", "2"));
        }
    }
}
