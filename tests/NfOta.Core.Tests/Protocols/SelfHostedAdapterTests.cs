using System;
using System.Collections;
using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Protocols
{
    [TestClass]
    public class SelfHostedAdapterTests
    {
        // The examples of docs/platforms-enos-golioth-selfhosted.md ("Self-hosted").
        private const string DocHello = "{\"version\":\"1.0.0\"}";
        private const string DocOfferUrl = "{\"version\":\"1.1.0\",\"size\":1048576,\"sha256\":\"0b3a1b5f0e2b4e9a7c1d3f5a6b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708\",\"url\":\"http://192.168.1.10:8080/fw/1.1.0.bin\"}";
        private const string DocOfferChunks = "{\"version\":\"1.1.0\",\"size\":1048576,\"md5\":\"9e107d9d372bb6826bd81d3542a419d6\"}";
        private const string DocChunkReq = "{\"version\":\"1.1.0\",\"index\":3,\"size\":4096}";
        private const string DocStatusDownloading = "{\"state\":\"downloading\",\"percent\":40,\"version\":\"1.0.0\",\"target\":\"1.1.0\"}";
        private const string DocStatusFailed = "{\"state\":\"failed\",\"version\":\"1.0.0\",\"target\":\"1.1.0\",\"error\":\"checksum_mismatch\",\"message\":\"sha256 differs\"}";
        private const string DocStatusUpdated = "{\"state\":\"updated\",\"version\":\"1.1.0\"}";

        private static DeviceSettings Settings()
        {
            var s = new DeviceSettings();
            s.Platform = "selfhosted";
            s.DeviceName = "kitchen-1";
            return s;
        }

        [TestMethod]
        public void SaysHelloAndSubscribesToItsOwnTopics()
        {
            var a = new SelfHostedAdapter(Settings());
            Assert.AreEqual("nfota/kitchen-1/offer", a.SubscribeTopics[0]);
            Assert.AreEqual("nfota/kitchen-1/chunk/resp/+", a.SubscribeTopics[1]);
            Assert.AreEqual("nfota-kitchen-1", a.GetCredentials().ClientId);
            var pub = new RecordingPublisher();
            a.OnConnected("1.0.0", pub);
            Assert.AreEqual("nfota/kitchen-1/hello", pub.Topic(0));
            Hashtable h = DocumentShape.AssertSameShape(DocHello, pub.Text(0));
            Assert.AreEqual("1.0.0", (string)h["version"]);
        }

        [TestMethod]
        public void UrlOfferIsAnHttpRangeOffer()
        {
            var m = new InboundMessage();
            new SelfHostedAdapter(Settings()).Parse("nfota/kitchen-1/offer", AdapterGolden.Utf8(DocOfferUrl), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual("1.1.0", m.Offer.Version);
            Assert.AreEqual(1048576L, m.Offer.Size);
            Assert.AreEqual((int)HashAlgorithmKind.Sha256, (int)m.Offer.HashAlgorithm);
            Assert.AreEqual((int)DownloadSource.HttpRange, (int)m.Offer.Source);
            Assert.AreEqual("http://192.168.1.10:8080/fw/1.1.0.bin", m.Offer.Url);
        }

        [TestMethod]
        public void OfferWithoutUrlComesInChunks()
        {
            var a = new SelfHostedAdapter(Settings());
            var pub = new RecordingPublisher();
            var m = new InboundMessage();
            a.Parse("nfota/kitchen-1/offer", AdapterGolden.Utf8(DocOfferChunks), m, pub);
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual((int)HashAlgorithmKind.Md5, (int)m.Offer.HashAlgorithm);
            Assert.AreEqual((int)DownloadSource.MqttChunks, (int)m.Offer.Source);

            Assert.IsTrue(a.RequestChunk(m.Offer, 3, 4096, pub));
            Assert.AreEqual("nfota/kitchen-1/chunk/req", pub.Topic(0));
            Hashtable req = DocumentShape.AssertSameShape(DocChunkReq, pub.Text(0));
            Assert.AreEqual("1.1.0", (string)req["version"]);
            Assert.AreEqual(3L, (long)req["index"]);
            Assert.AreEqual(4096L, (long)req["size"]);

            byte[] bytes = new byte[4096];
            a.Parse("nfota/kitchen-1/chunk/resp/3", bytes, m, pub);
            Assert.AreEqual((int)InboundKind.Chunk, (int)m.Kind);
            Assert.AreEqual(3, m.ChunkIndex);
            Assert.AreSame(bytes, m.Payload);
            Assert.AreEqual(4096, m.ChunkLength);
        }

        [TestMethod]
        public void EmptyOfferIsNoUpdate()
        {
            var a = new SelfHostedAdapter(Settings());
            var m = new InboundMessage();
            a.Parse("nfota/kitchen-1/offer", AdapterGolden.Utf8("{}"), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind);
            a.Parse("nfota/kitchen-1/offer", new byte[0], m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind);
        }

        [TestMethod]
        public void StatusReportsMatchTheDocument()
        {
            var a = new SelfHostedAdapter(Settings());
            var pub = new RecordingPublisher();
            var offer = new UpdateOffer();
            offer.Version = "1.1.0";
            var r = new StatusReport();
            r.Kind = ReportKind.Downloading;
            r.Percent = 40;
            r.Offer = offer;
            r.RunningVersion = "1.0.0";
            a.Report(r, pub);
            Assert.AreEqual("nfota/kitchen-1/status", pub.Topic(0));
            Hashtable s = DocumentShape.AssertSameShape(DocStatusDownloading, pub.Text(0));
            Assert.AreEqual("downloading", (string)s["state"]);
            Assert.AreEqual(40L, (long)s["percent"]);

            r.Kind = ReportKind.Failed;
            r.Error = UpdateError.ChecksumMismatch;
            r.Message = "sha256 differs";
            a.Report(r, pub);
            s = DocumentShape.AssertSameShape(DocStatusFailed, pub.Text(1));
            Assert.AreEqual("checksum_mismatch", (string)s["error"]);
            Assert.AreEqual("sha256 differs", (string)s["message"]);

            var done = new StatusReport();
            done.Kind = ReportKind.Updated;
            done.RunningVersion = "1.1.0";
            done.Offer = offer;
            a.Report(done, pub);
            s = DocumentShape.AssertSameShape(DocStatusUpdated, pub.Text(2));
            Assert.AreEqual("updated", (string)s["state"]);
        }

        [TestMethod]
        public void EveryErrorHasItsOwnCode()
        {
            var seen = new Hashtable();
            for (int e = (int)UpdateError.None; e <= (int)UpdateError.BootFailed; e++)
            {
                string code = SelfHostedAdapter.ErrorCode((UpdateError)e);
                Assert.IsFalse(seen.Contains(code), code);
                Assert.AreNotEqual("update_failed", code);
                seen[code] = e;
            }
        }

        [TestMethod]
        public void OtherDevicesAndBadOffersNeverThrow()
        {
            var a = new SelfHostedAdapter(Settings());
            var pub = new RecordingPublisher();
            var m = new InboundMessage();
            a.Parse("nfota/kitchen-2/offer", AdapterGolden.Utf8(DocOfferUrl), m, pub);
            Assert.AreEqual((int)InboundKind.Ignored, (int)m.Kind);
            a.Parse("nfota/kitchen-1/status", AdapterGolden.Utf8(DocStatusUpdated), m, pub);
            Assert.AreEqual((int)InboundKind.Ignored, (int)m.Kind);
            string[] bad =
            {
                "x", "[1]", "{\"version\":1}", "{\"version\":\"1.1\",\"size\":\"5\",\"md5\":\"9e107d9d372bb6826bd81d3542a419d6\"}",
                "{\"version\":\"1.1\",\"size\":5}", "{\"version\":\"1.1\",\"size\":5,\"sha256\":\"abc\"}",
                "{\"version\":\"1.1\",\"size\":5,\"md5\":\"9e107d9d372bb6826bd81d3542a419d6\",\"url\":3}",
            };
            for (int i = 0; i < bad.Length; i++)
            {
                a.Parse("nfota/kitchen-1/offer", AdapterGolden.Utf8(bad[i]), m, pub);
                Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind, bad[i]);
            }
            a.Parse("nfota/kitchen-1/chunk/resp/abc", new byte[1], m, pub);
            Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind);
            Assert.AreEqual(0, pub.Count);
        }

        [TestMethod]
        public void FuzzedMessagesNeverThrow()
        {
            var a = new SelfHostedAdapter(Settings());
            var pub = new RecordingPublisher();
            var m = new InboundMessage();
            var mut = new MessageMutator(4004);
            byte[][] seeds = { AdapterGolden.Utf8(DocOfferUrl), AdapterGolden.Utf8(DocOfferChunks) };
            int count = 0, offers = 0;
            for (int i = 0; i < 4000; i++)
            {
                a.Parse("nfota/kitchen-1/offer", mut.Mutate(seeds[i & 1]), m, pub);
                count++;
                if (m.Kind == InboundKind.Offer)
                {
                    offers++;
                    Assert.IsTrue(m.Offer.Size > 0);
                }
            }
            OutputHelper.WriteLine("Self-hosted fuzz: " + count + " mutated offers parsed, " + offers + " offers, no exception");
            Assert.AreEqual(4000, count);
        }
    }
}
