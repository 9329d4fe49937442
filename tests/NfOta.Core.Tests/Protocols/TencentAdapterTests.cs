using System.Collections;
using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Protocols
{
    /// <summary>Golden messages of seed document 001 (Tencent Cloud IoT Hub, firmware upgrade).</summary>
    [TestClass]
    public class TencentAdapterTests
    {
        private const string Update = "$ota/update/ABCDEFGHIJ/dev1";
        private const string Report = "$ota/report/ABCDEFGHIJ/dev1";

        // The document's update_firmware example, verbatim (comments dropped).
        private const string UpdateExample =
            "{\n\t\"type\": \"update_firmware\",\n\t\"version\": \"1.0.0\",\n\t\"url\": \"https://ota-1254092559.cos.ap-guangzhou.myqcloud.com\",\n\t\"md5sum\": \"cc03e747a6afbbcbf8be7668acfebee5\",\n\t\"file_size\": 31242\n}";

        private const string VersionReply = "{\"type\":\"report_version_rsp\",\"version\":\"1.0.0\",\"result_code\":0,\"result_msg\":\"success\"}";

        private static TencentAdapter Adapter()
        {
            var s = new DeviceSettings();
            s.Platform = "tencent";
            s.ProductKey = "ABCDEFGHIJ";
            s.DeviceName = "dev1";
            s.DeviceSecret = "MTIzNDU2Nzg5MGFiY2RlZg==";
            return new TencentAdapter(s);
        }

        [TestMethod]
        public void CredentialsFollowTheDocumentedSignature()
        {
            var c = Adapter().GetCredentials("a1B2c", TencentAdapter.NoExpiry);
            Assert.AreEqual("ABCDEFGHIJdev1", c.ClientId);
            Assert.AreEqual("ABCDEFGHIJdev1;12010126;a1B2c;2147483647", c.Username);
            // HMAC-SHA256(base64decode(psk), username), computed with Python's hmac.
            Assert.AreEqual("2171d05ffbe3779d77d8b40f487782989686fbbeb97f702e9dfa198fb36bd280;hmacsha256", c.Password);

            var random = Adapter().GetCredentials();
            string[] parts = random.Username.Split(';');
            Assert.AreEqual(4, parts.Length);
            Assert.AreEqual("ABCDEFGHIJdev1", parts[0]);
            Assert.AreEqual("12010126", parts[1]);
            Assert.AreEqual(5, parts[2].Length);
            Assert.AreEqual("2147483647", parts[3]);
            Assert.EndsWith(";hmacsha256", random.Password);

            var s = new DeviceSettings();
            s.ProductKey = "P";
            s.DeviceName = "D";
            s.DeviceSecret = "not base64!";
            Assert.IsNull(new TencentAdapter(s).GetCredentials("x", 1).Password);
        }

        [TestMethod]
        public void SubscribesToItsOwnUpdateTopic()
        {
            string[] t = Adapter().SubscribeTopics;
            Assert.AreEqual(1, t.Length);
            Assert.AreEqual(Update, t[0]);
        }

        [TestMethod]
        public void OnConnectedReportsTheVersion()
        {
            var p = new RecordingPublisher();
            Adapter().OnConnected("1.0.0", p);
            Assert.AreEqual(1, p.Count);
            Assert.AreEqual(Report, p.Topic(0));
            Assert.AreEqual("{\"type\":\"report_version\",\"report\":{\"version\":\"1.0.0\"}}", p.Text(0));
            Hashtable h = AdapterGolden.Object(p.Text(0));
            AdapterGolden.Keys(h, new[] { "type", "report" });
            AdapterGolden.IsString(AdapterGolden.IsObject(h, "report"), "version", "1.0.0");
        }

        [TestMethod]
        public void DocumentUpdateIsAnOffer()
        {
            var m = AdapterGolden.Parse(Adapter(), Update, UpdateExample);
            Assert.IsTrue(m.Kind == InboundKind.Offer, m.Error);
            Assert.AreEqual("1.0.0", m.Offer.Version);
            Assert.AreEqual("https://ota-1254092559.cos.ap-guangzhou.myqcloud.com", m.Offer.Url);
            Assert.AreEqual("cc03e747a6afbbcbf8be7668acfebee5", m.Offer.Hash);
            Assert.IsTrue(m.Offer.HashAlgorithm == HashAlgorithmKind.Md5);
            Assert.AreEqual(31242L, m.Offer.Size);
            Assert.IsTrue(m.Offer.Source == DownloadSource.HttpRange);
        }

        [TestMethod]
        public void RepliesAndOtherDevicesAreIgnored()
        {
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), Update, VersionReply).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "$ota/update/ABCDEFGHIJ/dev2", UpdateExample).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), "$ota/update/OTHERPRODU/dev1", UpdateExample).Kind == InboundKind.Ignored);
            Assert.IsTrue(AdapterGolden.Parse(Adapter(), Report, UpdateExample).Kind == InboundKind.Ignored);
        }

        [TestMethod]
        public void BrokenOrMistypedUpdatesAreMalformed()
        {
            string[] bad =
            {
                "",
                "{",
                "\"update_firmware\"",
                "{\"version\":\"1\"}",
                "{\"type\":5}",
                "{\"type\":\"update_firmware\",\"url\":\"https://x\",\"md5sum\":\"aa\",\"file_size\":3}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"md5sum\":\"aa\",\"file_size\":3}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"url\":[],\"md5sum\":\"aa\",\"file_size\":3}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"url\":\"https://x\",\"file_size\":3}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"url\":\"https://x\",\"md5sum\":12,\"file_size\":3}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"url\":\"https://x\",\"md5sum\":\"aa\"}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"url\":\"https://x\",\"md5sum\":\"aa\",\"file_size\":-3}",
                "{\"type\":\"update_firmware\",\"version\":\"1\",\"url\":\"https://x\",\"md5sum\":\"aa\",\"file_size\":{}}",
            };
            for (int i = 0; i < bad.Length; i++)
            {
                var m = AdapterGolden.Parse(Adapter(), Update, bad[i]);
                Assert.IsTrue(m.Kind == InboundKind.Malformed, bad[i]);
                Assert.IsNotNull(m.Error, bad[i]);
            }
        }

        private static RecordingPublisher Sent(ReportKind kind, int percent, UpdateError error, string message, string running, string offered)
        {
            var p = new RecordingPublisher();
            var r = new StatusReport();
            r.Kind = kind;
            r.Percent = percent;
            r.Error = error;
            r.Message = message;
            r.RunningVersion = running;
            if (offered != null)
            {
                r.Offer = new UpdateOffer();
                r.Offer.Version = offered;
            }
            Adapter().Report(r, p);
            return p;
        }

        // Checks the document's report_progress shape and returns the progress object.
        private static Hashtable Progress(RecordingPublisher p, string state, string version)
        {
            Assert.AreEqual(1, p.Count);
            Assert.AreEqual(Report, p.Topic(0));
            Hashtable h = AdapterGolden.Object(p.Text(0));
            AdapterGolden.Keys(h, new[] { "type", "report" });
            AdapterGolden.IsString(h, "type", "report_progress");
            Hashtable report = AdapterGolden.IsObject(h, "report");
            AdapterGolden.Keys(report, new[] { "progress", "version" });
            AdapterGolden.IsString(report, "version", version);
            Hashtable progress = AdapterGolden.IsObject(report, "progress");
            AdapterGolden.IsString(progress, "state", state);
            return progress;
        }

        [TestMethod]
        public void DownloadingProgressMatchesTheDocument()
        {
            var p = Sent(ReportKind.Downloading, 10, UpdateError.None, null, "0.9.0", "1.0.0");
            Hashtable progress = Progress(p, "downloading", "1.0.0");
            AdapterGolden.Keys(progress, new[] { "state", "percent", "result_code", "result_msg" });
            AdapterGolden.IsString(progress, "percent", "10");
            AdapterGolden.IsString(progress, "result_code", "0");
            AdapterGolden.IsString(progress, "result_msg", "");
            Assert.AreEqual("{\"type\":\"report_progress\",\"report\":{\"progress\":{\"state\":\"downloading\",\"percent\":\"10\",\"result_code\":\"0\",\"result_msg\":\"\"},\"version\":\"1.0.0\"}}", p.Text(0));
            AdapterGolden.IsString(Progress(Sent(ReportKind.Downloaded, 0, UpdateError.None, null, "0.9.0", "1.0.0"), "downloading", "1.0.0"), "percent", "100");
        }

        [TestMethod]
        public void BurningAndDoneMatchTheDocument()
        {
            Hashtable burning = Progress(Sent(ReportKind.Installing, 0, UpdateError.None, null, "0.9.0", "1.0.0"), "burning", "1.0.0");
            AdapterGolden.Keys(burning, new[] { "state", "result_code", "result_msg" });
            AdapterGolden.IsString(burning, "result_code", "0");

            Hashtable done = Progress(Sent(ReportKind.Updated, 0, UpdateError.None, null, "1.0.0", null), "done", "1.0.0");
            AdapterGolden.Keys(done, new[] { "state", "result_code", "result_msg" });
            AdapterGolden.IsString(done, "result_msg", "");

            Assert.AreEqual(0, Sent(ReportKind.Verified, 0, UpdateError.None, null, "0.9.0", "1.0.0").Count, "no verify state on Tencent");
        }

        [TestMethod]
        public void FailuresUseTheDocumentedResultCodes()
        {
            Hashtable fail = Progress(Sent(ReportKind.Failed, 0, UpdateError.DownloadFailed, null, "0.9.0", "1.0.0"), "fail", "1.0.0");
            AdapterGolden.Keys(fail, new[] { "state", "result_code", "result_msg" });
            AdapterGolden.IsString(fail, "result_code", "-1");
            AdapterGolden.IsString(fail, "result_msg", "time_out");

            AdapterGolden.IsString(Progress(Sent(ReportKind.Failed, 0, UpdateError.FileNotFound, null, "0.9.0", "1.0.0"), "fail", "1.0.0"), "result_code", "-2");
            AdapterGolden.IsString(Progress(Sent(ReportKind.Failed, 0, UpdateError.AccessDenied, null, "0.9.0", "1.0.0"), "fail", "1.0.0"), "result_code", "-3");
            Hashtable md5 = Progress(Sent(ReportKind.Failed, 0, UpdateError.ChecksumMismatch, "md5 differs", "0.9.0", "1.0.0"), "fail", "1.0.0");
            AdapterGolden.IsString(md5, "result_code", "-4");
            AdapterGolden.IsString(md5, "result_msg", "md5 differs");
            AdapterGolden.IsString(Progress(Sent(ReportKind.Failed, 0, UpdateError.FlashFailed, null, "0.9.0", "1.0.0"), "fail", "1.0.0"), "result_code", "-5");

            // After a rollback the agent has no offer any more: the running version is reported.
            AdapterGolden.IsString(Progress(Sent(ReportKind.Failed, 0, UpdateError.BootFailed, null, "0.9.0", null), "fail", "0.9.0"), "result_code", "-5");

            for (int e = (int)UpdateError.None; e <= (int)UpdateError.BootFailed; e++)
            {
                long code;
                Assert.IsTrue(long.TryParse(TencentAdapter.ResultCode((UpdateError)e), out code));
                Assert.IsTrue(code <= -1 && code >= -5, code.ToString());
            }
        }

        [TestMethod]
        public void VersionReportAndNoChunks()
        {
            var p = Sent(ReportKind.Version, 0, UpdateError.None, null, "2.0.0", null);
            Assert.AreEqual("{\"type\":\"report_version\",\"report\":{\"version\":\"2.0.0\"}}", p.Text(0));
            Assert.IsFalse(Adapter().RequestChunk(new UpdateOffer(), 0, 10, p));
        }

        [TestMethod]
        public void FuzzedDocumentMessagesNeverThrow()
        {
            string[] topics = { Update, Update, Update, "$ota/update/ABCDEFGHIJ/dev2" };
            string[] messages = { UpdateExample, VersionReply };
            string summary = AdapterGolden.Fuzz(Adapter(), topics, messages, 4000, 1);
            OutputHelper.WriteLine("tencent: " + summary);
        }
    }
}
