using nanoFramework.TestFramework;
using NfOta.Settings;

namespace NfOta.Core.Tests.Settings
{
    [TestClass]
    public class SettingsParserTests
    {
        // JSON written with ' for readability; Q turns them into ".
        private static string Q(string s)
        {
            var c = s.ToCharArray();
            for (int i = 0; i < c.Length; i++)
            {
                if (c[i] == '\'') c[i] = '"';
            }
            return new string(c);
        }

        private const string Broker = "'broker':{'host':'broker.local'}";

        private static SettingsResult Ok(string json)
        {
            SettingsResult r = SettingsParser.Parse(Q(json));
            Assert.IsTrue(r.Ok, r.Error);
            Assert.IsNotNull(r.Settings);
            Assert.IsNull(r.Error);
            return r;
        }

        private static void Fails(string json, string expectedError)
        {
            SettingsResult r = SettingsParser.Parse(Q(json));
            Assert.IsFalse(r.Ok, json);
            Assert.IsNull(r.Settings);
            Assert.AreEqual(expectedError, r.Error);
        }

        [TestMethod]
        public void ReadsEveryField()
        {
            DeviceSettings s = Ok("{'platform':'selfhosted'," +
                "'broker':{'host':'10.0.0.2','port':8884,'tls':true,'caCertificate':'/sd/ca.pem','clientId':'c1','username':'u1','password':'p1'}," +
                "'identity':{'productKey':'pk','deviceName':'dev','deviceSecret':'ds','accessToken':'at','package':'pkg'}," +
                "'download':{'baseUrl':'https://files.example.com/ota','chunkSize':1024,'window':8,'retries':0,'timeoutMs':5000,'checkpointBytes':2048}," +
                "'progress':{'stepPercent':20,'intervalMs':0}," +
                "'selfTest':{'timeoutSeconds':30}," +
                "'security':{'requireTls':true,'allowedHosts':['OTA.Example.com','10.0.0.2'],'allowDowngrade':true,'signingPublicKey':'11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='}}").Settings;
            Assert.AreEqual("selfhosted", s.Platform);
            Assert.AreEqual("10.0.0.2", s.BrokerHost);
            Assert.AreEqual(8884, s.BrokerPort);
            Assert.IsTrue(s.BrokerTls);
            Assert.AreEqual("/sd/ca.pem", s.BrokerCaCertificate);
            Assert.AreEqual("c1", s.ClientId);
            Assert.AreEqual("u1", s.Username);
            Assert.AreEqual("p1", s.Password);
            Assert.AreEqual("pk", s.ProductKey);
            Assert.AreEqual("dev", s.DeviceName);
            Assert.AreEqual("ds", s.DeviceSecret);
            Assert.AreEqual("at", s.AccessToken);
            Assert.AreEqual("pkg", s.Package);
            Assert.AreEqual("https://files.example.com/ota", s.DownloadBaseUrl);
            Assert.AreEqual(1024, s.ChunkSize);
            Assert.AreEqual(8, s.Window);
            Assert.AreEqual(0, s.Retries);
            Assert.AreEqual(5000, s.TimeoutMs);
            Assert.AreEqual(2048, s.CheckpointBytes);
            Assert.AreEqual(20, s.ProgressStepPercent);
            Assert.AreEqual(0, s.ProgressIntervalMs);
            Assert.AreEqual(30, s.SelfTestTimeoutSeconds);
            Assert.IsTrue(s.RequireTls);
            Assert.AreEqual(2, s.AllowedHosts.Length);
            Assert.AreEqual("ota.example.com", s.AllowedHosts[0]);
            Assert.AreEqual("10.0.0.2", s.AllowedHosts[1]);
            Assert.IsTrue(s.AllowDowngrade);
            Assert.AreEqual("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", s.SigningPublicKey);
        }

        [TestMethod]
        public void LeftOutFieldsAndNullsKeepTheDefaults()
        {
            var defaults = new DeviceSettings();
            DeviceSettings s = Ok("{'platform':'thingsboard'," + Broker + ",'identity':{'accessToken':'t','package':null},'download':null}").Settings;
            Assert.AreEqual(1883, s.BrokerPort);
            Assert.IsFalse(s.BrokerTls);
            Assert.AreEqual(defaults.Package, s.Package);
            Assert.AreEqual(defaults.ChunkSize, s.ChunkSize);
            Assert.AreEqual(defaults.Window, s.Window);
            Assert.AreEqual(defaults.Retries, s.Retries);
            Assert.AreEqual(defaults.TimeoutMs, s.TimeoutMs);
            Assert.AreEqual(defaults.CheckpointBytes, s.CheckpointBytes);
            Assert.AreEqual(defaults.ProgressStepPercent, s.ProgressStepPercent);
            Assert.AreEqual(defaults.ProgressIntervalMs, s.ProgressIntervalMs);
            Assert.AreEqual(defaults.SelfTestTimeoutSeconds, s.SelfTestTimeoutSeconds);
            Assert.IsFalse(s.RequireTls);
            Assert.IsFalse(s.AllowDowngrade);
            Assert.AreEqual(0, s.AllowedHosts.Length);
            Assert.IsNull(s.SigningPublicKey);
            Assert.IsNull(s.ClientId);
            Assert.IsNull(s.DownloadBaseUrl);
        }

        [TestMethod]
        public void TlsWithoutAPortMeans8883()
        {
            Assert.AreEqual(8883, Ok("{'platform':'thingsboard','broker':{'host':'h','tls':true},'identity':{'accessToken':'t'}}").Settings.BrokerPort);
            Assert.AreEqual(443, Ok("{'platform':'thingsboard','broker':{'host':'h','tls':true,'port':443},'identity':{'accessToken':'t'}}").Settings.BrokerPort);
        }

        [TestMethod]
        public void EachPlatformNeedsItsIdentity()
        {
            Fails("{'platform':'thingsboard'," + Broker + "}", "settings: identity.accessToken is required for platform thingsboard");
            Fails("{'platform':'alibaba'," + Broker + ",'identity':{'deviceName':'d','deviceSecret':'s'}}", "settings: identity.productKey is required for platform alibaba");
            Fails("{'platform':'tencent'," + Broker + ",'identity':{'productKey':'p','deviceSecret':'s'}}", "settings: identity.deviceName is required for platform tencent");
            Fails("{'platform':'enos'," + Broker + ",'identity':{'productKey':'p','deviceName':'d'}}", "settings: identity.deviceSecret is required for platform enos");
            Fails("{'platform':'golioth','broker':{'host':'h','username':'d@p'}}", "settings: broker.password is required for platform golioth");
            Fails("{'platform':'golioth','broker':{'host':'h','password':'psk'}}", "settings: broker.username is required for platform golioth");
            Fails("{'platform':'selfhosted'," + Broker + "}", "settings: identity.deviceName (or broker.clientId) is required for platform selfhosted");
            Ok("{'platform':'selfhosted','broker':{'host':'h','clientId':'pump-1'}}");
            Ok("{'platform':'alibaba'," + Broker + ",'identity':{'productKey':'p','deviceName':'d','deviceSecret':'s'}}");
            Ok("{'platform':'golioth','broker':{'host':'h','username':'d@p','password':'psk'}}");
        }

        [TestMethod]
        public void UnknownFieldsAreErrors()
        {
            Fails("{'platform':'selfhosted','broker':{'hots':'h'},'identity':{'deviceName':'d'}}",
                "settings: unknown field broker.hots (known: host, port, tls, caCertificate, clientId, username, password)");
            Fails("{'platform':'selfhosted'," + Broker + ",'identity':{'deviceName':'d'},'downlaod':{}}",
                "settings: unknown field downlaod (known: platform, broker, identity, download, progress, selfTest, security)");
            Fails("{'platform':'selfhosted'," + Broker + ",'identity':{'deviceName':'d'},'security':{'allowDowngrade':false,'requireTLS':true}}",
                "settings: unknown field security.requireTLS (known: requireTls, allowedHosts, allowDowngrade, signingPublicKey)");
        }

        [TestMethod]
        public void WrongTypesAndRangesNameTheField()
        {
            string id = ",'identity':{'deviceName':'d'}";
            Fails("{'platform':'selfhosted','broker':{'host':'h','port':'1883'}" + id + "}", "settings: broker.port must be a number from 1 to 65535");
            Fails("{'platform':'selfhosted','broker':{'host':'h','port':0}" + id + "}", "settings: broker.port must be a number from 1 to 65535");
            Fails("{'platform':'selfhosted','broker':{'host':'h','port':65536}" + id + "}", "settings: broker.port must be a number from 1 to 65535");
            Fails("{'platform':'selfhosted','broker':{'host':'h','port':1883.5}" + id + "}", "settings: broker.port must be a number from 1 to 65535");
            Fails("{'platform':'selfhosted','broker':{'host':'h','tls':'yes'}" + id + "}", "settings: broker.tls must be true or false");
            Fails("{'platform':'selfhosted','broker':{'host':''}" + id + "}", "settings: broker.host must be a non-empty string of at most 256 characters");
            Fails("{'platform':'selfhosted','broker':{'host':'mqtt://h'}" + id + "}", "settings: broker.host must be a host name or address, without scheme, path or spaces");
            Fails("{'platform':'selfhosted','broker':{'host':42}" + id + "}", "settings: broker.host must be a non-empty string of at most 256 characters");
            Fails("{'platform':'selfhosted'," + Broker + ",'identity':{'deviceName':'a/b'}}", "settings: identity.deviceName must not contain '/', '+', '#' or spaces");
            Fails("{'platform':'alibaba'," + Broker + ",'identity':{'productKey':'p#','deviceName':'d','deviceSecret':'s'}}", "settings: identity.productKey must not contain '/', '+', '#' or spaces");
            Fails("{'platform':'golioth','broker':{'host':'h','username':'u','password':'p'},'identity':{'package':'main firmware'}}", "settings: identity.package must not contain '/', '+', '#' or spaces");
            Fails("{'platform':'selfhosted','broker':'h'" + id + "}", "settings: broker must be an object");
            Fails("{'platform':'selfhosted'" + id + "}", "settings: broker is required");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'baseUrl':'ftp://x'}}", "settings: download.baseUrl must be an http:// or https:// URL without spaces");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'baseUrl':'https://'}}", "settings: download.baseUrl must be an http:// or https:// URL without spaces");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'chunkSize':255}}", "settings: download.chunkSize must be a number from 256 to 65536");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'chunkSize':65537}}", "settings: download.chunkSize must be a number from 256 to 65536");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'window':33}}", "settings: download.window must be a number from 1 to 32");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'window':0}}", "settings: download.window must be a number from 1 to 32");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'retries':-1}}", "settings: download.retries must be a number from 0 to 100");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'download':{'timeoutMs':99999999999999999999}}", "settings: download.timeoutMs must be a number from 100 to 600000");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'progress':{'stepPercent':101}}", "settings: progress.stepPercent must be a number from 1 to 100");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'selfTest':{'timeoutSeconds':true}}", "settings: selfTest.timeoutSeconds must be a number from 5 to 3600");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'security':{'allowedHosts':'a.com'}}", "settings: security.allowedHosts must be an array of at most 64 host names");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'security':{'allowedHosts':['a.com','https://b.com']}}", "settings: security.allowedHosts[1] must be a host name, without scheme, path or spaces");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'security':{'signingPublicKey':'not-a-key'}}", "settings: security.signingPublicKey must be the base64 of a 32-byte Ed25519 public key");
            Fails("{'platform':'selfhosted'," + Broker + id + ",'security':{'requireTls':true}}", "settings: broker.tls must be true when security.requireTls is true");
        }

        [TestMethod]
        public void PlatformMustBeKnown()
        {
            Fails("{" + Broker + "}", "settings: platform is required: thingsboard, alibaba, tencent, enos, golioth or selfhosted");
            Fails("{'platform':'ThingsBoard'," + Broker + "}", "settings: platform must be one of thingsboard, alibaba, tencent, enos, golioth, selfhosted");
            Fails("{'platform':7," + Broker + "}", "settings: platform must be one of thingsboard, alibaba, tencent, enos, golioth, selfhosted");
        }

        [TestMethod]
        public void BrokenDocumentsGiveOneLineErrors()
        {
            Assert.AreEqual("settings: no settings text", SettingsParser.Parse((string)null).Error);
            Assert.AreEqual("settings: no settings text", SettingsParser.Parse((byte[])null).Error);
            Assert.AreEqual("settings: no settings text", SettingsParser.Parse(new byte[0]).Error);
            Assert.AreEqual("settings: must be a JSON object", SettingsParser.Parse("[1,2]").Error);
            SettingsResult r = SettingsParser.Parse(Q("{'platform':'selfhosted',"));
            Assert.IsFalse(r.Ok);
            Assert.StartsWith("settings: not valid JSON: ", r.Error);
            // A field name with a line break must not break the one-line promise.
            r = SettingsParser.Parse(Q("{'platform':'selfhosted','bro\\nker':{}}"));
            Assert.IsFalse(r.Ok);
            Assert.AreEqual(-1, r.Error.IndexOf('\n'));
            Assert.StartsWith("settings: unknown field bro?ker", r.Error);
        }

        [TestMethod]
        public void Utf8BytesWithBomAreRead()
        {
            byte[] text = System.Text.Encoding.UTF8.GetBytes(Q("{'platform':'selfhosted'," + Broker + ",'identity':{'deviceName':'d\u00e9'}}"));
            var withBom = new byte[text.Length + 3];
            withBom[0] = 0xEF;
            withBom[1] = 0xBB;
            withBom[2] = 0xBF;
            System.Array.Copy(text, 0, withBom, 3, text.Length);
            SettingsResult r = SettingsParser.Parse(withBom);
            Assert.IsTrue(r.Ok, r.Error);
            Assert.AreEqual("d\u00e9", r.Settings.DeviceName);
        }
    }
}
