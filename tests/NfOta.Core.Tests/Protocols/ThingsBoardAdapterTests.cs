using System.Collections;
using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Protocols
{
    /// <summary>Golden messages of seed document 004 (ThingsBoard) and its official Python SDK.</summary>
    [TestClass]
    public class ThingsBoardAdapterTests
    {
        // The shared attributes ThingsBoard pushes when firmware is assigned (document: "Shared
        // Attributes (Platform Sets)": fw_size a Long, the others Strings).
        private const string SharedUpdate =
            "{\"fw_title\":\"main\",\"fw_version\":\"1.1.0\",\"fw_size\":432945,\"fw_checksum_algorithm\":\"SHA256\",\"fw_checksum\":\"6c3e6cbd5b2a2e4f84d37d0e1f8b0b4b3c1e0a0f5b2a1e6d7c8b9a0f1e2d3c4b\"}";

        // The answer to the connect-time request, keys under "shared".
        private const string SharedResponse =
            "{\"shared\":{\"fw_checksum\":\"93230c3bde425a9d7984a594ac55ea1e\",\"fw_checksum_algorithm\":\"MD5\",\"fw_size\":31242,\"fw_title\":\"main\",\"fw_version\":\"2.0.0\"}}";

        private static ThingsBoardAdapter Adapter()
        {
            var s = new DeviceSettings();
            s.Platform = "thingsboard";
            s.AccessToken = "A1_TEST_TOKEN";
            s.Package = "main";
            return new ThingsBoardAdapter(s);
        }

        private static UpdateOffer ChunkOffer(ThingsBoardAdapter a)
        {
            var m = AdapterGolden.Parse(a, ThingsBoardAdapter.AttributesTopic, SharedUpdate);
            Assert.IsTrue(m.Kind == InboundKind.Offer);
            return m.Offer;
        }

        [TestMethod]
        public void CredentialsAreTheAccessTokenAsUserName()
        {
            var c = Adapter().GetCredentials();
            Assert.AreEqual("A1_TEST_TOKEN", c.Username);
            Assert.IsNull(c.Password);
            Assert.IsNotNull(c.ClientId);
            Assert.IsFalse(c.ClientId.IndexOf("A1_TEST_TOKEN") >= 0, "the token is not the client id");
            Assert.AreEqual(c.ClientId, Adapter().GetCredentials().ClientId, "stable client id");
        }

        [TestMethod]
        public void SubscribesToAttributesResponsesAndChunks()
        {
            string[] t = Adapter().SubscribeTopics;
            Assert.AreEqual(3, t.Length);
            Assert.AreEqual("v1/devices/me/attributes", t[0]);
            Assert.AreEqual("v1/devices/me/attributes/response/+", t[1]);
            Assert.AreEqual("v2/fw/response/+/chunk/+", t[2]);
        }

        [TestMethod]
        public void OnConnectedSendsCurrentFirmwareThenRequestsTheFirmwareKeys()
        {
            var a = Adapter();
            var p = new RecordingPublisher();
            a.OnConnected("1.0.0", p);
            Assert.AreEqual(2, p.Count);

            Assert.AreEqual("v1/devices/me/telemetry", p.Topic(0));
            Hashtable t = AdapterGolden.Object(p.Text(0));
            AdapterGolden.Keys(t, new[] { "current_fw_title", "current_fw_version", "fw_state" });
            AdapterGolden.IsString(t, "current_fw_title", "main");
            AdapterGolden.IsString(t, "current_fw_version", "1.0.0");
            AdapterGolden.IsString(t, "fw_state", "IDLE");

            Assert.AreEqual("v1/devices/me/attributes/request/1", p.Topic(1));
            Assert.AreEqual("{\"sharedKeys\":\"fw_checksum,fw_checksum_algorithm,fw_size,fw_title,fw_version\"}", p.Text(1));

            p.Clear();
            a.OnConnected("1.0.0", p);
            Assert.AreEqual("v1/devices/me/attributes/request/2", p.Topic(1), "each request has a new id");
        }

        [TestMethod]
        public void ReconnectRepeatsTheLastStateNotIdle()
        {
            var a = Adapter();
            var p = new RecordingPublisher();
            var r = new StatusReport();
            r.Kind = ReportKind.Downloading;
            r.Percent = 40;
            r.RunningVersion = "1.0.0";
            a.Report(r, p);
            p.Clear();
            a.OnConnected("1.0.0", p);
            AdapterGolden.IsString(AdapterGolden.Object(p.Text(0)), "fw_state", "DOWNLOADING");
        }

        [TestMethod]
        public void SharedAttributeUpdateIsAnMqttChunkOffer()
        {
            var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes", SharedUpdate);
            Assert.IsTrue(m.Kind == InboundKind.Offer);
            UpdateOffer o = m.Offer;
            Assert.AreEqual("main", o.Title);
            Assert.AreEqual("1.1.0", o.Version);
            Assert.AreEqual(432945L, o.Size);
            Assert.IsTrue(o.HashAlgorithm == HashAlgorithmKind.Sha256);
            Assert.AreEqual("6c3e6cbd5b2a2e4f84d37d0e1f8b0b4b3c1e0a0f5b2a1e6d7c8b9a0f1e2d3c4b", o.Hash);
            Assert.IsTrue(o.Source == DownloadSource.MqttChunks);
            Assert.IsNull(o.Url);
        }

        [TestMethod]
        public void AttributeResponseOfferIsReadFromShared()
        {
            var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes/response/1", SharedResponse);
            Assert.IsTrue(m.Kind == InboundKind.Offer);
            Assert.AreEqual("2.0.0", m.Offer.Version);
            Assert.AreEqual(31242L, m.Offer.Size);
            Assert.IsTrue(m.Offer.HashAlgorithm == HashAlgorithmKind.Md5);
            Assert.AreEqual("93230c3bde425a9d7984a594ac55ea1e", m.Offer.Hash);
        }

        [TestMethod]
        public void EveryDocumentedChecksumAlgorithmIsUnderstood()
        {
            string[] names = { "MD5", "SHA256", "SHA384", "SHA512", "CRC32" };
            HashAlgorithmKind[] kinds = { HashAlgorithmKind.Md5, HashAlgorithmKind.Sha256, HashAlgorithmKind.Sha384, HashAlgorithmKind.Sha512, HashAlgorithmKind.Crc32 };
            for (int i = 0; i < names.Length; i++)
            {
                var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes",
                    "{\"fw_title\":\"main\",\"fw_version\":\"3\",\"fw_size\":10,\"fw_checksum_algorithm\":\"" + names[i] + "\",\"fw_checksum\":\"abc\"}");
                Assert.IsTrue(m.Kind == InboundKind.Offer, names[i]);
                Assert.IsTrue(m.Offer.HashAlgorithm == kinds[i], names[i]);
            }
        }

        [TestMethod]
        public void UnknownChecksumAlgorithmIsAnOfferWithoutAlgorithm()
        {
            // The agent refuses it with UnsupportedAlgorithm, so the platform hears why.
            var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_size\":5,\"fw_checksum_algorithm\":\"SHA3-256\",\"fw_checksum\":\"aa\"}");
            Assert.IsTrue(m.Kind == InboundKind.Offer);
            Assert.IsTrue(m.Offer.HashAlgorithm == HashAlgorithmKind.None);
            Assert.AreEqual("aa", m.Offer.Hash);
            Assert.AreEqual("INVALID_PACKAGE", ThingsBoardAdapter.ErrorWord(UpdateError.UnsupportedAlgorithm));
        }

        [TestMethod]
        public void ExternalPackageWithUrlIsAnHttpRangeOffer()
        {
            var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes",
                "{\"fw_title\":\"main\",\"fw_version\":\"1.2\",\"fw_url\":\"https://example.com/fw.bin\",\"fw_checksum_algorithm\":\"SHA256\",\"fw_checksum\":\"aa\"}");
            Assert.IsTrue(m.Kind == InboundKind.Offer);
            Assert.IsTrue(m.Offer.Source == DownloadSource.HttpRange);
            Assert.AreEqual("https://example.com/fw.bin", m.Offer.Url);
            Assert.AreEqual(-1L, m.Offer.Size);
        }

        [TestMethod]
        public void ResponseWithoutFirmwareIsNoUpdate()
        {
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes/response/3", "{}").Kind == InboundKind.NoUpdate);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes/response/3", "{\"shared\":{}}").Kind == InboundKind.NoUpdate);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes/response/3", "{\"client\":{\"x\":1}}").Kind == InboundKind.NoUpdate);
        }

        [TestMethod]
        public void AttributeMessagesWithoutFirmwareFieldsAreIgnored()
        {
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes", "{\"targetTemperature\":21}").Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes", "{\"deleted\":[\"fw_title\",\"fw_version\"]}").Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/rpc/request/1", "{\"method\":\"x\"}").Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "v1/devices/me/attributesX", SharedUpdate).Kind == InboundKind.Ignored);
        }

        [TestMethod]
        public void FirmwareOfAnotherTitleIsIgnored()
        {
            var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes",
                "{\"fw_title\":\"bootloader\",\"fw_version\":\"9\",\"fw_size\":10,\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}");
            Assert.IsTrue(m.Kind == InboundKind.Ignored);
        }

        [TestMethod]
        public void BrokenOrMistypedAttributesAreMalformed()
        {
            string[] bad =
            {
                "not json",
                "[1,2]",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_size\":\"big\",\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_size\":-5,\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_size\":1.5,\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}",
                "{\"fw_title\":{\"a\":1},\"fw_version\":\"1\",\"fw_size\":5,\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}",
                "{\"fw_title\":\"main\",\"fw_version\":[],\"fw_size\":5,\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_checksum_algorithm\":\"MD5\",\"fw_checksum\":\"aa\"}",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_size\":5,\"fw_checksum_algorithm\":\"MD5\"}",
                "{\"fw_title\":\"main\",\"fw_version\":\"1\",\"fw_size\":5,\"fw_checksum\":\"aa\"}",
            };
            for (int i = 0; i < bad.Length; i++)
            {
                var m = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes", bad[i]);
                Assert.IsTrue(m.Kind == InboundKind.Malformed, bad[i]);
                Assert.IsNotNull(m.Error, bad[i]);
                Assert.IsTrue(m.Error.IndexOf('\n') < 0, "one line");
            }
            var r = AdapterGolden.Parse(Adapter(), "v1/devices/me/attributes/response/1", "{\"shared\":\"fw\"}");
            Assert.IsTrue(r.Kind == InboundKind.Malformed);
        }

        [TestMethod]
        public void RequestChunkSendsTheDocumentedPayload()
        {
            var a = Adapter();
            var o = ChunkOffer(a);
            var p = new RecordingPublisher();
            Assert.IsTrue(a.RequestChunk(o, 0, 16384, p));
            Assert.AreEqual("v2/fw/request/1/chunk/0", p.Topic(0));
            Assert.AreEqual("{\"chunkSize\":16384}", p.Text(0));
            AdapterGolden.IsNumber(AdapterGolden.Object(p.Text(0)), "chunkSize", 16384);

            Assert.IsTrue(a.RequestChunk(o, 7, 16384, p));
            Assert.AreEqual("v2/fw/request/1/chunk/7", p.Topic(1), "one request id per image");

            var other = ChunkOffer(Adapter());
            other.Version = "1.2.0";
            Assert.IsTrue(a.RequestChunk(other, 0, 4096, p));
            Assert.AreEqual("v2/fw/request/2/chunk/0", p.Topic(2), "a new image takes a new request id");
            Assert.AreEqual("{\"chunkSize\":4096}", p.Text(2));
        }

        [TestMethod]
        public void RequestChunkRefusesUrlOffersAndBadArguments()
        {
            var a = Adapter();
            var p = new RecordingPublisher();
            var url = new UpdateOffer();
            url.Source = DownloadSource.HttpRange;
            Assert.IsFalse(a.RequestChunk(url, 0, 1024, p));
            Assert.IsFalse(a.RequestChunk(ChunkOffer(a), -1, 1024, p));
            Assert.IsFalse(a.RequestChunk(ChunkOffer(a), 0, 0, p));
            Assert.AreEqual(0, p.Count);
        }

        [TestMethod]
        public void ChunkResponsesOfTheCurrentRequestAreChunks()
        {
            var a = Adapter();
            var o = ChunkOffer(a);
            a.RequestChunk(o, 3, 4, new RecordingPublisher());
            var m = new InboundMessage();
            byte[] bytes = { 1, 2, 3, 4 };
            a.Parse("v2/fw/response/1/chunk/3", bytes, m, null);
            Assert.IsTrue(m.Kind == InboundKind.Chunk);
            Assert.AreEqual(3, m.ChunkIndex);
            Assert.AreSame(bytes, m.Payload);
            Assert.AreEqual(0, m.ChunkOffset);
            Assert.AreEqual(4, m.ChunkLength);

            a.Parse("v2/fw/response/9/chunk/3", bytes, m, null);
            Assert.IsTrue(m.Kind == InboundKind.Ignored, "stale request id");

            string[] badTopics = { "v2/fw/response/1/chunk/", "v2/fw/response/1/chunk/x", "v2/fw/response//chunk/1", "v2/fw/response/1/chunks/1", "v2/fw/response/1/chunk/1/2", "v2/fw/response/1/chunk/99999999999" };
            for (int i = 0; i < badTopics.Length; i++)
            {
                a.Parse(badTopics[i], bytes, m, null);
                Assert.IsTrue(m.Kind == InboundKind.Malformed, badTopics[i]);
            }

            a.Parse("v2/fw/response/1/chunk/4", new byte[0], m, null);
            Assert.IsTrue(m.Kind == InboundKind.Malformed, "an empty chunk");
        }

        [TestMethod]
        public void ChunksBeforeAnyRequestAreIgnored()
        {
            var m = new InboundMessage();
            Adapter().Parse("v2/fw/response/0/chunk/0", new byte[] { 1 }, m, null);
            Assert.IsTrue(m.Kind == InboundKind.Ignored);
        }

        private static Hashtable Reported(ReportKind kind, int percent, UpdateError error, string message, string running, UpdateOffer offer)
        {
            var a = Adapter();
            var p = new RecordingPublisher();
            var r = new StatusReport();
            r.Kind = kind;
            r.Percent = percent;
            r.Error = error;
            r.Message = message;
            r.RunningVersion = running;
            r.Offer = offer;
            a.Report(r, p);
            Assert.AreEqual(1, p.Count);
            Assert.AreEqual("v1/devices/me/telemetry", p.Topic(0));
            return AdapterGolden.Object(p.Text(0));
        }

        [TestMethod]
        public void ReportsUseTheDocumentedStates()
        {
            var o = ChunkOffer(Adapter());

            Hashtable d = Reported(ReportKind.Downloading, 35, UpdateError.None, null, "1.0.0", o);
            AdapterGolden.Keys(d, new[] { "current_fw_title", "current_fw_version", "fw_state", "fw_progress" });
            AdapterGolden.IsString(d, "fw_state", "DOWNLOADING");
            AdapterGolden.IsNumber(d, "fw_progress", 35);
            AdapterGolden.IsString(d, "current_fw_version", "1.0.0");

            AdapterGolden.IsString(Reported(ReportKind.Downloaded, 0, UpdateError.None, null, "1.0.0", o), "fw_state", "DOWNLOADED");
            AdapterGolden.IsString(Reported(ReportKind.Verified, 0, UpdateError.None, null, "1.0.0", o), "fw_state", "VERIFIED");
            AdapterGolden.IsString(Reported(ReportKind.Installing, 0, UpdateError.None, null, "1.0.0", o), "fw_state", "UPDATING");

            Hashtable u = Reported(ReportKind.Updated, 0, UpdateError.None, null, "1.1.0", o);
            AdapterGolden.Keys(u, new[] { "current_fw_title", "current_fw_version", "fw_state" });
            AdapterGolden.IsString(u, "fw_state", "UPDATED");
            AdapterGolden.IsString(u, "current_fw_version", "1.1.0");
            AdapterGolden.IsString(u, "current_fw_title", "main");

            Hashtable f = Reported(ReportKind.Failed, 0, UpdateError.ChecksumMismatch, "SHA256 differs", "1.0.0", o);
            AdapterGolden.Keys(f, new[] { "current_fw_title", "current_fw_version", "fw_state", "fw_error" });
            AdapterGolden.IsString(f, "fw_state", "FAILED");
            AdapterGolden.IsString(f, "fw_error", "CHECKSUM_MISMATCH: SHA256 differs");
            AdapterGolden.IsString(f, "current_fw_version", "1.0.0");

            Hashtable v = Reported(ReportKind.Version, 0, UpdateError.None, null, "1.0.0", null);
            AdapterGolden.Keys(v, new[] { "current_fw_title", "current_fw_version" });
        }

        [TestMethod]
        public void ProgressIsClampedToTheDocumentedRange()
        {
            AdapterGolden.IsNumber(Reported(ReportKind.Downloading, 140, UpdateError.None, null, "1", null), "fw_progress", 100);
            AdapterGolden.IsNumber(Reported(ReportKind.Downloading, -3, UpdateError.None, null, "1", null), "fw_progress", 0);
        }

        [TestMethod]
        public void EveryErrorMapsToADocumentedErrorWord()
        {
            string documented = "CHECKSUM_MISMATCH NETWORK_ERROR INSUFFICIENT_STORAGE INVALID_PACKAGE INSTALLATION_FAILED";
            for (int e = (int)UpdateError.None; e <= (int)UpdateError.BootFailed; e++)
            {
                string word = ThingsBoardAdapter.ErrorWord((UpdateError)e);
                Assert.IsTrue(documented.IndexOf(word) >= 0, word);
            }
            Assert.AreEqual("CHECKSUM_MISMATCH", ThingsBoardAdapter.ErrorWord(UpdateError.ChecksumMismatch));
            Assert.AreEqual("NETWORK_ERROR", ThingsBoardAdapter.ErrorWord(UpdateError.DownloadFailed));
            Assert.AreEqual("INSUFFICIENT_STORAGE", ThingsBoardAdapter.ErrorWord(UpdateError.NotEnoughSpace));
            Assert.AreEqual("INVALID_PACKAGE", ThingsBoardAdapter.ErrorWord(UpdateError.InvalidImage));
            Assert.AreEqual("INSTALLATION_FAILED", ThingsBoardAdapter.ErrorWord(UpdateError.FlashFailed));
            Assert.AreEqual("INSTALLATION_FAILED", ThingsBoardAdapter.ErrorWord(UpdateError.SelfTestFailed));
            AdapterGolden.IsString(Reported(ReportKind.Failed, 0, UpdateError.BootFailed, null, "1.0.0", null), "fw_error", "INSTALLATION_FAILED");
        }

        [TestMethod]
        public void FuzzedDocumentMessagesNeverThrow()
        {
            var a = Adapter();
            a.RequestChunk(ChunkOffer(a), 0, 16, new RecordingPublisher());
            string[] topics =
            {
                "v1/devices/me/attributes", "v1/devices/me/attributes/response/1", "v2/fw/response/1/chunk/0",
                "v2/fw/response/1/chunk/x", "v1/devices/me/telemetry", ""
            };
            string[] messages = { SharedUpdate, SharedResponse, "{}", "{\"deleted\":[\"fw_title\"]}", "{\"chunkSize\":16384}" };
            string summary = AdapterGolden.Fuzz(a, topics, messages, 4000, 4);
            OutputHelper.WriteLine("thingsboard: " + summary);
        }
    }
}
