using System.Collections;
using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Protocols
{
    /// <summary>Golden messages of seed document 000 (Alibaba Cloud IoT Platform, firmware update).</summary>
    [TestClass]
    public class AlibabaAdapterTests
    {
        private const string Upgrade = "/ota/device/upgrade/a1pk/dev1";

        // The document's "Push firmware information" example, verbatim.
        private const string PushExample =
            "{\n  \"code\": \"1000\",\n  \"data\": {\n    \"size\": 432945,\n    \"version\": \"2.0.0\",\n    \"url\": \"https://iotx-ota-pre.oss-cn-shanghai.aliyuncs.com/nopoll_0.4.4.tar.gz?Expires=1502955804&OSSAccessKeyId=XXXXXXXXXXXXXXXXXXXX&Signature=XfgJu7P6DWWejstKJgXJEH0qAKU%3D\",\n    \"md5\": \"93230c3bde425a9d7984a594ac55ea1e\",\n    \"sign\": \"93230c3bde425a9d7984a594ac55ea1e\",\n    \"signMethod\": \"Md5\"\n  },\n  \"id\": 1507707025,\n  \"message\": \"success\"\n}";

        // The document's answer to /ota/device/request, verbatim.
        private const string RequestAnswerExample =
            "{\n  \"code\": \"1000\", \n  \"data\": {\n    \"size\": 93796291, \n    \"sign\": \"f8d85b250d4d787a9f483d89a9747348\", \n    \"version\": \"1.0.1.9.20171112.1432\", \n    \"url\": \"https://the_firmware_url\", \n    \"signMethod\": \"Md5\", \n    \"md5\": \"f8d85b250d4d787a9f483d89a9747348\"\n  }, \n  \"id\": 8758548588458, \n  \"message\": \"success\"\n}";

        private const string NoUpdateExample = "{\n  \"code\": 500, \n  \"message\": \"none upgrade operation of the device.\"\n}";

        private const string Sha256Push =
            "{\"code\":\"1000\",\"data\":{\"size\":1024,\"version\":\"2.1.0\",\"url\":\"https://x/fw.bin\",\"sign\":\"AB12cd\",\"signMethod\":\"SHA256\"},\"id\":7,\"message\":\"success\"}";

        private static AlibabaAdapter Adapter()
        {
            var s = new DeviceSettings();
            s.Platform = "alibaba";
            s.ProductKey = "a1pk";
            s.DeviceName = "dev1";
            s.DeviceSecret = "secret";
            return new AlibabaAdapter(s);
        }

        [TestMethod]
        public void CredentialsFollowTheDocumentedSignature()
        {
            var s = new DeviceSettings();
            s.ProductKey = "testProduct";
            s.DeviceName = "testDevice";
            s.DeviceSecret = "testSecret";
            var c = new AlibabaAdapter(s).GetCredentials();
            Assert.AreEqual("testProduct.testDevice|securemode=3,signmethod=hmacsha256|", c.ClientId);
            Assert.AreEqual("testDevice&testProduct", c.Username);
            // HMAC-SHA256("testSecret", "clientIdtestProduct.testDevicedeviceNametestDeviceproductKeytestProduct"), computed with Python's hmac.
            Assert.AreEqual("1c6d849123c027ae56baf29844bbcfb39542734e6150eb88ec12baedaa65dc03", c.Password);

            s.BrokerTls = true;
            s.ClientId = "my-board";
            c = new AlibabaAdapter(s).GetCredentials();
            Assert.AreEqual("my-board|securemode=2,signmethod=hmacsha256|", c.ClientId);
            Assert.AreNotEqual("1c6d849123c027ae56baf29844bbcfb39542734e6150eb88ec12baedaa65dc03", c.Password);
        }

        [TestMethod]
        public void SubscribesToItsOwnUpgradeTopicOnly()
        {
            string[] t = Adapter().SubscribeTopics;
            Assert.AreEqual(1, t.Length);
            Assert.AreEqual(Upgrade, t[0]);
        }

        [TestMethod]
        public void OnConnectedInformsTheVersionThenRequestsFirmware()
        {
            var p = new RecordingPublisher();
            Adapter().OnConnected("1.0.1", p);
            Assert.AreEqual(2, p.Count);
            Assert.AreEqual("/ota/device/inform/a1pk/dev1", p.Topic(0));
            // The document's inform example, byte for byte: {"id": 1, "params": {"version": "1.0.1"}}
            Assert.AreEqual("{\"id\":1,\"params\":{\"version\":\"1.0.1\"}}", p.Text(0));
            Hashtable inform = AdapterGolden.Object(p.Text(0));
            AdapterGolden.Keys(inform, new[] { "id", "params" });
            AdapterGolden.IsNumber(inform, "id", 1);
            AdapterGolden.IsString(AdapterGolden.IsObject(inform, "params"), "version", "1.0.1");

            Assert.AreEqual("/ota/device/request/a1pk/dev1", p.Topic(1));
            Assert.AreEqual("{\"id\":2,\"params\":{\"version\":\"1.0.1\"}}", p.Text(1), "ids are unique within the device");
        }

        [TestMethod]
        public void DocumentPushIsAnOffer()
        {
            var m = AdapterGolden.Parse(Adapter(), Upgrade, PushExample);
            Assert.IsTrue(m.Kind == InboundKind.Offer, m.Error);
            UpdateOffer o = m.Offer;
            Assert.AreEqual("2.0.0", o.Version);
            Assert.AreEqual(432945L, o.Size);
            Assert.IsTrue(o.HashAlgorithm == HashAlgorithmKind.Md5);
            Assert.AreEqual("93230c3bde425a9d7984a594ac55ea1e", o.Hash);
            Assert.IsTrue(o.Source == DownloadSource.HttpRange);
            Assert.StartsWith("https://iotx-ota-pre.oss-cn-shanghai.aliyuncs.com/nopoll_0.4.4.tar.gz?Expires=1502955804", o.Url);
            Assert.AreEqual("1507707025", o.MessageId);
        }

        [TestMethod]
        public void DocumentRequestAnswerIsAnOffer()
        {
            var m = AdapterGolden.Parse(Adapter(), Upgrade, RequestAnswerExample);
            Assert.IsTrue(m.Kind == InboundKind.Offer, m.Error);
            Assert.AreEqual("1.0.1.9.20171112.1432", m.Offer.Version);
            Assert.AreEqual(93796291L, m.Offer.Size);
            Assert.AreEqual("https://the_firmware_url", m.Offer.Url);
            Assert.AreEqual("8758548588458", m.Offer.MessageId);
        }

        [TestMethod]
        public void Sha256SignMethodAndMd5OnlyPushes()
        {
            var m = AdapterGolden.Parse(Adapter(), Upgrade, Sha256Push);
            Assert.IsTrue(m.Kind == InboundKind.Offer, m.Error);
            Assert.IsTrue(m.Offer.HashAlgorithm == HashAlgorithmKind.Sha256);
            Assert.AreEqual("AB12cd", m.Offer.Hash, "the digest as the platform sent it");

            var old = AdapterGolden.Parse(Adapter(), Upgrade, "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"url\":\"https://x\",\"md5\":\"aa\"},\"id\":1}");
            Assert.IsTrue(old.Kind == InboundKind.Offer, old.Error);
            Assert.IsTrue(old.Offer.HashAlgorithm == HashAlgorithmKind.Md5);
        }

        [TestMethod]
        public void UndocumentedSignMethodIsAnOfferWithoutAlgorithm()
        {
            // The agent refuses it with UnsupportedAlgorithm, reported as step -3.
            var m = AdapterGolden.Parse(Adapter(), Upgrade, "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"url\":\"https://x\",\"sign\":\"aa\",\"signMethod\":\"CRC32\"}}");
            Assert.IsTrue(m.Kind == InboundKind.Offer, m.Error);
            Assert.IsTrue(m.Offer.HashAlgorithm == HashAlgorithmKind.None);
            Assert.AreEqual("-3", AlibabaAdapter.Step(UpdateError.UnsupportedAlgorithm));
        }

        [TestMethod]
        public void NoUpgradeAnswerIsNoUpdate()
        {
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), Upgrade, NoUpdateExample).Kind == InboundKind.NoUpdate);
        }

        [TestMethod]
        public void OtherDevicesAndTopicsAreIgnored()
        {
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "/ota/device/upgrade/a1pk/dev2", PushExample).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "/ota/device/upgrade/otherpk/dev1", PushExample).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "/ota/device/upgrade/a1pk/dev1/x", PushExample).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "/ota/device/inform/a1pk/dev1", PushExample).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), null, PushExample).Kind == InboundKind.Ignored);
        }

        [TestMethod]
        public void BrokenOrMistypedPushesAreMalformed()
        {
            string[] bad =
            {
                "",
                "nope",
                "[]",
                "{\"message\":\"success\"}",
                "{\"code\":\"abc\",\"data\":{}}",
                "{\"code\":\"1000\"}",
                "{\"code\":\"1000\",\"data\":\"x\"}",
                "{\"code\":\"1000\",\"data\":{\"size\":5,\"url\":\"https://x\",\"md5\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"md5\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"url\":42,\"md5\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"version\":\"2\",\"url\":\"https://x\",\"md5\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":-1,\"version\":\"2\",\"url\":\"https://x\",\"md5\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":\"many\",\"version\":\"2\",\"url\":\"https://x\",\"md5\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"url\":\"https://x\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"url\":\"https://x\",\"sign\":\"aa\"}}",
                "{\"code\":\"1000\",\"data\":{\"size\":5,\"version\":\"2\",\"url\":\"https://x\",\"md5\":7}}",
            };
            for (int i = 0; i < bad.Length; i++)
            {
                var m = AdapterGolden.Parse(Adapter(), Upgrade, bad[i]);
                Assert.IsTrue(m.Kind == InboundKind.Malformed, bad[i]);
                Assert.IsNotNull(m.Error, bad[i]);
            }
        }

        private static Hashtable Progress(RecordingPublisher p, int index, string step)
        {
            Assert.AreEqual("/ota/device/progress/a1pk/dev1", p.Topic(index));
            Hashtable h = AdapterGolden.Object(p.Text(index));
            AdapterGolden.Keys(h, new[] { "id", "params" });
            Assert.IsTrue(h["id"] is long, "id is a number as in the document");
            Hashtable ps = AdapterGolden.IsObject(h, "params");
            AdapterGolden.Keys(ps, new[] { "step", "desc" });
            AdapterGolden.IsString(ps, "step", step);
            Assert.IsTrue(ps["desc"] is string, "desc is a string");
            return ps;
        }

        private static RecordingPublisher Report(ReportKind kind, int percent, UpdateError error, string message, string running)
        {
            var p = new RecordingPublisher();
            var r = new StatusReport();
            r.Kind = kind;
            r.Percent = percent;
            r.Error = error;
            r.Message = message;
            r.RunningVersion = running;
            Adapter().Report(r, p);
            return p;
        }

        [TestMethod]
        public void ProgressStepIsAStringPercentage()
        {
            var p = Report(ReportKind.Downloading, 42, UpdateError.None, null, "1.0.1");
            Assert.AreEqual(1, p.Count);
            Progress(p, 0, "42");
            Assert.AreEqual("{\"id\":1,\"params\":{\"step\":\"42\",\"desc\":\"downloading\"}}", p.Text(0));
            Progress(Report(ReportKind.Downloading, 0, UpdateError.None, null, "1"), 0, "1");
            Progress(Report(ReportKind.Downloading, 250, UpdateError.None, null, "1"), 0, "100");
            Progress(Report(ReportKind.Downloaded, 0, UpdateError.None, null, "1"), 0, "100");
            Progress(Report(ReportKind.Verified, 0, UpdateError.None, null, "1"), 0, "100");
            Progress(Report(ReportKind.Installing, 0, UpdateError.None, null, "1"), 0, "100");
        }

        [TestMethod]
        public void FailureStepsAreTheDocumentedCodes()
        {
            var p = Report(ReportKind.Failed, 0, UpdateError.DownloadFailed, "connection reset", "1.0.1");
            Assert.AreEqual(1, p.Count);
            AdapterGolden.IsString(Progress(p, 0, "-2"), "desc", "connection reset");
            Progress(Report(ReportKind.Failed, 0, UpdateError.ChecksumMismatch, null, "1"), 0, "-3");
            Progress(Report(ReportKind.Failed, 0, UpdateError.FlashFailed, null, "1"), 0, "-4");
            Progress(Report(ReportKind.Failed, 0, UpdateError.NotEnoughSpace, null, "1"), 0, "-1");
            AdapterGolden.IsString(Progress(Report(ReportKind.Failed, 0, UpdateError.InvalidOffer, null, "1"), 0, "-1"), "desc", "invalid firmware information");

            for (int e = (int)UpdateError.None; e <= (int)UpdateError.BootFailed; e++)
            {
                string step = AlibabaAdapter.Step((UpdateError)e);
                Assert.IsTrue(step == "-1" || step == "-2" || step == "-3" || step == "-4", step);
            }
            Assert.AreEqual("-2", AlibabaAdapter.Step(UpdateError.AccessDenied));
            Assert.AreEqual("-2", AlibabaAdapter.Step(UpdateError.InvalidUri));
            Assert.AreEqual("-3", AlibabaAdapter.Step(UpdateError.SignatureInvalid));
            Assert.AreEqual("-4", AlibabaAdapter.Step(UpdateError.BootFailed));
        }

        [TestMethod]
        public void RollbackReportsTheFailureThenTheRunningVersion()
        {
            var p = Report(ReportKind.Failed, 0, UpdateError.SelfTestFailed, null, "1.0.1");
            Assert.AreEqual(2, p.Count);
            Progress(p, 0, "-4");
            Assert.AreEqual("/ota/device/inform/a1pk/dev1", p.Topic(1));
            AdapterGolden.IsString(AdapterGolden.IsObject(AdapterGolden.Object(p.Text(1)), "params"), "version", "1.0.1");
        }

        [TestMethod]
        public void UpdatedAndVersionReportsInformTheVersion()
        {
            var p = Report(ReportKind.Updated, 0, UpdateError.None, null, "2.0.0");
            Assert.AreEqual(1, p.Count);
            Assert.AreEqual("/ota/device/inform/a1pk/dev1", p.Topic(0));
            Assert.AreEqual("{\"id\":1,\"params\":{\"version\":\"2.0.0\"}}", p.Text(0));
            Assert.AreEqual("/ota/device/inform/a1pk/dev1", Report(ReportKind.Version, 0, UpdateError.None, null, "2.0.0").Topic(0));
        }

        [TestMethod]
        public void NoChunkRequests()
        {
            var p = new RecordingPublisher();
            Assert.IsFalse(Adapter().RequestChunk(new UpdateOffer(), 0, 1024, p));
            Assert.AreEqual(0, p.Count);
        }

        [TestMethod]
        public void FuzzedDocumentMessagesNeverThrow()
        {
            string[] topics = { Upgrade, Upgrade, Upgrade, "/ota/device/upgrade/a1pk/dev2", "" };
            string[] messages = { PushExample, RequestAnswerExample, NoUpdateExample, Sha256Push };
            string summary = AdapterGolden.Fuzz(Adapter(), topics, messages, 4000, 0);
            OutputHelper.WriteLine("alibaba: " + summary);
        }
    }
}
