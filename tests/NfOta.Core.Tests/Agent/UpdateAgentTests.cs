using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Ports;
using NfOta.Tests.Support;

namespace NfOta.Tests.Agent
{
    [TestClass]
    public class UpdateAgentTests
    {
        private static AgentRig Online()
        {
            AgentRig rig = new AgentRig();
            rig.PowerOn();
            rig.Agent.Poll(0);
            Assert.IsTrue(rig.Mqtt.IsConnected, "the agent connects on its first poll");
            return rig;
        }

        [TestMethod]
        public void HttpUpdateInstallsRebootsConfirmsAndReportsTheNewVersion()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 150000, true);
            rig.OfferHttp(image, "1.1.0");

            Assert.IsTrue(rig.RunUntilRestart(), "the agent reboots into the new image");
            Assert.AreEqual((int)UpdateState.Rebooting, (int)rig.Agent.State);
            Assert.AreEqual(1, rig.Boot.Selected);
            Assert.AreEqual(0, rig.Boot.Running, "nothing switched before the reboot");
            Assert.AreEqual(1, rig.Adapter.Count(ReportKind.Downloaded));
            Assert.AreEqual(1, rig.Adapter.Count(ReportKind.Verified));
            Assert.AreEqual(1, rig.Adapter.Count(ReportKind.Installing));
            Assert.AreEqual(0, rig.Boot.Slots[0].Writes, "the running slot is never written");

            rig.Restart();
            Assert.AreEqual("1.1.0", rig.RunningVersion);
            Assert.AreEqual((int)ImageState.PendingVerify, (int)rig.Boot.States[1]);
            Assert.IsTrue(rig.RunUntilState(UpdateState.Confirmed));
            rig.Agent.Poll(0);
            Assert.AreEqual((int)ImageState.Valid, (int)rig.Boot.States[1]);
            StatusReport updated = rig.Adapter.Last(ReportKind.Updated);
            Assert.IsNotNull(updated, "the new version is reported after the reboot");
            Assert.AreEqual("1.1.0", updated.RunningVersion);
            Assert.AreEqual(AgentRig.Digest(HashAlgorithmKind.Sha256, image), rig.Agent.InstalledDigest);

            // A later boot stays on the confirmed image and reports nothing twice.
            rig.Restart();
            rig.Agent.Poll(0);
            Assert.AreEqual("1.1.0", rig.RunningVersion);
            Assert.AreEqual(1, rig.Adapter.Count(ReportKind.Updated));
        }

        [TestMethod]
        public void ProgressIsReportedInStepsNotPerChunk()
        {
            AgentRig rig = Online();
            rig.Settings.ProgressIntervalMs = 1000000;
            byte[] image = AgentRig.MakeImage("1.1.0", 200000, true);
            rig.OfferHttp(image, "1.1.0");
            Assert.IsTrue(rig.RunUntilRestart());
            int downloading = rig.Adapter.Count(ReportKind.Downloading);
            Assert.IsTrue(downloading >= 10 && downloading <= 12, "one report per 10 %: " + downloading);
        }

        [TestMethod]
        public void MqttChunkUpdateWithAWindowCompletes()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 70000, true);
            rig.OfferChunks(image, "1.1.0", "MD5", HashAlgorithmKind.Md5);
            Assert.IsTrue(rig.RunUntilRestart());
            Assert.AreEqual(18, rig.ChunkRequests, "each chunk asked for once");
            rig.Restart();
            Assert.IsTrue(rig.RunUntilState(UpdateState.Confirmed));
            Assert.AreEqual("1.1.0", rig.RunningVersion);
        }

        [TestMethod]
        public void ChunksAnsweredOutOfOrderAreWrittenInOrder()
        {
            AgentRig rig = Online();
            rig.ReverseWindow = true;
            byte[] image = AgentRig.MakeImage("1.1.0", 90000, true);
            rig.OfferChunks(image, "1.1.0", "SHA256", HashAlgorithmKind.Sha256);
            Assert.IsTrue(rig.RunUntilRestart(), "state " + UpdateAgent.StateName(rig.Agent.State) + ": " + rig.Agent.LastMessage);
            Assert.AreEqual((int)UpdateError.None, (int)rig.Agent.LastError);
        }

        [TestMethod]
        public void ALostChunkIsAskedForAgainAfterTheTimeout()
        {
            AgentRig rig = Online();
            rig.DropChunkOnce = 3;
            byte[] image = AgentRig.MakeImage("1.1.0", 60000, true);
            rig.OfferChunks(image, "1.1.0", "CRC32", HashAlgorithmKind.Crc32);
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
            Assert.IsTrue(rig.ChunkRequests > 15, "chunk 3 was requested twice");
        }

        [TestMethod]
        public void TruncatedAndDuplicatedChunksDoNotCorruptTheImage()
        {
            AgentRig rig = Online();
            rig.TruncateChunkOnce = 2;
            rig.DuplicateChunks = true;
            byte[] image = AgentRig.MakeImage("1.1.0", 50000, true);
            rig.OfferChunks(image, "1.1.0", "SHA256", HashAlgorithmKind.Sha256);
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
            rig.Restart();
            Assert.IsTrue(rig.RunUntilState(UpdateState.Confirmed));
        }

        [TestMethod]
        public void AChunkThatNeverComesEndsInAReportedFailureNotAHang()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 50000, true);
            rig.OfferChunks(image, "1.1.0", "SHA256", HashAlgorithmKind.Sha256);
            rig.ChunkImage = null; // the platform stops answering
            Assert.IsTrue(rig.RunUntilState(UpdateState.Failed));
            Assert.AreEqual((int)UpdateError.DownloadFailed, (int)rig.Adapter.Last(ReportKind.Failed).Error);
            Assert.AreEqual(0, rig.Boot.Running);
            Assert.AreEqual(0, rig.Boot.Selected);
        }

        [TestMethod]
        public void AHashMismatchSwitchesNothingAndTheOldImageStillBoots()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 80000, true);
            rig.Http.Content = image;
            rig.Offer("{\"version\":\"1.1.0\",\"size\":80000,\"algorithm\":\"SHA256\",\"hash\":\""
                + AgentRig.Digest(HashAlgorithmKind.Sha256, AgentRig.MakeImage("1.1.0", 80000, false)) + "\",\"url\":\"" + rig.Http.Url + "\"}");
            Assert.IsTrue(rig.RunUntilState(UpdateState.Failed));
            Assert.AreEqual((int)UpdateError.ChecksumMismatch, (int)rig.Adapter.Last(ReportKind.Failed).Error);
            Assert.AreEqual(0, rig.Adapter.Count(ReportKind.Verified));
            Assert.AreEqual(0, rig.Boot.Selected, "the boot slot is unchanged");
            Assert.IsFalse(rig.Agent.RestartRequested);

            rig.Restart();
            rig.Agent.Poll(0);
            Assert.AreEqual("1.0.0", rig.RunningVersion);
            Assert.AreEqual((int)ImageState.Valid, (int)rig.Boot.States[0]);
        }

        [TestMethod]
        public void AnImageTooLargeForTheSlotIsRefusedBeforeAnyErase()
        {
            AgentRig rig = Online();
            rig.Http.Content = new byte[16];
            rig.Offer("{\"version\":\"1.1.0\",\"size\":" + (AgentRig.SlotSize + 1) + ",\"algorithm\":\"MD5\",\"hash\":\"00112233445566778899aabbccddeeff\",\"url\":\"" + rig.Http.Url + "\"}");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateState.Failed, (int)rig.Agent.State);
            Assert.AreEqual((int)UpdateError.NotEnoughSpace, (int)rig.Adapter.Last(ReportKind.Failed).Error);
            Assert.AreEqual(0, rig.Boot.Slots[1].Erases, "nothing erased");
            Assert.AreEqual(0, rig.Http.Opens, "nothing downloaded");
        }

        [TestMethod]
        public void UrlsAreCheckedAgainstTheSettingsBeforeAnyErase()
        {
            AgentRig rig = Online();
            rig.Settings.RequireTls = true;
            rig.OfferHttp(AgentRig.MakeImage("1.1.0", 9000, true), "1.1.0");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateError.UriNotAllowed, (int)rig.Agent.LastError);

            rig.Settings.RequireTls = false;
            rig.Settings.AllowedHosts = new string[] { "updates.example.com" };
            rig.Http.Url = "http://evil.example/fw.bin";
            rig.OfferHttp(AgentRig.MakeImage("1.1.1", 9000, true), "1.1.1");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateError.UriNotAllowed, (int)rig.Agent.LastError);
            Assert.AreEqual(0, rig.Boot.Slots[1].Erases);
            Assert.AreEqual(0, rig.Http.Opens);

            string why;
            Assert.AreEqual((int)UpdateError.None, (int)rig.Agent.CheckUrl("https://UPDATES.example.com:443/a.bin", out why));
            Assert.AreEqual((int)UpdateError.InvalidUri, (int)rig.Agent.CheckUrl("ftp://updates.example.com/a.bin", out why));
        }

        [TestMethod]
        public void ADowngradeIsRefusedUnlessTheSettingsAllowIt()
        {
            AgentRig rig = Online();
            rig.OfferHttp(AgentRig.MakeImage("0.9.0", 9000, true), "0.9.0");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateError.DowngradeRefused, (int)rig.Agent.LastError);
            Assert.AreEqual(0, rig.Http.Opens);

            rig.Settings.AllowDowngrade = true;
            rig.OfferHttp(AgentRig.MakeImage("0.9.0", 9000, true), "0.9.0");
            Assert.IsTrue(rig.RunUntilRestart());
        }

        [TestMethod]
        public void AnOfferOfTheRunningVersionIsIgnored()
        {
            AgentRig rig = Online();
            rig.OfferHttp(AgentRig.MakeImage("1.0.0", 9000, true), "1.0.0");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateState.Idle, (int)rig.Agent.State);
            Assert.AreEqual(0, rig.Adapter.Reports.Count);
        }

        [TestMethod]
        public void AMalformedOfferIsReportedAndChangesNothing()
        {
            AgentRig rig = Online();
            rig.Offer("{\"version\":");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateError.InvalidOffer, (int)rig.Adapter.Last(ReportKind.Failed).Error);
            rig.Offer("{\"version\":\"1.1.0\",\"size\":100,\"algorithm\":\"ROT13\",\"hash\":\"ab\",\"url\":\"http://x/y\"}");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateError.UnsupportedAlgorithm, (int)rig.Agent.LastError);
            rig.Offer("{\"version\":\"not a version\",\"size\":100,\"algorithm\":\"MD5\",\"hash\":\"ab\",\"url\":\"http://x/y\"}");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateError.InvalidOffer, (int)rig.Agent.LastError);
            Assert.AreEqual(0, rig.Boot.Slots[1].Erases);
        }

        [TestMethod]
        public void AFailedSelfTestRollsBackAndReportsTheOldVersion()
        {
            AgentRig rig = Online();
            byte[] bad = AgentRig.MakeImage("1.2.0", 40000, false);
            rig.OfferHttp(bad, "1.2.0");
            Assert.IsTrue(rig.RunUntilRestart());

            rig.Restart();
            Assert.AreEqual("1.2.0", rig.RunningVersion, "the trial boot runs the new image");
            rig.Agent.Poll(0);
            Assert.IsTrue(rig.Agent.RestartRequested, "a failed self-test reboots");
            Assert.AreEqual((int)UpdateState.RolledBack, (int)rig.Agent.State);
            Assert.AreEqual((int)ImageState.Invalid, (int)rig.Boot.States[1]);

            rig.Restart();
            Assert.AreEqual("1.0.0", rig.RunningVersion);
            rig.Agent.Poll(0);
            StatusReport failed = rig.Adapter.Last(ReportKind.Failed);
            Assert.IsNotNull(failed);
            Assert.AreEqual((int)UpdateError.SelfTestFailed, (int)failed.Error);
            Assert.AreEqual("1.0.0", failed.RunningVersion);

            // The platform repeats its release: the device does not install it again.
            rig.OfferHttp(bad, "1.2.0");
            rig.Agent.Poll(0);
            Assert.AreEqual((int)UpdateState.RolledBack, (int)rig.Agent.State);
            Assert.AreEqual(1, rig.Http.Opens);
        }

        [TestMethod]
        public void AnImageThatNeverConfirmsIsRolledBackByTheBootloaderAndRefusedAfterASecondTry()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 30000, true);
            rig.OfferHttp(image, "1.1.0");
            Assert.IsTrue(rig.RunUntilRestart());
            rig.Restart();
            // The new image hangs or crashes before its agent runs: the watchdog resets the board.
            rig.Restart();
            Assert.AreEqual("1.0.0", rig.RunningVersion);
            Assert.AreEqual((int)ImageState.Aborted, (int)rig.Boot.States[1]);

            // Once could be a power cut: the intact image is selected again, not downloaded again.
            Assert.IsTrue(rig.RunUntilRestart(), "selected again");
            Assert.AreEqual(1, rig.Http.Opens);
            Assert.AreEqual(0, rig.Adapter.Count(ReportKind.Failed));
            rig.Restart();
            rig.Restart(); // it hangs again
            rig.Agent.Poll(0);
            Assert.AreEqual("1.0.0", rig.RunningVersion);
            Assert.AreEqual((int)UpdateState.RolledBack, (int)rig.Agent.State);
            Assert.AreEqual((int)UpdateError.BootFailed, (int)rig.Adapter.Last(ReportKind.Failed).Error);
            Assert.AreEqual(1, rig.Adapter.Count(ReportKind.Failed));

            // The platform repeats its release: refused now.
            rig.OfferHttp(image, "1.1.0");
            rig.Agent.Poll(0);
            Assert.AreEqual(1, rig.Http.Opens);
            Assert.IsFalse(rig.Agent.RestartRequested);
        }

        [TestMethod]
        public void APowerCutDuringTheDownloadResumesFromTheLastCheckpoint()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 150000, true);
            rig.Http.PowerCutAt = 100000;
            rig.OfferHttp(image, "1.1.0");
            bool cut = false;
            try
            {
                rig.RunUntilRestart();
            }
            catch (PowerCutException)
            {
                cut = true;
            }

            Assert.IsTrue(cut);
            rig.Restart();
            rig.Agent.Poll(0);
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
            Assert.AreEqual(98304, (int)rig.Http.LastOffset, "resumed at the last 16 KB checkpoint before the cut");
            Assert.IsTrue(rig.Http.BytesServed < image.Length + 20000, "only the tail was fetched again");
            rig.Restart();
            Assert.IsTrue(rig.RunUntilState(UpdateState.Confirmed));
            Assert.AreEqual("1.1.0", rig.RunningVersion);
        }

        [TestMethod]
        public void ABrokenBodyIsResumedWithARangeRequest()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 100000, true);
            rig.Http.BreakAfter = 30000;
            rig.OfferHttp(image, "1.1.0");
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
            Assert.AreEqual(2, rig.Http.Opens);
            Assert.AreEqual(30000, (int)rig.Http.LastOffset, "the second request starts where the body broke");
        }

        [TestMethod]
        public void AServerThatIgnoresRangeStillGivesAVerifiedImage()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 100000, true);
            rig.Http.BreakAfter = 50000;
            rig.Http.IgnoreRange = true;
            rig.OfferHttp(image, "1.1.0");
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
            Assert.AreEqual((int)UpdateError.None, (int)rig.Agent.LastError);
        }

        [TestMethod]
        public void ADeadServerEndsInACappedReportedFailure()
        {
            AgentRig rig = Online();
            rig.Http.AlwaysFail = true;
            rig.OfferHttp(AgentRig.MakeImage("1.1.0", 10000, true), "1.1.0");
            Assert.IsTrue(rig.RunUntilState(UpdateState.Failed));
            Assert.AreEqual((int)UpdateError.DownloadFailed, (int)rig.Agent.LastError);
            Assert.AreEqual(rig.Settings.Retries + 1, rig.Http.Opens);
            Assert.IsTrue(rig.Clock.Slept >= 1000 + 2000 + 4000, "the retries back off");
        }

        [TestMethod]
        public void AMissingFileIsReportedAsSuch()
        {
            AgentRig rig = Online();
            rig.OfferHttp(AgentRig.MakeImage("1.1.0", 10000, true), "1.1.0");
            rig.Http.NotFound = true;
            Assert.IsTrue(rig.RunUntilState(UpdateState.Failed));
            Assert.AreEqual((int)UpdateError.FileNotFound, (int)rig.Adapter.Last(ReportKind.Failed).Error);
        }

        [TestMethod]
        public void AnOfflineDeviceUpdatesOnceTheBrokerIsBack()
        {
            AgentRig rig = new AgentRig();
            rig.PowerOn();
            rig.Mqtt.Online = false;
            rig.Agent.Poll(0);
            Assert.IsFalse(rig.Mqtt.IsConnected);
            rig.Mqtt.Online = true;
            rig.Clock.Advance(5000);
            rig.Agent.Poll(0);
            Assert.IsTrue(rig.Mqtt.IsConnected);
            Assert.AreEqual(1, rig.Adapter.Connections);
            Assert.AreEqual("1.0.0", rig.Adapter.LastConnectedVersion);
        }

        [TestMethod]
        public void ADroppedLinkDuringAChunkDownloadAsksAgainAfterReconnecting()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 60000, true);
            rig.OfferChunks(image, "1.1.0", "SHA256", HashAlgorithmKind.Sha256);
            rig.Agent.Poll(0);
            rig.Mqtt.Drop();
            rig.ChunkImage = null;
            rig.Agent.Poll(0);
            rig.ChunkImage = image;
            rig.Clock.Advance(5000);
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
        }

        [TestMethod]
        public void APowerCutDuringTheTrialBootSelectsTheIntactImageAgainWithoutDownloadingIt()
        {
            AgentRig rig = Online();
            byte[] image = AgentRig.MakeImage("1.1.0", 30000, true);
            rig.OfferHttp(image, "1.1.0");
            Assert.IsTrue(rig.RunUntilRestart());
            rig.Restart();
            rig.Restart(); // the power went before the image could confirm itself
            Assert.AreEqual("1.0.0", rig.RunningVersion);
            Assert.IsTrue(rig.RunUntilRestart(), rig.Agent.LastMessage);
            rig.Restart();
            Assert.IsTrue(rig.RunUntilState(UpdateState.Confirmed));
            rig.Agent.Poll(0);
            Assert.AreEqual("1.1.0", rig.RunningVersion);
            Assert.AreEqual(1, rig.Http.Opens, "downloaded once");
            Assert.AreEqual(0, rig.Adapter.Count(ReportKind.Failed));
            Assert.AreEqual(1, rig.Adapter.Count(ReportKind.Updated));
        }
    }
}
