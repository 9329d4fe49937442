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
    public class EnosAdapterTests
    {
        // Examples copied from seed 002 (EnOS "Developing OTA Capabilities on Devices").
        private const string DocInform = "{\"id\":\"123\",\"version\":\"1.0\",\"method\":\"ota.device.inform\",\"params\":{\"version\":\"xxxxxxxx\"}}";
        private const string DocUpgrade = "{\"id\":\"123\",\"version\":\"1.0\",\"method\":\"ota.device.upgrade\",\"params\":{\"version\":\"v1.0\",\"sign\":\"xxxxxxx\",\"signMethod\":\"md5\",\"fileUrl\":\"/1b30e0ea83002000/ota/kadak13\",\"fileSize\":1024}}";
        private const string DocReply = "{\"id\":\"123\",\"code\":200,\"data\":{}}";
        private const string DocProgress = "{\"id\":\"123\",\"version\":\"1.0\",\"method\":\"ota.device.progress\",\"params\":{\"step\":\"1\",\"desc\":\"xxxxxxxx\"}}";
        private const string DocGetVersion = "{\"id\":\"123\",\"version\":\"1.0\",\"method\":\"ota.device.getversion\",\"params\":{}}";
        private const string DocGetVersionReply = "{\"id\":\"123\",\"code\":200,\"data\":[{\"version\":\"v1.0\",\"sign\":\"xxxxxxx\",\"signMethod\":\"md5\",\"fileUrl\":\"/1b30e0ea83002000/ota/kadak13\",\"fileSize\":1024}]}";

        // The documents' "xxxxxxx" sign is a placeholder; a real push carries a hex digest.
        private const string Md5Hex = "9E107D9D372BB6826BD81D3542A419D6";

        private const string Prefix = "/sys/testPK/testDK/ota/device/";

        private static DeviceSettings Settings()
        {
            var s = new DeviceSettings();
            s.Platform = "enos";
            s.ProductKey = "testPK";
            s.DeviceName = "testDK";
            s.DeviceSecret = "testDS";
            s.DownloadBaseUrl = "https://files.example.com/";
            return s;
        }

        private static string WithRealSign(string doc)
        {
            int i = doc.IndexOf("xxxxxxx");
            return doc.Substring(0, i) + Md5Hex + doc.Substring(i + 7);
        }

        [TestMethod]
        public void OnConnectReportsVersionThenAsksForVersionsAsTheDocumentShows()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            a.OnConnected("1.0.3", pub);
            Assert.AreEqual(2, pub.Count);

            Assert.AreEqual(Prefix + "inform", pub.Topic(0));
            Hashtable inform = DocumentShape.AssertSameShape(DocInform, pub.Text(0));
            Assert.AreEqual("1.0", (string)inform["version"]);
            Assert.AreEqual("ota.device.inform", (string)inform["method"]);
            Assert.AreEqual("1.0.3", (string)((Hashtable)inform["params"])["version"]);

            Assert.AreEqual(Prefix + "getversion", pub.Topic(1));
            Hashtable get = DocumentShape.AssertSameShape(DocGetVersion, pub.Text(1));
            Assert.AreEqual("ota.device.getversion", (string)get["method"]);
            Assert.AreEqual(0, ((Hashtable)get["params"]).Count);
            Assert.AreNotEqual((string)inform["id"], (string)get["id"]);
        }

        [TestMethod]
        public void SubscribesToUpgradeAndGetVersionReplyOfItsOwnDevice()
        {
            var a = new EnosAdapter(Settings());
            Assert.AreEqual(2, a.SubscribeTopics.Length);
            Assert.AreEqual(Prefix + "upgrade", a.SubscribeTopics[0]);
            Assert.AreEqual(Prefix + "getversion_reply", a.SubscribeTopics[1]);
        }

        [TestMethod]
        public void UpgradePushBecomesOfferAndIsRepliedWithTheSameId()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            var m = new InboundMessage();
            a.Parse(Prefix + "upgrade", AdapterGolden.Utf8(WithRealSign(DocUpgrade)), m, pub);

            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual("v1.0", m.Offer.Version);
            Assert.AreEqual(1024L, m.Offer.Size);
            Assert.AreEqual((int)HashAlgorithmKind.Md5, (int)m.Offer.HashAlgorithm);
            Assert.AreEqual("9e107d9d372bb6826bd81d3542a419d6", m.Offer.Hash);
            Assert.AreEqual((int)DownloadSource.HttpRange, (int)m.Offer.Source);
            Assert.AreEqual("https://files.example.com/1b30e0ea83002000/ota/kadak13", m.Offer.Url);
            Assert.AreEqual("123", m.Offer.MessageId);

            Assert.AreEqual(1, pub.Count);
            Assert.AreEqual(Prefix + "upgrade_reply", pub.Topic(0));
            Hashtable reply = DocumentShape.AssertSameShape(DocReply, pub.Text(0));
            Assert.AreEqual("123", (string)reply["id"]);
            Assert.AreEqual(200L, (long)reply["code"]);
        }

        [TestMethod]
        public void Sha256SignMethodAndAbsoluteUrlAreTakenAsSent()
        {
            var a = new EnosAdapter(Settings());
            var m = new InboundMessage();
            string msg = "{\"id\":\"7\",\"version\":\"1.0\",\"method\":\"ota.device.upgrade\",\"params\":{\"version\":\"2.0\",\"sign\":\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\",\"signMethod\":\"sha256\",\"fileUrl\":\"http://10.0.0.2:8080/fw.bin\",\"fileSize\":2048}}";
            a.Parse(Prefix + "upgrade", AdapterGolden.Utf8(msg), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual((int)HashAlgorithmKind.Sha256, (int)m.Offer.HashAlgorithm);
            Assert.AreEqual("http://10.0.0.2:8080/fw.bin", m.Offer.Url);
        }

        [TestMethod]
        public void GetVersionReplyFromTheDocumentBecomesOffer()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            var m = new InboundMessage();
            a.Parse(Prefix + "getversion_reply", AdapterGolden.Utf8(WithRealSign(DocGetVersionReply)), m, pub);
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual("v1.0", m.Offer.Version);
            Assert.AreEqual(1024L, m.Offer.Size);
            Assert.AreEqual("https://files.example.com/1b30e0ea83002000/ota/kadak13", m.Offer.Url);
            Assert.AreEqual(0, pub.Count); // a reply is not answered
        }

        [TestMethod]
        public void GetVersionReplyWithSeveralVersionsOffersTheNewest()
        {
            var a = new EnosAdapter(Settings());
            var m = new InboundMessage();
            string entry = "{\"version\":\"V\",\"sign\":\"" + Md5Hex + "\",\"signMethod\":\"md5\",\"fileUrl\":\"/f/V\",\"fileSize\":10}";
            string msg = "{\"id\":\"5\",\"code\":200,\"data\":[" + ReplaceAll(entry, "V", "1.2.0") + "," + ReplaceAll(entry, "V", "1.10.0") + "," + ReplaceAll(entry, "V", "1.9.9") + "]}";
            a.Parse(Prefix + "getversion_reply", AdapterGolden.Utf8(msg), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual("1.10.0", m.Offer.Version);
            Assert.AreEqual("https://files.example.com/f/1.10.0", m.Offer.Url);
        }

        [TestMethod]
        public void GetVersionReplyWithoutVersionsIsNoUpdate()
        {
            string[] none = { "{\"id\":\"5\",\"code\":200,\"data\":[]}", "{\"id\":\"5\",\"code\":200}", "{\"id\":\"5\",\"code\":200,\"data\":{}}", "{\"id\":\"5\",\"code\":200,\"data\":\"\"}" };
            var a = new EnosAdapter(Settings());
            for (int i = 0; i < none.Length; i++)
            {
                var m = new InboundMessage();
                a.Parse(Prefix + "getversion_reply", AdapterGolden.Utf8(none[i]), m, new RecordingPublisher());
                Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind, none[i]);
            }
        }

        [TestMethod]
        public void ProgressUsesStringStepsAndDescAsTheDocumentShows()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            var offer = new UpdateOffer();
            offer.Version = "v1.0";
            var r = new StatusReport();
            r.Kind = ReportKind.Downloading;
            r.Percent = 40;
            r.Offer = offer;
            r.RunningVersion = "1.0.3";
            a.Report(r, pub);
            Assert.AreEqual(1, pub.Count);
            Assert.AreEqual(Prefix + "progress", pub.Topic(0));
            Hashtable p = DocumentShape.AssertSameShape(DocProgress, pub.Text(0));
            Assert.AreEqual("ota.device.progress", (string)p["method"]);
            Assert.AreEqual("1.0", (string)p["version"]);
            Assert.AreEqual("40", (string)((Hashtable)p["params"])["step"]);
            Assert.AreEqual("downloading", (string)((Hashtable)p["params"])["desc"]);

            pub.Clear();
            r.Kind = ReportKind.Installing;
            a.Report(r, pub);
            p = DocumentShape.AssertSameShape(DocProgress, pub.Text(0));
            Assert.AreEqual("100", (string)((Hashtable)p["params"])["step"]);
        }

        [TestMethod]
        public void FailuresMapToTheDocumentedSteps()
        {
            UpdateError[] errors = { UpdateError.DownloadFailed, UpdateError.FileNotFound, UpdateError.InvalidUri, UpdateError.ChecksumMismatch, UpdateError.SignatureInvalid, UpdateError.FlashFailed, UpdateError.NotEnoughSpace, UpdateError.InvalidOffer, UpdateError.SelfTestFailed, UpdateError.BootFailed };
            string[] steps = { "-2", "-2", "-2", "-3", "-3", "-4", "-4", "-1", "-1", "-1" };
            var a = new EnosAdapter(Settings());
            for (int i = 0; i < errors.Length; i++)
            {
                var pub = new RecordingPublisher();
                var r = new StatusReport();
                r.Kind = ReportKind.Failed;
                r.Error = errors[i];
                r.RunningVersion = "1.0.3";
                a.Report(r, pub);
                Assert.AreEqual(2, pub.Count);
                Hashtable p = DocumentShape.AssertSameShape(DocProgress, pub.Text(0));
                Assert.AreEqual(steps[i], (string)((Hashtable)p["params"])["step"], errors[i].ToString());
                Assert.IsTrue(((string)((Hashtable)p["params"])["desc"]).Length > 0);
                // then the version that runs now
                Assert.AreEqual(Prefix + "inform", pub.Topic(1));
                Hashtable inform = DocumentShape.AssertSameShape(DocInform, pub.Text(1));
                Assert.AreEqual("1.0.3", (string)((Hashtable)inform["params"])["version"]);
            }
        }

        [TestMethod]
        public void UpdatedReportsTheNewVersionWithInform()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            var r = new StatusReport();
            r.Kind = ReportKind.Updated;
            r.RunningVersion = "v1.0";
            a.Report(r, pub);
            Assert.AreEqual(1, pub.Count);
            Assert.AreEqual(Prefix + "inform", pub.Topic(0));
            Hashtable inform = DocumentShape.AssertSameShape(DocInform, pub.Text(0));
            Assert.AreEqual("v1.0", (string)((Hashtable)inform["params"])["version"]);
        }

        [TestMethod]
        public void CredentialsAreTheSdkSha256Login()
        {
            var a = new EnosAdapter(Settings());
            MqttCredentials c = a.GetCredentials(1700000000000L);
            Assert.AreEqual("testDK|securemode=2,signmethod=sha256,timestamp=1700000000000|", c.ClientId);
            Assert.AreEqual("testDK&testPK", c.Username);
            // sha256("clientIdtestDKdeviceKeytestDKproductKeytestPKtimestamp1700000000000testDS"), computed with Python's hashlib
            Assert.AreEqual("d5fca5503644343eab7477c1f4f9a0b5ea1e9364dfbd4ab940b4949ee5c94cf4", c.Password);
            MqttCredentials now = a.GetCredentials();
            Assert.StartsWith("testDK|securemode=2,signmethod=sha256,timestamp=", now.ClientId);
            Assert.AreEqual(64, now.Password.Length);
        }

        [TestMethod]
        public void OtherDevicesAndRepliesAreIgnored()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            string[] topics = { "/sys/otherPK/testDK/ota/device/upgrade", "/sys/testPK/otherDK/ota/device/upgrade", Prefix + "inform_reply", Prefix + "progress_reply", Prefix + "upgrade_reply", "/sys/testPK/testDK/thing/service", null };
            for (int i = 0; i < topics.Length; i++)
            {
                var m = new InboundMessage();
                a.Parse(topics[i], AdapterGolden.Utf8(WithRealSign(DocUpgrade)), m, pub);
                Assert.AreEqual((int)InboundKind.Ignored, (int)m.Kind, topics[i]);
            }
            Assert.AreEqual(0, pub.Count);
        }

        [TestMethod]
        public void MalformedAndWrongTypedUpgradesAreMalformedAndNotAcknowledged()
        {
            string good = WithRealSign(DocUpgrade);
            string[] bad =
            {
                "", "not json", "[]", "{\"id\":\"1\"}",
                "{\"id\":\"1\",\"method\":\"ota.device.upgrade\",\"params\":\"x\"}",
                Replace(good, "\"fileSize\":1024", "\"fileSize\":\"abc\""),
                Replace(good, "\"fileSize\":1024", "\"fileSize\":-5"),
                Replace(good, "\"version\":\"v1.0\"", "\"version\":10"),
                Replace(good, "\"signMethod\":\"md5\"", "\"signMethod\":\"rot13\""),
                Replace(good, "\"signMethod\":\"md5\"", "\"signMethod\":5"),
                Replace(good, Md5Hex, "xxxxxxx"),
                Replace(good, "\"fileUrl\":\"/1b30e0ea83002000/ota/kadak13\"", "\"fileUrl\":7"),
                Replace(good, "ota.device.upgrade", "ota.device.other"),
            };
            var a = new EnosAdapter(Settings());
            for (int i = 0; i < bad.Length; i++)
            {
                var pub = new RecordingPublisher();
                var m = new InboundMessage();
                a.Parse(Prefix + "upgrade", AdapterGolden.Utf8(bad[i]), m, pub);
                Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind, bad[i]);
                Assert.IsNotNull(m.Error);
                Assert.AreEqual(0, pub.Count, bad[i]);
            }
        }

        [TestMethod]
        public void RelativeFileUrlWithoutBaseUrlIsMalformed()
        {
            DeviceSettings s = Settings();
            s.DownloadBaseUrl = null;
            var a = new EnosAdapter(s);
            var m = new InboundMessage();
            a.Parse(Prefix + "upgrade", AdapterGolden.Utf8(WithRealSign(DocUpgrade)), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind);
            Assert.Contains("download.baseUrl", m.Error);
        }

        [TestMethod]
        public void GetVersionReplyWithErrorCodeIsMalformed()
        {
            var a = new EnosAdapter(Settings());
            var m = new InboundMessage();
            a.Parse(Prefix + "getversion_reply", AdapterGolden.Utf8("{\"id\":\"1\",\"code\":500,\"msg\":\"internal\"}"), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind);
            Assert.Contains("500", m.Error);
        }

        [TestMethod]
        public void FuzzedMessagesNeverThrow()
        {
            var a = new EnosAdapter(Settings());
            var pub = new RecordingPublisher();
            var m = new InboundMessage();
            var mut = new MessageMutator(2002);
            byte[][] seeds = { AdapterGolden.Utf8(WithRealSign(DocUpgrade)), AdapterGolden.Utf8(WithRealSign(DocGetVersionReply)), AdapterGolden.Utf8(DocReply) };
            string[] topics = { Prefix + "upgrade", Prefix + "getversion_reply" };
            int count = 0, offers = 0, malformed = 0;
            for (int i = 0; i < 4000; i++)
            {
                byte[] msg = mut.Mutate(seeds[i % seeds.Length]);
                a.Parse(topics[i % topics.Length], msg, m, pub);
                count++;
                if (m.Kind == InboundKind.Offer)
                {
                    offers++;
                    Assert.IsNotNull(m.Offer.Url);
                    Assert.IsTrue(m.Offer.Size > 0);
                }
                if (m.Kind == InboundKind.Malformed)
                {
                    malformed++;
                    Assert.IsNotNull(m.Error);
                }
            }
            OutputHelper.WriteLine("EnOS fuzz: " + count + " mutated messages parsed, " + offers + " offers, " + malformed + " malformed, no exception");
            Assert.AreEqual(4000, count);
        }

        private static string ReplaceAll(string s, string what, string with)
        {
            while (s.IndexOf(what) >= 0) s = Replace(s, what, with);
            return s;
        }

        private static string Replace(string s, string what, string with)
        {
            int i = s.IndexOf(what);
            if (i < 0) throw new ArgumentException(what);
            return s.Substring(0, i) + with + s.Substring(i + what.Length);
        }
    }
}
