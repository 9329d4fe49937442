using NfOta.Pc.Sim;
using NfOta.Ports;
using Xunit;

namespace NfOta.Host.Tests.Sim
{
    public class SimBootloaderTests
    {
        [Fact]
        public void FactoryFlashedDeviceBootsOta0AndRecordsItAsValid()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            var boot = device.Boot();
            Assert.False(boot.Bricked);
            Assert.Equal(0, boot.Slot);
            var e0 = device.OtaData.Read(0);
            Assert.Equal(1u, e0.Seq);
            Assert.Equal(OtaImgState.Valid, e0.State);
            Assert.Equal(0, device.BootControl.RunningSlot);
            Assert.Equal(1, device.BootControl.UpdateSlot);
            Assert.Equal(ImageState.Valid, device.BootControl.GetState(0));
            Assert.Equal(ImageState.Undefined, device.BootControl.GetState(1));
        }

        [Fact]
        public void ErasedChipIsABrick()
        {
            using var dir = new SimTempDir();
            using var device = new SimEsp32(dir.Path, SimTestSupport.Table4MB);
            var boot = device.Boot();
            Assert.True(boot.Bricked);
            Assert.Equal(-1, boot.Slot);
            Assert.Null(device.BootControl);
            Assert.Equal("brick", boot.ToString());
        }

        [Fact]
        public void NewThenPendingVerifyThenValid()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            var control = device.BootControl;
            Assert.True(SimTestSupport.WriteUpdate(control, SimTestSupport.Image("2.0.0", seed: 2)));
            Assert.True(control.SetBootSlot(1));
            Assert.Equal(ImageState.New, control.GetState(1));
            Assert.Equal(2u, device.OtaData.Read(1).Seq);
            control.Reboot();
            Assert.True(control.RebootRequested);

            var trial = device.Boot();
            Assert.Equal(1, trial.Slot);
            Assert.Equal(ImageState.PendingVerify, device.BootControl.GetState(1));
            Assert.Equal(0, device.BootControl.UpdateSlot);
            Assert.True(device.BootControl.MarkRunningValid());
            Assert.Equal(ImageState.Valid, device.BootControl.GetState(1));

            Assert.Equal(1, device.Boot().Slot);
            Assert.Equal(1, device.Boot().Slot);
            Assert.Equal(ImageState.Valid, device.BootControl.GetState(1));
            Assert.Equal(0, device.Flash.Violations);
        }

        [Fact]
        public void PendingVerifyAtBootIsAbortedAndTheOldSlotRuns()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
            device.BootControl.SetBootSlot(1);
            Assert.Equal(1, device.Boot().Slot);   // trial boot, never confirmed (crash, hang)
            var back = device.Boot();
            Assert.Equal(0, back.Slot);
            Assert.Contains(back.Log, l => l.Contains("ABORTED"));
            Assert.Equal(ImageState.Aborted, device.BootControl.GetState(1));
            Assert.Equal(ImageState.Valid, device.BootControl.GetState(0));
            Assert.Equal(0, device.Boot().Slot);
        }

        [Fact]
        public void RollBackMarksInvalidAndTheOldSlotRuns()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
            device.BootControl.SetBootSlot(1);
            device.Boot();
            var trial = device.BootControl;
            int events = 0;
            trial.RebootRequestedEvent += (s, e) => events++;
            Assert.True(trial.RollBack());
            Assert.True(trial.RebootRequested);
            trial.Reboot(); // the agent asks again after RollBack returns on a PC
            Assert.Equal(1, events);
            Assert.Equal(ImageState.Invalid, trial.GetState(1));
            Assert.Equal(0, device.Boot().Slot);
            Assert.Equal(ImageState.Invalid, device.BootControl.GetState(1));
            Assert.Equal(1, device.BootControl.UpdateSlot);
        }

        [Fact]
        public void RollBackIsRefusedWhenThereIsNothingToGoBackTo()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            Assert.False(device.BootControl.RollBack());
            Assert.False(device.BootControl.RebootRequested);
            Assert.Equal(ImageState.Valid, device.BootControl.GetState(0));
        }

        [Fact]
        public void SecondUpdateGoesBackToOta0WithTheNextSequenceNumber()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
            device.BootControl.SetBootSlot(1);
            device.Boot();
            device.BootControl.MarkRunningValid();
            Assert.True(SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("3.0.0", seed: 3)));
            Assert.True(device.BootControl.SetBootSlot(0));
            Assert.Equal(3u, device.OtaData.Read(0).Seq);
            Assert.Equal(0, device.Boot().Slot);
            Assert.Equal("3.0.0", NfOta.Images.EspAppImage.Parse(device.Flash.Read(0x10000, 288), 0, 288).Version);
        }

        [Fact]
        public void CorruptImageIsRefusedBySetBootSlot()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            byte[] image = SimTestSupport.Image("2.0.0", seed: 2);
            image[5000] ^= 0x01;
            SimTestSupport.WriteUpdate(device.BootControl, image);
            var before = device.OtaData.ReadBoth();
            Assert.False(device.BootControl.SetBootSlot(1));
            Assert.Equal(before[1].Seq, device.OtaData.Read(1).Seq);
            Assert.Equal(0, device.Boot().Slot);
        }

        [Fact]
        public void BootloaderFallsBackWhenTheSelectedSlotDoesNotVerify()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
            Assert.True(device.BootControl.SetBootSlot(1));
            // The image rots after it was accepted: one bit flips (0 only, as flash can).
            var ota1 = device.Table.FindOta(1);
            device.Flash.Write(ota1.Offset + 3000, new byte[] { 0x00 }, 0, 1);
            var boot = device.Boot();
            Assert.Equal(0, boot.Slot);
            Assert.Contains(boot.Log, l => l.Contains("ota_1 is not bootable"));
            // ESP-IDF marked the entry PENDING_VERIFY before loading failed; the next boot aborts it.
            Assert.Equal(ImageState.PendingVerify, device.BootControl.GetState(1));
            Assert.Equal(0, device.Boot().Slot);
            Assert.Equal(ImageState.Aborted, device.BootControl.GetState(1));
        }

        [Fact]
        public void BothEntriesInvalidFallsBackToOta0AsEspIdfDoes()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
            device.BootControl.SetBootSlot(1);
            device.Boot();
            device.BootControl.RollBack();           // otadata[1] Invalid
            var otadata = device.OtaData;
            var e0 = otadata.Read(0);
            e0.State = OtaImgState.Invalid;           // and the old entry too
            otadata.Write(0, e0);
            var boot = device.Boot();
            Assert.False(boot.Bricked);
            Assert.Equal(0, boot.Slot);
            Assert.Contains(boot.Log, l => l.Contains("No factory image, trying OTA 0"));
        }

        [Fact]
        public void BothEntriesInvalidAndNoGoodImageIsABrick()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
            device.BootControl.SetBootSlot(1);
            device.Boot();
            device.BootControl.RollBack();
            var e0 = device.OtaData.Read(0);
            e0.State = OtaImgState.Invalid;
            device.OtaData.Write(0, e0);
            device.Flash.Write(device.Table.FindOta(0).Offset + 5000, new byte[] { 0 }, 0, 1);
            device.Flash.Write(device.Table.FindOta(1).Offset + 5000, new byte[] { 0 }, 0, 1);
            Assert.True(device.Boot().Bricked);
        }

        [Fact]
        public void StateSurvivesANewProcess()
        {
            using var dir = new SimTempDir();
            using (var device = SimTestSupport.FactoryDevice(dir.Path))
            {
                device.Boot();
                SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2));
                device.BootControl.SetBootSlot(1);
                device.Boot();
            }
            using (var again = new SimEsp32(dir.Path, SimTestSupport.Table4MB))
            {
                // The trial boot of the previous "process" never confirmed: aborted, back to ota_0.
                Assert.Equal(0, again.Boot().Slot);
                Assert.Equal(ImageState.Aborted, again.BootControl.GetState(1));
            }
        }

        [Fact]
        public void UpdateSlotRefusesToReachOutsideItsPartition()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            var slot = (SimFlashSlot)device.BootControl.OpenUpdateSlot();
            Assert.Equal("ota_1", slot.Label);
            Assert.Equal(0x190000, slot.Size);
            Assert.Equal(4096, slot.SectorSize);
            Assert.False(slot.Erase(slot.Size, 4096));
            Assert.False(slot.Erase(-4096, 4096));
            Assert.False(slot.Write(slot.Size - 2, new byte[4], 0, 4));
            Assert.False(slot.Read(slot.Size - 2, new byte[4], 0, 4));
            Assert.Equal(3, slot.Refusals);
            Assert.True(slot.Erase(slot.Size - 4096, 4096));
            Assert.True(slot.Write(slot.Size - 4, new byte[4], 0, 4));
            // The next partition (deploy_0) was not touched.
            Assert.True(device.Flash.IsErased(device.Table.Find("deploy_0").Offset, 4096));
        }

        [Fact]
        public void DeploymentPartitionOpensAsASlotOfItsOwn()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            var deploy = device.OpenPartition("deploy_1");
            Assert.Equal(0x60000, deploy.Size);
            Assert.True(deploy.Erase(0, 4096));
            Assert.True(deploy.Write(0, new byte[] { 0x4E, 0x46 }, 0, 2));
            Assert.Equal(0x4E, device.Flash.Read(device.Table.Find("deploy_1").Offset, 1)[0]);
            Assert.False(deploy.Write(deploy.Size, new byte[1], 0, 1));
            Assert.Throws<System.ArgumentException>(() => device.OpenPartition("nope"));
        }

        [Fact]
        public void PowerCutAtAnyOperationOfAnUpdateNeverBricks()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            byte[] start = device.Flash.Snapshot();
            byte[] update = SimTestSupport.Image("2.0.0", seed: 2, size: 20 * 1024);

            void Run()
            {
                device.Boot();
                SimTestSupport.WriteUpdate(device.BootControl, update);
                device.BootControl.SetBootSlot(1);
                device.Boot();
                device.BootControl.MarkRunningValid();
            }

            device.Flash.ResetOperations();
            Run();
            long total = device.Flash.Operations;
            Assert.True(total > 10);
            for (long cut = 1; cut <= total; cut++)
            {
                device.Flash.Restore(start);
                device.Flash.ResetOperations();
                device.Flash.CutAt = cut;
                Assert.Throws<PowerCutException>(Run);
                device.Flash.PowerOn();
                var boot = device.Boot();
                Assert.False(boot.Bricked, "bricked by a power cut at operation " + cut);
                Assert.True(boot.Slot == 0 || boot.Slot == 1);
                // After power returns the device keeps working: it settles on one slot.
                var again = device.Boot();
                Assert.False(again.Bricked);
            }
        }
    }
}
