using System;
using System.Collections;
using System.Text;
using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Protocols;
using NfOta.Settings;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Protocols
{
    [TestClass]
    public class GoliothAdapterTests
    {
        // The release manifest example of seed 003 (Golioth OTA over MQTT).
        private const string DocManifest = "{\"sequenceNumber\":1631741642,\"hash\":\"25e73431ac4a1a09392d51c8af14b611defdd877e8021803af4414ad470ad6fb\",\"components\":[{\"package\":\"main\",\"version\":\"1.0.0\",\"hash\":\"feb982c3fbec352441caddaa85bd5c69ef5feadb5dfc1f57171e88e070771241\",\"size\":538208,\"uri\":\"/.u/c/main@1.0.0\",\"type\":\"mcuboot\"}]}";

        // The state report example of Golioth's OTA reference (golioth/docs 7-ota.md); seed 003 lists
        // the same attributes (state, reason, package, version, target) with their numeric codes.
        private const string DocState = "{\"state\":3,\"reason\":0,\"package\":\"main\",\"version\":\"1.2.3\",\"target\":\"1.2.4\"}";
        private const string DocStateNoTarget = "{\"state\":3,\"reason\":0,\"package\":\"main\",\"version\":\"1.2.3\"}";

        private static DeviceSettings Settings()
        {
            var s = new DeviceSettings();
            s.Platform = "golioth";
            s.Username = "deadbeef-id@my-project-id";
            s.Password = "supersecret";
            s.Package = "main";
            return s;
        }

        private static GoliothAdapter Connected(string running, RecordingPublisher pub)
        {
            var a = new GoliothAdapter(Settings());
            a.OnConnected(running, pub);
            pub.Clear();
            return a;
        }

        [TestMethod]
        public void CredentialsArePskIdAndPsk()
        {
            MqttCredentials c = new GoliothAdapter(Settings()).GetCredentials();
            Assert.AreEqual("deadbeef-id@my-project-id", c.Username);
            Assert.AreEqual("supersecret", c.Password);
            Assert.AreEqual("deadbeef-id@my-project-id", c.ClientId);
        }

        [TestMethod]
        public void ObservesDesiredAndComponentBlocks()
        {
            var a = new GoliothAdapter(Settings());
            Assert.AreEqual(".u/desired", a.SubscribeTopics[0]);
            Assert.AreEqual(".u/c/+/b/+", a.SubscribeTopics[1]);
        }

        [TestMethod]
        public void OnConnectReportsIdleWithTheRunningVersion()
        {
            var pub = new RecordingPublisher();
            new GoliothAdapter(Settings()).OnConnected("0.9.0", pub);
            Assert.AreEqual(1, pub.Count);
            Assert.AreEqual(".u/c/main", pub.Topic(0));
            Hashtable st = DocumentShape.AssertSameShape(DocStateNoTarget, pub.Text(0));
            Assert.AreEqual(0L, (long)st["state"]);
            Assert.AreEqual(0L, (long)st["reason"]);
            Assert.AreEqual("main", (string)st["package"]);
            Assert.AreEqual("0.9.0", (string)st["version"]);
        }

        [TestMethod]
        public void ManifestFromTheDocumentBecomesAnMqttBlockOffer()
        {
            var pub = new RecordingPublisher();
            GoliothAdapter a = Connected("0.9.0", pub);
            var m = new InboundMessage();
            a.Parse(".u/desired", AdapterGolden.Utf8(DocManifest), m, pub);
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual("1.0.0", m.Offer.Version);
            Assert.AreEqual("main", m.Offer.Title);
            Assert.AreEqual(538208L, m.Offer.Size);
            Assert.AreEqual((int)HashAlgorithmKind.Sha256, (int)m.Offer.HashAlgorithm);
            Assert.AreEqual("feb982c3fbec352441caddaa85bd5c69ef5feadb5dfc1f57171e88e070771241", m.Offer.Hash);
            Assert.AreEqual((int)DownloadSource.MqttChunks, (int)m.Offer.Source);
            Assert.AreEqual("/.u/c/main@1.0.0", m.Offer.Url);
            Assert.AreEqual("1631741642", m.Offer.MessageId);
            Assert.AreEqual(0, pub.Count);
        }

        [TestMethod]
        public void ManifestWithoutOurPackageOrForTheRunningVersionIsNoUpdate()
        {
            var pub = new RecordingPublisher();
            GoliothAdapter running = Connected("1.0.0", pub);
            var m = new InboundMessage();
            running.Parse(".u/desired", AdapterGolden.Utf8(DocManifest), m, pub);
            Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind);

            DeviceSettings s = Settings();
            s.Package = "modem";
            var other = new GoliothAdapter(s);
            other.Parse(".u/desired", AdapterGolden.Utf8(DocManifest), m, pub);
            Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind);

            other.Parse(".u/desired", AdapterGolden.Utf8("{}"), m, pub);
            Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind);
            other.Parse(".u/desired", AdapterGolden.Utf8("{\"sequenceNumber\":1,\"components\":[]}"), m, pub);
            Assert.AreEqual((int)InboundKind.NoUpdate, (int)m.Kind);
        }

        [TestMethod]
        public void PicksTheComponentOfItsPackageAmongSeveral()
        {
            string two = "{\"sequenceNumber\":2,\"components\":[{\"package\":\"modem\",\"version\":\"9.9.9\",\"hash\":\"" + new string('a', 64) + "\",\"size\":10,\"uri\":\"/.u/c/modem@9.9.9\",\"type\":\"default\"},{\"package\":\"main\",\"version\":\"2.0.0\",\"hash\":\"" + new string('B', 64) + "\",\"size\":20,\"uri\":\"/.u/c/main@2.0.0\",\"type\":\"default\"}]}";
            var m = new InboundMessage();
            Connected("1.0.0", new RecordingPublisher()).Parse(".u/desired", AdapterGolden.Utf8(two), m, new RecordingPublisher());
            Assert.AreEqual((int)InboundKind.Offer, (int)m.Kind, m.Error);
            Assert.AreEqual("2.0.0", m.Offer.Version);
            Assert.AreEqual(new string('b', 64), m.Offer.Hash);
            Assert.AreEqual(20L, m.Offer.Size);
        }

        [TestMethod]
        public void BlocksAreRequestedUnderTheComponentPathAndParsedWithoutCopy()
        {
            var pub = new RecordingPublisher();
            GoliothAdapter a = Connected("0.9.0", pub);
            var m = new InboundMessage();
            a.Parse(".u/desired", AdapterGolden.Utf8(DocManifest), m, pub);
            UpdateOffer offer = m.Offer;

            Assert.IsTrue(a.RequestChunk(offer, 3, 1024, pub));
            Assert.AreEqual(".u/c/main@1.0.0/get", pub.Topic(0));
            // nf-ota's block request (docs/platforms-enos-golioth-selfhosted.md), not a Golioth document example.
            Hashtable req = DocumentShape.AssertSameShape("{\"block\":3,\"size\":4096}", pub.Text(0));
            Assert.AreEqual(3L, (long)req["block"]);
            Assert.AreEqual(1024L, (long)req["size"]);

            int[] indexes = { 0, 9, 10, 1234567 };
            int[] sizes = { 512, 4096, 100000, 1 };
            for (int i = 0; i < indexes.Length; i++)
            {
                pub.Clear();
                Assert.IsTrue(a.RequestChunk(offer, indexes[i], sizes[i], pub));
                Hashtable r = DocumentShape.AssertSameShape("{\"block\":3,\"size\":4096}", pub.Text(0));
                Assert.AreEqual((long)indexes[i], (long)r["block"]);
                Assert.AreEqual((long)sizes[i], (long)r["size"]);
            }
            Assert.IsFalse(a.RequestChunk(offer, -1, 1024, pub));

            byte[] block = new byte[1024];
            block[0] = 0xE9;
            a.Parse(".u/c/main@1.0.0/b/3", block, m, pub);
            Assert.AreEqual((int)InboundKind.Chunk, (int)m.Kind);
            Assert.AreEqual(3, m.ChunkIndex);
            Assert.AreSame(block, m.Payload);
            Assert.AreEqual(0, m.ChunkOffset);
            Assert.AreEqual(1024, m.ChunkLength);

            // Blocks of another version or package, and our own request echoes, are not ours.
            string[] others = { ".u/c/main@0.9.0/b/3", ".u/c/modem@1.0.0/b/3", ".u/c/main@1.0.0/get", ".u/c/main" };
            for (int i = 0; i < others.Length; i++)
            {
                a.Parse(others[i], block, m, pub);
                Assert.AreEqual((int)InboundKind.Ignored, (int)m.Kind, others[i]);
            }
            a.Parse(".u/c/main@1.0.0/b/x3", block, m, pub);
            Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind);
        }

        [TestMethod]
        public void StatesFollowTheSdkSequence()
        {
            var pub = new RecordingPublisher();
            GoliothAdapter a = Connected("1.2.3", pub);
            var offer = new UpdateOffer();
            offer.Version = "1.2.4";
            var r = new StatusReport();
            r.Offer = offer;
            r.RunningVersion = "1.2.3";

            r.Kind = ReportKind.Downloading;
            r.Percent = 0;
            a.Report(r, pub);
            r.Percent = 50;
            a.Report(r, pub); // no percent in Golioth: not repeated
            r.Kind = ReportKind.Downloaded;
            a.Report(r, pub);
            r.Kind = ReportKind.Verified;
            a.Report(r, pub); // still DOWNLOADED: not repeated
            r.Kind = ReportKind.Installing;
            a.Report(r, pub);
            Assert.AreEqual(3, pub.Count);
            long[] states = { 1, 2, 3 };
            for (int i = 0; i < 3; i++)
            {
                Assert.AreEqual(".u/c/main", pub.Topic(i));
                Hashtable st = DocumentShape.AssertSameShape(DocState, pub.Text(i));
                Assert.AreEqual(states[i], (long)st["state"]);
                Assert.AreEqual(0L, (long)st["reason"]);
                Assert.AreEqual("1.2.3", (string)st["version"]);
                Assert.AreEqual("1.2.4", (string)st["target"]);
            }

            pub.Clear();
            var done = new StatusReport();
            done.Kind = ReportKind.Updated;
            done.RunningVersion = "1.2.4";
            a.Report(done, pub);
            Hashtable upd = DocumentShape.AssertSameShape(DocStateNoTarget, pub.Text(0));
            Assert.AreEqual(3L, (long)upd["state"]);
            Assert.AreEqual(1L, (long)upd["reason"]);
            Assert.AreEqual("1.2.4", (string)upd["version"]);
            Assert.AreEqual(2, pub.Count);
            Hashtable idle = DocumentShape.AssertSameShape(DocStateNoTarget, pub.Text(1));
            Assert.AreEqual(0L, (long)idle["state"]);
            Assert.AreEqual(0L, (long)idle["reason"]);
            Assert.AreEqual("1.2.4", (string)idle["version"]);
        }

        [TestMethod]
        public void FailuresMapToTheDocumentedReasons()
        {
            UpdateError[] errors = { UpdateError.NotEnoughSpace, UpdateError.DownloadFailed, UpdateError.ChecksumMismatch, UpdateError.InvalidImage, UpdateError.InvalidUri, UpdateError.UnsupportedAlgorithm, UpdateError.FlashFailed, UpdateError.SelfTestFailed };
            long[] reasons = { 2, 4, 5, 6, 7, 9, 8, 8 };
            long[] states = { 1, 1, 1, 1, 1, 1, 3, 0 };
            for (int i = 0; i < errors.Length; i++)
            {
                var pub = new RecordingPublisher();
                GoliothAdapter a = Connected("1.2.3", pub);
                var offer = new UpdateOffer();
                offer.Version = "1.2.4";
                var r = new StatusReport();
                r.Kind = ReportKind.Failed;
                r.Error = errors[i];
                r.Offer = offer;
                r.RunningVersion = "1.2.3";
                a.Report(r, pub);
                Assert.AreEqual(1, pub.Count);
                Hashtable st = DocumentShape.AssertSameShape(DocState, pub.Text(0));
                Assert.AreEqual(reasons[i], (long)st["reason"], "reason " + i);
                Assert.AreEqual(states[i], (long)st["state"], "state " + i);
                Assert.AreEqual("1.2.3", (string)st["version"]);
            }
        }

        [TestMethod]
        public void MalformedManifestsAreMalformedNeverThrown()
        {
            string[] bad =
            {
                "", "nope", "[]", "{\"components\":{}}", "{\"components\":[1]}",
                Swap(DocManifest, "\"size\":538208", "\"size\":\"538208\""),
                Swap(DocManifest, "\"size\":538208", "\"size\":0"),
                Swap(DocManifest, "feb982c3fbec352441caddaa85bd5c69ef5feadb5dfc1f57171e88e070771241", "feb982"),
                Swap(DocManifest, "\"version\":\"1.0.0\"", "\"version\":1"),
                Swap(DocManifest, "\"uri\":\"/.u/c/main@1.0.0\"", "\"uri\":\"/.u/c/main@1.0.0/x\""),
                Swap(DocManifest, "\"uri\":\"/.u/c/main@1.0.0\"", "\"uri\":\"https://evil.example/x\""),
            };
            var pub = new RecordingPublisher();
            GoliothAdapter a = Connected("0.9.0", pub);
            for (int i = 0; i < bad.Length; i++)
            {
                var m = new InboundMessage();
                a.Parse(".u/desired", AdapterGolden.Utf8(bad[i]), m, pub);
                Assert.AreEqual((int)InboundKind.Malformed, (int)m.Kind, bad[i]);
                Assert.IsNotNull(m.Error);
            }
            Assert.AreEqual(0, pub.Count);
        }

        [TestMethod]
        public void FuzzedMessagesNeverThrow()
        {
            var pub = new RecordingPublisher();
            GoliothAdapter a = Connected("0.9.0", pub);
            var m = new InboundMessage();
            var mut = new MessageMutator(3003);
            byte[] seed = AdapterGolden.Utf8(DocManifest);
            int count = 0, offers = 0, malformed = 0;
            for (int i = 0; i < 4000; i++)
            {
                a.Parse(".u/desired", mut.Mutate(seed), m, pub);
                count++;
                if (m.Kind == InboundKind.Offer)
                {
                    offers++;
                    Assert.AreEqual(64, m.Offer.Hash.Length);
                    Assert.IsTrue(m.Offer.Size > 0);
                }
                if (m.Kind == InboundKind.Malformed) malformed++;
            }
            // mutated block topics
            byte[] topicSeed = AdapterGolden.Utf8(".u/c/main@1.0.0/b/12");
            for (int i = 0; i < 1000; i++)
            {
                byte[] t = mut.Mutate(topicSeed);
                a.Parse(Encoding.UTF8.GetString(t, 0, t.Length), seed, m, pub);
                count++;
            }
            OutputHelper.WriteLine("Golioth fuzz: " + count + " mutated messages parsed, " + offers + " offers, " + malformed + " malformed, no exception");
            Assert.AreEqual(5000, count);
        }

        private static string Swap(string s, string what, string with)
        {
            int i = s.IndexOf(what);
            if (i < 0) throw new ArgumentException(what);
            return s.Substring(0, i) + with + s.Substring(i + what.Length);
        }
    }
}
