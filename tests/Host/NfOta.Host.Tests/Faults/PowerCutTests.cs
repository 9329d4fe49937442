using System;
using System.Collections.Generic;
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace NfOta.Host.Tests.Faults
{
    /// <summary>
    /// A power cut at every flash operation and every journal write of a whole update (see
    /// <see cref="PowerCutHarness"/>). The fast sweeps run in the suite; the long one only with
    /// NFOTA_POWERCUT_FULL=1. Figures go to the test output.
    /// </summary>
    public sealed class PowerCutTests
    {
        private readonly ITestOutputHelper _out;

        public PowerCutTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Fact]
        public void EveryCutOfAnHttpUpdateBootsAndCompletes()
        {
            var config = new PowerCutConfig { ImageSize = 96 * 1024, ChunkSize = 4096, CheckpointBytes = 16384 };
            PowerCutFigures f = Sweep(config);
            AssertCompletedEverywhere(f);
            AssertOperationsOfACleanUpdate(f);
            AssertDownloadCutsResume(f, config.CheckpointBytes + config.ChunkSize);
        }

        [Fact]
        public void EveryCutOfAnMqttChunkUpdateBootsAndCompletes()
        {
            var config = new PowerCutConfig { ImageSize = 64 * 1024, ChunkSize = 4096, CheckpointBytes = 16384, MqttChunks = true };
            PowerCutFigures f = Sweep(config);
            AssertCompletedEverywhere(f);
            AssertOperationsOfACleanUpdate(f);
            // The platform may have answered a whole window ahead of what reached flash.
            AssertDownloadCutsResume(f, config.CheckpointBytes + 4 * config.ChunkSize);
        }

        [Fact]
        public void EveryCutOfAnUpdateWhoseSelfTestFailsEndsInAReportedRollback()
        {
            var config = new PowerCutConfig { ImageSize = 64 * 1024, ChunkSize = 4096, CheckpointBytes = 16384, SelfTest = "fail" };
            PowerCutFigures f = Sweep(config);
            Assert.Equal(0, f.Bricks);
            Assert.True(f.Tried > 40, "only " + f.Tried + " cut points");
            foreach (CutResult r in f.Results)
                Assert.True(r.Outcome == CutOutcome.RolledBack, Describe(r));
            Assert.True(f.CleanOperationsByLabel.ContainsKey("rollback erase"), "the sweep never cut the rollback's otadata write");
        }

        /// <summary>
        /// A cut while the trial image marks itself valid (or while the bootloader turns New into
        /// PendingVerify) leaves that otadata copy erased or with a bad CRC, so ESP-IDF's bootloader goes
        /// back to the old slot. The agent must try the image again, not refuse it for good.
        /// </summary>
        [Fact]
        public void CutDuringTheConfirmationIsRetriedNotRefused()
        {
            var config = new PowerCutConfig { ImageSize = 48 * 1024, ChunkSize = 4096, CheckpointBytes = 16384 };
            using var harness = new PowerCutHarness(config);
            harness.RunClean(out long ops, out _);
            var confirms = new List<CutResult>();
            for (long k = ops; k >= 1 && confirms.Count < 2; k--)
            {
                CutResult r = harness.RunCut(k, null);
                if (r.Phase == "confirm")
                    confirms.Add(r);
            }

            Assert.Equal(2, confirms.Count); // the erase and the write of the active otadata copy
            foreach (CutResult r in confirms)
            {
                _out.WriteLine(Describe(r));
                Assert.True(r.Outcome == CutOutcome.Completed, Describe(r));
                // ESP-IDF forgets the trial image, so the agent installs it again; the boot failure is reported once on the way.
                Assert.Equal(1, r.FailedReports);
                Assert.Equal(r.ServedBeforeCut, r.BytesAgain);
            }
        }

        /// <summary>
        /// Negative control: with the old image damaged in flash, a cut while the new image is being written
        /// leaves nothing bootable. The harness must count those bricks, not throw or call them completed.
        /// </summary>
        [Fact]
        public void HarnessCountsBricksWhenTheOldImageCannotBoot()
        {
            var config = new PowerCutConfig { ImageSize = 32 * 1024, ChunkSize = 4096, CheckpointBytes = 16384, DamageOldImage = true };
            using var harness = new PowerCutHarness(config);
            PowerCutFigures f = harness.Sweep(journal: false);
            _out.WriteLine(f.Describe());
            Assert.True(f.Bricks > 0);
            foreach (CutResult r in f.Results)
            {
                // Once the new image is complete the bootloader's fallback finds it even without otadata.
                Assert.True((r.Phase == "download") == (r.Outcome == CutOutcome.Bricked), Describe(r));
            }
        }

        /// <summary>
        /// The agent's rule "once may be a power cut during the confirmation; twice is the image": a second cut
        /// during the retried trial boot makes the agent refuse a good image. The device still ends on the old
        /// image with the failure reported (clean), and a new release is needed to try again.
        /// </summary>
        [Fact]
        public void TwoCutsDuringTrialBootsEndInAReportedRefusal()
        {
            var config = new PowerCutConfig { ImageSize = 32 * 1024, ChunkSize = 4096, CheckpointBytes = 16384 };
            using var harness = new PowerCutHarness(config);
            harness.RunClean(out long ops, out _);
            long confirmWrite = ops; // the last operation of a clean update: the confirmation's otadata write
            CutResult once = harness.RunCut(confirmWrite, null);
            Assert.Equal("confirm", once.Phase);
            Assert.Equal(CutOutcome.Completed, once.Outcome);
            // After the first cut the retry downloads the image again and confirms at the same operation count.
            CutResult twice = harness.RunCut(confirmWrite, null, confirmWrite);
            _out.WriteLine(Describe(once));
            _out.WriteLine(Describe(twice) + "; second cut: " + twice.SecondPhase);
            Assert.Equal("confirm write", twice.SecondPhase);
            Assert.Equal(CutOutcome.RolledBack, twice.Outcome);
        }

        [Fact]
        public void LongRunOnlyWithNfotaPowercutFull()
        {
            if (Environment.GetEnvironmentVariable("NFOTA_POWERCUT_FULL") != "1")
            {
                _out.WriteLine("skipped: set NFOTA_POWERCUT_FULL=1 to run the long power-cut sweep");
                return;
            }

            var configs = new[]
            {
                new PowerCutConfig { ImageSize = 256 * 1024, ChunkSize = 4096, CheckpointBytes = 65536 },
                new PowerCutConfig { ImageSize = 256 * 1024, ChunkSize = 1024, CheckpointBytes = 16384 },
                new PowerCutConfig { ImageSize = 512 * 1024, ChunkSize = 4096, CheckpointBytes = 65536 },
                new PowerCutConfig { ImageSize = 1500 * 1024, ChunkSize = 4096, CheckpointBytes = 65536 },
                new PowerCutConfig { ImageSize = 256 * 1024, ChunkSize = 4096, CheckpointBytes = 65536, MqttChunks = true },
                new PowerCutConfig { ImageSize = 200 * 1024 + 123, ChunkSize = 3000, CheckpointBytes = 32768, MqttChunks = true },
                new PowerCutConfig { ImageSize = 256 * 1024, ChunkSize = 4096, CheckpointBytes = 65536, SelfTest = "fail" },
            };

            long tried = 0, bricks = 0, completed = 0, rolledBack = 0, wrong = 0, again = 0;
            foreach (var config in configs)
            {
                PowerCutFigures f = Sweep(config);
                tried += f.Tried;
                bricks += f.Bricks;
                completed += f.Completed;
                rolledBack += f.RolledBack;
                wrong += f.Wrong;
                again += f.BytesAgainTotal;
            }

            string total = "power-cut long run: " + configs.Length + " sweeps, cut points tried: " + tried + ", bricks: " + bricks
                + ", completed: " + completed + ", rolled back: " + rolledBack + ", wrong outcome: " + wrong
                + ", average bytes downloaded again: " + (tried == 0 ? 0 : again / tried);
            _out.WriteLine(total);
            Console.WriteLine(total);
            Assert.Equal(0, bricks);
            Assert.Equal(0, wrong);
        }

        private PowerCutFigures Sweep(PowerCutConfig config)
        {
            var watch = Stopwatch.StartNew();
            using var harness = new PowerCutHarness(config);
            PowerCutFigures f = harness.Sweep(journal: true);
            string text = f.Describe() + "  time: " + watch.Elapsed.TotalSeconds.ToString("F1") + " s";
            _out.WriteLine(text);
            Console.WriteLine(text);
            bool all = Environment.GetEnvironmentVariable("NFOTA_POWERCUT_VERBOSE") == "1";
            foreach (CutResult r in f.Results)
            {
                if (all || r.Outcome == CutOutcome.Bricked || r.Outcome == CutOutcome.Wrong || r.BytesAgain >= config.ImageSize)
                    _out.WriteLine("  " + Describe(r));
            }
            return f;
        }

        private static void AssertCompletedEverywhere(PowerCutFigures f)
        {
            Assert.True(f.Tried > 40, "only " + f.Tried + " cut points");
            Assert.Equal(0, f.Bricks);
            foreach (CutResult r in f.Results)
                Assert.True(r.Outcome == CutOutcome.Completed, Describe(r));
        }

        /// <summary>Every erase and write of a clean update was cut once, and each was recognised.</summary>
        private static void AssertOperationsOfACleanUpdate(PowerCutFigures f)
        {
            int sectors = (f.Config.ImageSize + 32 + 4095) / 4096; // the builder rounds the image up a little
            Assert.InRange(Get(f, "download erase"), sectors - 1, sectors);
            Assert.True(Get(f, "download write") >= Get(f, "download erase"), "fewer writes than erased sectors");
            foreach (string otadata in new[] { "select erase", "select write", "bootloader erase", "bootloader write", "confirm erase", "confirm write" })
                Assert.True(Get(f, otadata) == 1, otadata + ": " + Get(f, otadata) + " cut points");
            int named = 0;
            foreach (var kv in f.CleanOperationsByLabel)
                named += kv.Value;
            Assert.Equal(f.CleanFlashOperations, named);
            Assert.False(f.CleanOperationsByLabel.ContainsKey("other ?"), "an operation the harness could not place");
        }

        /// <summary>A cut during the download resumes from the journal's checkpoint; only a cut before the first one starts at 0.</summary>
        private static void AssertDownloadCutsResume(PowerCutFigures f, long maxLost)
        {
            Assert.NotEmpty(f.DownloadCuts);
            foreach (CutResult r in f.DownloadCuts)
            {
                Assert.True(r.ResumeOffset == r.JournalPosition, "did not resume at the journal's checkpoint: " + Describe(r));
                if (r.ServedBeforeCut > maxLost)
                    Assert.True(r.ResumeOffset > 0, "started again from byte 0: " + Describe(r));
                Assert.True(r.BytesAgain <= maxLost, "downloaded " + r.BytesAgain + " bytes again: " + Describe(r));
            }
            Assert.True(f.ResumedFromCheckpoint > f.DownloadCuts.Count / 2, f.ResumedFromCheckpoint + " of " + f.DownloadCuts.Count + " resumed from a checkpoint");
        }

        private static int Get(PowerCutFigures f, string label) =>
            f.CleanOperationsByLabel.TryGetValue(label, out int n) ? n : 0;

        private static string Describe(CutResult r) =>
            r.Medium + " cut " + r.Cut + " (" + r.Phase + " " + r.Kind + "): " + r.Outcome + ", served before " + r.ServedBeforeCut
            + ", journal at " + r.JournalPosition + ", resumed at " + r.ResumeOffset + ", " + r.BytesAgain + " bytes again, "
            + r.Boots + " boots, " + r.FailedReports + " failure reports; " + r.Detail;
    }
}
