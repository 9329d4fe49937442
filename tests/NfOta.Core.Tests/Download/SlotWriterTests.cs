using nanoFramework.TestFramework;
using NfOta.Download;
using NfOta.Tests.Support;

namespace NfOta.Tests.Download
{
    [TestClass]
    public class SlotWriterTests
    {
        private static byte[] Pattern(int n, int seed)
        {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++)
            {
                b[i] = (byte)(i * 31 + seed);
            }

            return b;
        }

        [TestMethod]
        public void ASizeLargerThanTheSlotIsRefusedWithNothingErased()
        {
            RamFlashSlot slot = new RamFlashSlot("ota_1", 64 * 1024, 4096);
            SlotWriter w = new SlotWriter();
            Assert.IsFalse(SlotWriter.Fits(slot, 64 * 1024 + 1));
            Assert.IsFalse(w.Begin(slot, 64 * 1024 + 1, 0));
            Assert.IsFalse(w.Begin(slot, 0, 0));
            Assert.IsFalse(w.Write(new byte[1], 0, 1), "no writes after a refused Begin");
            Assert.AreEqual(0, slot.Erases);
            Assert.IsTrue(SlotWriter.Fits(slot, 64 * 1024));
        }

        [TestMethod]
        public void SectorsAreErasedJustAheadOfTheWritePosition()
        {
            RamFlashSlot slot = new RamFlashSlot("ota_1", 64 * 1024, 4096);
            SlotWriter w = new SlotWriter();
            Assert.IsTrue(w.Begin(slot, 20000, 0));
            Assert.AreEqual(0, slot.Erases, "Begin erases nothing");
            byte[] data = Pattern(20000, 7);
            Assert.IsTrue(w.Write(data, 0, 100));
            Assert.AreEqual(1, slot.Erases);
            Assert.IsTrue(w.Write(data, 100, 4000));
            Assert.AreEqual(2, slot.Erases, "the write crossing into the second sector erased it");
            Assert.IsTrue(w.Write(data, 4100, 15900));
            Assert.AreEqual(5, slot.Erases, "20000 bytes need 5 sectors, no more");
            Assert.AreEqual(20000, (int)w.Position);
            Assert.IsFalse(w.Write(data, 0, 1), "nothing past the declared size");
            for (int i = 0; i < 20000; i++)
            {
                Assert.AreEqual(data[i], slot.Data[i]);
            }

            Assert.AreEqual((byte)0xFF, slot.Data[20480], "the sector after the image is untouched");
        }

        [TestMethod]
        public void ResumingReErasesFromTheResumeOffsetAndKeepsWhatCameBefore()
        {
            RamFlashSlot slot = new RamFlashSlot("ota_1", 64 * 1024, 4096);
            byte[] data = Pattern(30000, 3);
            SlotWriter w = new SlotWriter();
            Assert.IsTrue(w.Begin(slot, 30000, 0));
            Assert.IsTrue(w.Write(data, 0, 10000)); // power goes after this; sector 2 holds part of the image

            SlotWriter resumed = new SlotWriter();
            Assert.IsFalse(resumed.Begin(slot, 30000, 100), "a resume offset must be on a sector boundary");
            Assert.IsTrue(resumed.Begin(slot, 30000, 8192));
            Assert.IsTrue(resumed.Write(data, 8192, 30000 - 8192));
            Assert.AreEqual(0, slot.Violations, "re-erased before rewriting, so NOR rules hold");
            for (int i = 0; i < 30000; i++)
            {
                Assert.AreEqual(data[i], slot.Data[i]);
            }
        }

        [TestMethod]
        public void AFlashThatDoesNotHoldWhatWasWrittenIsAnError()
        {
            RamFlashSlot slot = new RamFlashSlot("ota_1", 16 * 1024, 4096);
            SlotWriter w = new SlotWriter();
            Assert.IsTrue(w.Begin(slot, 8000, 0));
            Assert.IsTrue(w.Write(new byte[] { 0x00, 0x0F }, 0, 2));
            // Stale data in the next sector that the writer believes it erased: simulate a bad cell.
            slot.Data[2] = 0x00;
            Assert.IsFalse(w.Write(new byte[] { 0xF0 }, 0, 1), "a write that cannot set bits fails");
        }
    }
}
