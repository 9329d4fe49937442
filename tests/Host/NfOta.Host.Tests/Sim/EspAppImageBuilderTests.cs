using System;
using System.Security.Cryptography;
using NfOta.Images;
using NfOta.Pc.Sim;
using Xunit;

namespace NfOta.Host.Tests.Sim
{
    public class EspAppImageBuilderTests
    {
        [Fact]
        public void CoreParserReadsWhatTheBuilderWrote()
        {
            var builder = new EspAppImageBuilder
            {
                Version = "1.4.2", ProjectName = "nf-ota-demo", SecureVersion = 3, IdfVersion = "v5.2.3",
                CompileTime = "08:09:10", CompileDate = "Jan  5 2027", ChipId = EspChip.Esp32S3, Seed = 7
            };
            byte[] image = builder.Build();
            var parsed = EspAppImage.Parse(image, 0, image.Length);
            Assert.True(parsed.Ok, parsed.Error.ToString());
            Assert.Equal("1.4.2", parsed.Version);
            Assert.Equal("nf-ota-demo", parsed.ProjectName);
            Assert.Equal(3u, parsed.SecureVersion);
            Assert.Equal("v5.2.3", parsed.IdfVersion);
            Assert.Equal("08:09:10", parsed.CompileTime);
            Assert.Equal("Jan  5 2027", parsed.CompileDate);
            Assert.Equal(EspChipId.Esp32S3, parsed.ChipId);
            Assert.Equal(3, parsed.SegmentCount);
            Assert.True(parsed.HashAppended);
            Assert.Equal(0x3C000020u, parsed.FirstSegmentLoadAddress);
            Assert.Equal(32, parsed.AppElfSha256.Length);
            Assert.True(EspImageVerifier.Verify(image, chipId: EspChip.Esp32S3).Ok);
            Assert.Equal(ImageCheckError.ChipMismatch, EspImageVerifier.Verify(image, chipId: EspChip.Esp32).Error);
        }

        [Theory]
        [InlineData(1024)]
        [InlineData(48 * 1024)]
        [InlineData(1536 * 1024 + 5)]
        public void ImageHasTheRequestedSizeRoundedToTheFormat(int size)
        {
            byte[] image = new EspAppImageBuilder { Size = size }.Build();
            Assert.True(image.Length >= size && image.Length < size + 16);
            Assert.Equal(0, (image.Length - 32) % 16);
            var check = EspImageVerifier.Verify(image);
            Assert.True(check.Ok, check.ToString());
            Assert.Equal(image.Length, check.Length);
        }

        [Fact]
        public void ChecksumAndAppendedHashAreEspIdfs()
        {
            byte[] image = new EspAppImageBuilder { Size = 8192 }.Build();
            int padded = image.Length - 32;
            Assert.Equal(SHA256.HashData(image.AsSpan(0, padded)), image[padded..]);
            // Independent recomputation of the XOR checksum over the segment data.
            uint x = 0xEF;
            int p = 24;
            for (int s = 0; s < image[1]; s++)
            {
                int len = System.BitConverter.ToInt32(image, p + 4);
                p += 8;
                for (int w = 0; w < len; w += 4) x ^= System.BitConverter.ToUInt32(image, p + w);
                p += len;
            }
            Assert.Equal((byte)(x ^ (x >> 8) ^ (x >> 16) ^ (x >> 24)), image[padded - 1]);
        }

        [Fact]
        public void SameSettingsSameImage_OtherSeedOtherImage()
        {
            Assert.Equal(new EspAppImageBuilder { Seed = 4 }.Build(), new EspAppImageBuilder { Seed = 4 }.Build());
            Assert.NotEqual(new EspAppImageBuilder { Seed = 4 }.Build(), new EspAppImageBuilder { Seed = 5 }.Build());
        }

        [Fact]
        public void AFlippedPayloadByteFailsTheChecksum()
        {
            byte[] image = new EspAppImageBuilder { HashAppended = false, Size = 8192 }.Build();
            Assert.True(EspImageVerifier.Verify(image).Ok);
            image[4000] ^= 0x40;
            Assert.Equal(ImageCheckError.BadChecksum, EspImageVerifier.Verify(image).Error);
        }

        [Fact]
        public void AFlippedHeaderByteFailsTheHash()
        {
            byte[] image = new EspAppImageBuilder { Size = 8192 }.Build();
            image[2] ^= 0x01; // spi_mode: not covered by the checksum, covered by the SHA-256
            Assert.Equal(ImageCheckError.BadSha256, EspImageVerifier.Verify(image).Error);
        }

        [Fact]
        public void VerifierRejectsStructuralDamage()
        {
            byte[] good = new EspAppImageBuilder { Size = 8192 }.Build();
            byte[] b = (byte[])good.Clone(); b[0] = 0xFF;
            Assert.Equal(ImageCheckError.BadMagic, EspImageVerifier.Verify(b).Error);
            b = (byte[])good.Clone(); b[1] = 17;
            Assert.Equal(ImageCheckError.TooManySegments, EspImageVerifier.Verify(b).Error);
            b = (byte[])good.Clone(); b[28] |= 2;
            Assert.Equal(ImageCheckError.BadSegmentLength, EspImageVerifier.Verify(b).Error);
            b = (byte[])good.Clone(); b[24] = 0x24;                // DROM segment moved off its 64 KB page offset
            Assert.Equal(ImageCheckError.MisalignedMappedSegment, EspImageVerifier.Verify(b).Error);
            Assert.Equal(ImageCheckError.TooLarge, EspImageVerifier.Verify(good, partitionSize: good.Length - 1).Error);
            Assert.Equal(ImageCheckError.MisalignedMappedSegment, EspImageVerifier.Verify(good, partitionOffset: 0x11000).Error);
        }

        [Fact]
        public void SelfTestMarkerIsInsideTheImageAndReadable()
        {
            byte[] fail = new EspAppImageBuilder { SelfTest = "fail" }.Build();
            Assert.Equal("fail", EspAppImageBuilder.FindSelfTestMarker(fail));
            Assert.True(EspImageVerifier.Verify(fail).Ok);
            Assert.Null(EspAppImageBuilder.FindSelfTestMarker(new EspAppImageBuilder().Build()));
        }

        [Fact]
        public void DeviceReadsTheMarkerOfTheRunningImage()
        {
            using var dir = new SimTempDir();
            using var device = SimTestSupport.FactoryDevice(dir.Path);
            device.Boot();
            Assert.Null(device.RunningSelfTestMarker);
            SimTestSupport.WriteUpdate(device.BootControl, SimTestSupport.Image("2.0.0", seed: 2, selfTest: "fail"));
            device.BootControl.SetBootSlot(1);
            device.Boot();
            Assert.Equal("fail", device.RunningSelfTestMarker);
        }
    }
}
