using System;
using NfOta.Download;
using NfOta.Pc.Sim;
using NfOta.Ports;
using Xunit;

namespace NfOta.Host.Tests.Sim
{
    /// <summary>The core's SlotWriter against the simulated chip: NOR rules hold, and a resumed download boots.</summary>
    public class SlotWriterOnSimFlashTests
    {
        [Fact]
        public void StreamedImageInOddChunksIsAcceptedBySetBootSlot()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            byte[] image = SimTestSupport.Image("2.0.0", seed: 9, size: 100 * 1024);
            var writer = new SlotWriter();
            Assert.True(writer.Begin(device.BootControl.OpenUpdateSlot(), image.Length, 0));
            for (int off = 0; off < image.Length; off += 1000)
                Assert.True(writer.Write(image, off, Math.Min(1000, image.Length - off)));
            Assert.Equal(0, device.Flash.Violations);
            Assert.True(device.BootControl.SetBootSlot(1));
            Assert.Equal(1, device.Boot().Slot);
        }

        [Fact]
        public void DownloadResumedAfterAPowerCutFromASectorBoundaryBoots()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            byte[] image = SimTestSupport.Image("2.0.0", seed: 9, size: 100 * 1024);
            var writer = new SlotWriter();
            Assert.True(writer.Begin(device.BootControl.OpenUpdateSlot(), image.Length, 0));
            device.Flash.ResetOperations();
            device.Flash.CutAt = 25;
            long checkpoint = 0;
            Assert.Throws<PowerCutException>(() =>
            {
                for (int off = 0; off < image.Length; off += 1000)
                {
                    writer.Write(image, off, Math.Min(1000, image.Length - off));
                    // What the journal would keep: the last sector boundary fully written.
                    checkpoint = writer.Position / 4096 * 4096;
                }
            });
            device.Flash.PowerOn();
            Assert.True(checkpoint > 0);

            Assert.Equal(0, device.Boot().Slot);
            var resumed = new SlotWriter();
            Assert.True(resumed.Begin(device.BootControl.OpenUpdateSlot(), image.Length, checkpoint));
            for (long off = checkpoint; off < image.Length; off += 1000)
                Assert.True(resumed.Write(image, (int)off, (int)Math.Min(1000, image.Length - off)));
            Assert.Equal(0, device.Flash.Violations);
            Assert.True(device.BootControl.SetBootSlot(1));
            Assert.Equal(1, device.Boot().Slot);
            Assert.Equal(ImageState.PendingVerify, device.BootControl.GetState(1));
        }
    }
}
