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
    /// <summary>The Tencent stand-in server against the core's Tencent adapter, over an in-process broker.</summary>
    public class TencentServerTests
    {
        private readonly PublishedFiles _files = new();

        private static PackagedImage Image() => RandomImage.Of(2000, 5, "1.1.0");

        private static TencentAdapter Adapter(string deviceName = "dev1") =>
            new TencentAdapter(new DeviceSettings { Platform = "tencent", ProductKey = "PRODUCT123", DeviceName = deviceName, DeviceSecret = "MTIzNA==" });

        [Fact]
        public void DeviceThatConnectsAfterTheReleaseGetsItOnItsVersionReport()
        {
            using var broker = new EmbeddedBroker();
            using var server = new TencentServer("PRODUCT123", "dev1", _files.Publish);
            var reports = new ReportLog(server);
            server.Start("127.0.0.1", broker.Port);
            var image = Image();
            server.Release(image);

            using var device = new ServerTestDevice(Adapter(), broker.Port);
            device.Adapter.OnConnected("1.0.0", device);
            var version = reports.WaitFor(r => r.State == "version");
            Assert.Equal("1.0.0", version.Version);
            Assert.False(version.IsSuccess);

            var m = device.Next(3000); // report_version_rsp is Ignored, update_firmware follows
            Assert.Equal(InboundKind.Offer, m?.Kind);
            Assert.Equal("1.1.0", m.Offer.Version);
            Assert.Equal(image.Md5, m.Offer.Hash);
            Assert.Equal(image.Size, m.Offer.Size);
            Assert.Equal(image.Bytes, _files.Served(m.Offer.Url));

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Downloading, Percent = 10, RunningVersion = "1.0.0", Offer = m.Offer }, device);
            var progress = reports.WaitFor(r => r.State == "downloading");
            Assert.Equal(10, progress.Percent);
            Assert.Equal("1.1.0", progress.Version);

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Installing, RunningVersion = "1.0.0", Offer = m.Offer }, device);
            Assert.NotNull(reports.WaitFor(r => r.State == "burning"));

            // After the reboot: the version report (no new push for the same version), then done.
            device.Adapter.OnConnected("1.1.0", device);
            Assert.True(reports.WaitFor(r => r.State == "version").IsSuccess);
            device.Adapter.Report(new StatusReport { Kind = ReportKind.Updated, RunningVersion = "1.1.0" }, device);
            Assert.True(reports.WaitFor(r => r.State == "done").IsSuccess);
            Assert.Null(device.Next(500));
        }

        [Fact]
        public void CorruptedImageEndsInTheMd5FailureCode()
        {
            using var broker = new EmbeddedBroker();
            using var server = new TencentServer("PRODUCT123", "dev1", _files.Publish) { CorruptImage = true };
            var reports = new ReportLog(server);
            server.Start("127.0.0.1", broker.Port);

            using var device = new ServerTestDevice(Adapter(), broker.Port);
            using var other = new ServerTestDevice(Adapter("dev2"), broker.Port);
            var image = Image();
            server.Release(image);
            var m = device.Next(3000);
            Assert.Equal(InboundKind.Offer, m?.Kind);
            Assert.Equal(image.Md5, m.Offer.Hash);
            Assert.NotEqual(image.Bytes, _files.Served(m.Offer.Url));
            Assert.Null(other.Next(500));

            device.Adapter.Report(new StatusReport { Kind = ReportKind.Failed, Error = UpdateError.ChecksumMismatch, RunningVersion = "1.0.0", Offer = m.Offer }, device);
            var failed = reports.WaitFor(r => r.IsFailure);
            Assert.Equal("fail", failed.State);
            Assert.Equal("-4 md5_not_match", failed.Error);
        }

        [Fact]
        public void TheDocumentsQuotedProgressIsSurfacedAsADeviceBug()
        {
            var r = TencentServer.ParseReport("$ota/report/P/D", Encoding.UTF8.GetBytes("{\"type\":\"report_progress\",\"report\":{\"progress\":\"{state:done}\",\"version\":\"1\"}}"), "1");
            Assert.Equal("(progress is not an object)", r.State);
            Assert.False(r.IsSuccess);
            Assert.Null(TencentServer.ParseReport("$ota/report/P/D", Encoding.UTF8.GetBytes("{"), "1"));
        }
    }
}
