using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using NfOta.Agent;
using NfOta.Host.Tests.Support;
using NfOta.Pc.Servers;
using NfOta.Protocols;
using NfOta.Settings;
using Xunit;

namespace NfOta.Host.Tests.Protocols
{
    /// <summary>
    /// Each adapter against its stand-in server over a real (in-process MQTTnet) broker: a release made
    /// while the device is offline reaches it on connect, the bytes arrive intact, and the device's
    /// reports come back as the platform's success or failure.
    /// </summary>
    public class EnosGoliothSelfHostedServerTests
    {
        private static PackagedImage Image(string version, int size = 10_000) => RandomImage.Of(size, size, version);

        private static string Hex(byte[] digest) => Convert.ToHexString(digest).ToLowerInvariant();

        // A stand-in for the HTTP range server: keeps what is published, keyed by URL.
        private sealed class Files
        {
            public readonly ConcurrentDictionary<string, byte[]> ByUrl = new();
            public string Publish(string path, byte[] bytes)
            {
                string url = "http://127.0.0.1:18080" + (path.StartsWith("/") ? path : "/" + path);
                ByUrl[url] = bytes;
                return url;
            }
        }

        [Fact]
        public void Golioth_ReleaseWhileOffline_BlocksDownload_Updated()
        {
            var settings = new DeviceSettings { Platform = "golioth", Username = "dev-1@proj", Password = "psk", Package = "main" };
            var server = new GoliothServer();
            using var link = new AdapterServerLink(new GoliothAdapter(settings), server);
            PackagedImage image = Image("1.1.0", 10_000);
            server.Release(image);

            link.ConnectDevice("1.0.0");
            Assert.NotNull(link.WaitReport(r => r.State == "IDLE" && r.Version == "1.0.0"));
            InboundMessage offer = link.Next();
            Assert.NotNull(offer);
            Assert.Equal(InboundKind.Offer, offer.Kind);
            Assert.Equal(image.Sha256, offer.Offer.Hash);

            link.Report(ReportKind.Downloading, offer.Offer, "1.0.0");
            byte[] got = link.DownloadChunks(offer.Offer, 1024);
            Assert.Equal(image.Bytes, got);
            Assert.Equal(offer.Offer.Hash, Hex(SHA256.HashData(got)));
            Assert.Equal(10, server.BlocksServed);

            link.Report(ReportKind.Downloaded, offer.Offer, "1.0.0");
            link.Report(ReportKind.Installing, offer.Offer, "1.0.0");
            link.Report(ReportKind.Updated, null, "1.1.0");
            DeviceReport done = link.WaitReport(r => r.IsSuccess);
            Assert.NotNull(done);
            Assert.Equal("UPDATING", done.State);
            Assert.Equal("1.1.0", done.Version);
        }

        [Fact]
        public void Golioth_CorruptedImage_IntegrityCheckFailure()
        {
            var settings = new DeviceSettings { Platform = "golioth", Username = "dev-1@proj", Password = "psk" };
            var server = new GoliothServer { CorruptImage = true };
            using var link = new AdapterServerLink(new GoliothAdapter(settings), server);
            server.Release(Image("1.1.0", 3000));
            link.ConnectDevice("1.0.0");
            InboundMessage offer = link.Next();
            byte[] got = link.DownloadChunks(offer.Offer, 1024);
            Assert.NotEqual(offer.Offer.Hash, Hex(SHA256.HashData(got)));
            link.Report(ReportKind.Failed, offer.Offer, "1.0.0", UpdateError.ChecksumMismatch);
            DeviceReport failed = link.WaitReport(r => r.IsFailure);
            Assert.NotNull(failed);
            Assert.Equal("INTEGRITY_CHECK_FAILURE", failed.Error);
            Assert.Equal("1.0.0", failed.Version);
        }

        [Fact]
        public void SelfHosted_Chunks_ReleaseWhileOffline_Updated()
        {
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-7" };
            var server = new SelfHostedServer("dev-7");
            using var link = new AdapterServerLink(new SelfHostedAdapter(settings), server);
            PackagedImage image = Image("2.0.0", 9_000);
            server.Release(image);
            link.ConnectDevice("1.0.0");
            Assert.NotNull(link.WaitReport(r => r.State == "hello" && r.Version == "1.0.0"));
            InboundMessage offer = link.Next();
            Assert.Equal(InboundKind.Offer, offer.Kind);
            Assert.Equal(DownloadSource.MqttChunks, offer.Offer.Source);
            server.DropChunkOnce(99); // not requested: no effect
            Assert.Equal(image.Bytes, link.DownloadChunks(offer.Offer, 4096));
            link.Report(ReportKind.Downloading, offer.Offer, "1.0.0", percent: 50);
            Assert.Equal(50, link.WaitReport(r => r.State == "downloading").Percent);
            link.Report(ReportKind.Updated, offer.Offer, "2.0.0");
            Assert.True(link.WaitReport(r => r.State == "updated").IsSuccess);
        }

        [Fact]
        public void SelfHosted_Url_OfferAndFailureReport()
        {
            var files = new Files();
            var settings = new DeviceSettings { Platform = "selfhosted", DeviceName = "dev-8" };
            var server = new SelfHostedServer("dev-8", files.Publish, "md5");
            using var link = new AdapterServerLink(new SelfHostedAdapter(settings), server);
            PackagedImage image = Image("2.0.0", 5_000);
            server.Release(image);
            link.ConnectDevice("1.0.0");
            InboundMessage offer = link.Next();
            Assert.Equal(DownloadSource.HttpRange, offer.Offer.Source);
            Assert.Equal(image.Md5, offer.Offer.Hash);
            Assert.Equal(image.Bytes, files.ByUrl[offer.Offer.Url]);
            link.Report(ReportKind.Failed, offer.Offer, "1.0.0", UpdateError.ChecksumMismatch);
            DeviceReport failed = link.WaitReport(r => r.IsFailure);
            Assert.StartsWith("checksum_mismatch", failed.Error);
        }

        [Fact]
        public void Enos_ReleaseWhileOffline_GetVersion_RelativeUrl_Updated()
        {
            var files = new Files();
            var server = new EnosServer("pk1", "dk1", files.Publish);
            PackagedImage image = Image("1.2.0", 4_000);
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk1", DeviceName = "dk1", DeviceSecret = "s" };
            var adapter = new EnosAdapter(settings);
            using var link = new AdapterServerLink(adapter, server);
            server.Release(image); // nobody listens: the push is lost, getversion must find it
            settings.DownloadBaseUrl = server.FileBaseUrl;

            link.ConnectDevice("1.0.0");
            Assert.NotNull(link.WaitReport(r => r.State == "inform" && r.Version == "1.0.0"));
            InboundMessage offer = link.Next();
            Assert.NotNull(offer);
            Assert.Equal(InboundKind.Offer, offer.Kind);
            Assert.Equal(image.Md5, offer.Offer.Hash);
            Assert.Equal(image.Bytes, files.ByUrl[offer.Offer.Url]);

            link.Report(ReportKind.Downloading, offer.Offer, "1.0.0", percent: 40);
            DeviceReport p = link.WaitReport(r => r.State == "40");
            Assert.Equal(40, p.Percent);
            link.Report(ReportKind.Updated, null, "1.2.0");
            Assert.True(link.WaitReport(r => r.State == "inform").IsSuccess);
        }

        [Fact]
        public void Enos_PushWhileOnline_IsRepliedWithItsId_AndFailureStepsAreFailures()
        {
            var files = new Files();
            var server = new EnosServer("pk1", "dk1", files.Publish, "sha256", relativeFileUrl: false);
            var settings = new DeviceSettings { Platform = "enos", ProductKey = "pk1", DeviceName = "dk1", DeviceSecret = "s" };
            using var link = new AdapterServerLink(new EnosAdapter(settings), server);
            link.ConnectDevice("1.0.0");
            InboundMessage none = link.Next();
            Assert.Equal(InboundKind.NoUpdate, none.Kind);

            PackagedImage image = Image("1.3.0", 2_000);
            server.Release(image);
            InboundMessage offer = link.Next();
            Assert.Equal(InboundKind.Offer, offer.Kind);
            Assert.Equal(image.Sha256, offer.Offer.Hash);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            string replyId = null;
            while (DateTime.UtcNow < deadline && !server.UpgradeReplies.TryPeek(out replyId)) System.Threading.Thread.Sleep(20);
            Assert.Equal(offer.Offer.MessageId, replyId);

            link.Report(ReportKind.Failed, offer.Offer, "1.0.0", UpdateError.ChecksumMismatch);
            DeviceReport failed = link.WaitReport(r => r.IsFailure);
            Assert.Equal("-3", failed.State);
            Assert.StartsWith("verification failure", failed.Error);
        }
    }
}
