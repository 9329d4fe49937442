using System.Text;
using nanoFramework.TestFramework;
using NfOta.Images;

namespace NfOta.Core.Tests.Images
{
    [TestClass]
    public class EspAppImageTests
    {
        // The start of an ESP32 app image laid out by hand from esp_app_format.h / esp_app_desc.h.
        private static byte[] Sample()
        {
            var b = new byte[EspAppImage.MinimumLength + 16];
            b[0] = 0xE9;                 // magic
            b[1] = 5;                    // segment_count
            b[2] = 2;                    // spi_mode DIO
            b[3] = 0x20;                 // spi_speed 0, spi_size 2 (4 MB)
            PutU32(b, 4, 0x40081234);    // entry_addr
            b[8] = 0xEE;                 // wp_pin
            PutU16(b, 12, 0x0009);       // chip_id ESP32-S3
            PutU16(b, 15, 1);            // min_chip_rev_full v0.1
            PutU16(b, 17, 199);          // max_chip_rev_full v1.99
            b[23] = 1;                   // hash_appended
            PutU32(b, 24, 0x3C000020);   // segment 0 load_addr
            PutU32(b, 28, 0x1000);       // segment 0 data_len
            int d = 32;
            PutU32(b, d, 0xABCD5432);
            PutU32(b, d + 4, 7);         // secure_version
            PutText(b, d + 16, "1.2.3-rc.1");
            PutText(b, d + 48, "nanoCLR");
            PutText(b, d + 80, "10:11:12");
            PutText(b, d + 96, "Dec  2 2026");
            PutText(b, d + 112, "v5.2.3");
            for (int i = 0; i < 32; i++)
                b[d + 144 + i] = (byte)(i + 1);
            return b;
        }

        [TestMethod]
        public void ReadsHeaderAndAppDescription()
        {
            var image = EspAppImage.Parse(Sample(), 0, EspAppImage.MinimumLength);
            Assert.IsTrue(image.Ok);
            Assert.AreEqual(5, image.SegmentCount);
            Assert.AreEqual(2, image.SpiMode);
            Assert.AreEqual(2, image.FlashSizeCode);
            Assert.AreEqual((uint)0x40081234, image.EntryAddress);
            Assert.AreEqual(EspChipId.Esp32S3, image.ChipId);
            Assert.AreEqual(1, image.MinChipRevision);
            Assert.AreEqual(199, image.MaxChipRevision);
            Assert.IsTrue(image.HashAppended);
            Assert.AreEqual((uint)0x3C000020, image.FirstSegmentLoadAddress);
            Assert.AreEqual((uint)0x1000, image.FirstSegmentLength);
            Assert.AreEqual((uint)7, image.SecureVersion);
            Assert.AreEqual("1.2.3-rc.1", image.Version);
            Assert.AreEqual("nanoCLR", image.ProjectName);
            Assert.AreEqual("10:11:12", image.CompileTime);
            Assert.AreEqual("Dec  2 2026", image.CompileDate);
            Assert.AreEqual("v5.2.3", image.IdfVersion);
            Assert.AreEqual(32, image.AppElfSha256.Length);
            Assert.AreEqual((byte)1, image.AppElfSha256[0]);
            Assert.AreEqual((byte)32, image.AppElfSha256[31]);
        }

        [TestMethod]
        public void ReadsAtAnOffsetInsideALargerBuffer()
        {
            byte[] sample = Sample();
            var shifted = new byte[sample.Length + 10];
            for (int i = 0; i < sample.Length; i++)
                shifted[i + 10] = sample[i];
            var image = EspAppImage.Parse(shifted, 10, EspAppImage.MinimumLength);
            Assert.IsTrue(image.Ok);
            Assert.AreEqual("nanoCLR", image.ProjectName);
        }

        [TestMethod]
        public void FullLengthFieldsHaveNoTerminator()
        {
            byte[] b = Sample();
            for (int i = 0; i < 32; i++)
                b[32 + 16 + i] = (byte)'9';
            var image = EspAppImage.Parse(b, 0, b.Length);
            Assert.AreEqual(32, image.Version.Length);
            Assert.AreEqual("nanoCLR", image.ProjectName);
        }

        [TestMethod]
        public void RejectsTooFewBytes()
        {
            Assert.AreEqual((int)EspImageError.TooShort, (int)EspAppImage.Parse(Sample(), 0, EspAppImage.MinimumLength - 1).Error);
            Assert.AreEqual((int)EspImageError.TooShort, (int)EspAppImage.Parse(null, 0, 400).Error);
            Assert.AreEqual((int)EspImageError.TooShort, (int)EspAppImage.Parse(Sample(), 20, EspAppImage.MinimumLength).Error);
        }

        [TestMethod]
        public void RejectsWrongMagic()
        {
            byte[] b = Sample();
            b[0] = 0xFF;
            var image = EspAppImage.Parse(b, 0, b.Length);
            Assert.IsFalse(image.Ok);
            Assert.AreEqual((int)EspImageError.BadMagic, (int)image.Error);
        }

        [TestMethod]
        public void RejectsBadSegmentCount()
        {
            byte[] b = Sample();
            b[1] = 17;
            Assert.AreEqual((int)EspImageError.BadSegmentCount, (int)EspAppImage.Parse(b, 0, b.Length).Error);
            b[1] = 0;
            Assert.AreEqual((int)EspImageError.BadSegmentCount, (int)EspAppImage.Parse(b, 0, b.Length).Error);
        }

        [TestMethod]
        public void RejectsFirstSegmentShorterThanAppDescription()
        {
            byte[] b = Sample();
            PutU32(b, 28, 252);
            Assert.AreEqual((int)EspImageError.FirstSegmentTooShort, (int)EspAppImage.Parse(b, 0, b.Length).Error);
        }

        [TestMethod]
        public void RejectsMissingAppDescription()
        {
            byte[] b = Sample();
            b[32] = 0x33;
            var image = EspAppImage.Parse(b, 0, b.Length);
            Assert.AreEqual((int)EspImageError.BadAppDescMagic, (int)image.Error);
            Assert.AreEqual(EspChipId.Esp32S3, image.ChipId);
            Assert.IsNull(image.Version);
        }

        private static void PutU32(byte[] b, int i, uint v)
        {
            b[i] = (byte)v;
            b[i + 1] = (byte)(v >> 8);
            b[i + 2] = (byte)(v >> 16);
            b[i + 3] = (byte)(v >> 24);
        }

        private static void PutU16(byte[] b, int i, int v)
        {
            b[i] = (byte)v;
            b[i + 1] = (byte)(v >> 8);
        }

        private static void PutText(byte[] b, int i, string s)
        {
            byte[] t = Encoding.UTF8.GetBytes(s);
            for (int k = 0; k < t.Length; k++)
                b[i + k] = t[k];
        }
    }
}
