using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NfOta.Pc.Sim
{
    /// <summary>
    /// Builds an ESP-IDF app image in the real format (what esptool elf2image writes), with a pseudo-random
    /// payload standing in for code: esp_image_header_t, three segments (DROM holding esp_app_desc_t first,
    /// DRAM, IRAM), zero padding to 16 bytes with the XOR checksum in the last byte, then the SHA-256 of all
    /// of it (hash_appended = 1). The simulated bootloader and esp_ota_set_boot_partition accept it, and
    /// any flipped byte makes the checksum or the hash fail.
    /// <para>
    /// <see cref="SelfTest"/> puts a marker "NFOTA-SELFTEST:&lt;outcome&gt;" right after the app description;
    /// a simulated device reads it with <see cref="FindSelfTestMarker"/> to decide how its self-test ends.
    /// </para>
    /// </summary>
    public sealed class EspAppImageBuilder
    {
        public const string SelfTestMarkerPrefix = "NFOTA-SELFTEST:";
        public const uint AppDescMagic = 0xABCD5432;
        public const int AppDescLength = 256;
        private const int SegmentCount = 3;
        private const int Overhead = EspImageVerifier.HeaderLength + SegmentCount * EspImageVerifier.SegmentHeaderLength;

        public string Version { get; set; } = "1.0.0";
        public string ProjectName { get; set; } = "nanoCLR";
        public uint SecureVersion { get; set; }
        public string IdfVersion { get; set; } = "v5.2.3";
        public string CompileTime { get; set; } = "12:00:00";
        public string CompileDate { get; set; } = "Dec  2 2026";
        public ushort ChipId { get; set; } = EspChip.Esp32;

        /// <summary>Total image length wanted; rounded up to the next length the format allows (16n + 32). At least 1 KB.</summary>
        public int Size { get; set; } = 64 * 1024;

        /// <summary>Seed of the payload bytes (and of app_elf_sha256): same seed and settings, same image.</summary>
        public int Seed { get; set; } = 1;

        /// <summary>Outcome the simulated device's self-test should have ("pass", "fail", "hang"...), or null for no marker.</summary>
        public string SelfTest { get; set; }

        public bool HashAppended { get; set; } = true;

        public byte[] Build()
        {
            int target = Math.Max(Size, 1024);
            int padded = RoundUp(HashAppended ? target - 32 : target, 16);
            int dataTotal = (padded - Overhead - 1) / 4 * 4;
            int dram = 256;
            int iram = dataTotal / 4 / 4 * 4;
            int drom = dataTotal - dram - iram;

            var random = new Random(Seed);
            byte[] image = new byte[padded + (HashAppended ? 32 : 0)];
            Span<byte> h = image.AsSpan(0, EspImageVerifier.HeaderLength);
            h[0] = EspImageVerifier.HeaderMagic;
            h[1] = SegmentCount;
            h[2] = 2;                                    // spi_mode DIO
            h[3] = 0x20;                                 // spi_speed 40 MHz (low nibble 0), spi_size 4 MB (high nibble 2)
            BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(4), 0x40081000); // entry_addr (in IRAM)
            h[8] = 0xEE;                                 // wp_pin disabled
            BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(12), ChipId);
            h[14] = 0;                                   // min_chip_rev
            BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(15), 0);   // min_chip_rev_full
            BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(17), 399); // max_chip_rev_full (v3.99)
            h[23] = (byte)(HashAppended ? 1 : 0);

            int pos = EspImageVerifier.HeaderLength;
            uint dromAddr = ChipId == EspChip.Esp32S3 ? 0x3C000020u : 0x3F400020u;
            uint dramAddr = ChipId == EspChip.Esp32S3 ? 0x3FC88000u : 0x3FFB0000u;
            uint iramAddr = ChipId == EspChip.Esp32S3 ? 0x40374000u : 0x40080000u;

            pos = Segment(image, pos, dromAddr, drom);
            WriteAppDesc(image.AsSpan(pos - drom, AppDescLength), random);
            int fillFrom = pos - drom + AppDescLength;
            if (SelfTest != null)
            {
                byte[] marker = Encoding.ASCII.GetBytes(SelfTestMarkerPrefix + SelfTest + "\0");
                if (marker.Length > drom - AppDescLength)
                    throw new ArgumentException("self-test marker does not fit; use a larger Size");
                marker.CopyTo(image, fillFrom);
                fillFrom += marker.Length;
            }
            random.NextBytes(image.AsSpan(fillFrom, pos - fillFrom));
            pos = Segment(image, pos, dramAddr, dram);
            random.NextBytes(image.AsSpan(pos - dram, dram));
            pos = Segment(image, pos, iramAddr, iram);
            random.NextBytes(image.AsSpan(pos - iram, iram));

            uint checksum = EspImageVerifier.ChecksumSeed;
            int p = EspImageVerifier.HeaderLength;
            for (int s = 0; s < SegmentCount; s++)
            {
                int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(p + 4));
                p += EspImageVerifier.SegmentHeaderLength;
                for (int w = 0; w < len; w += 4)
                    checksum ^= BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(p + w));
                p += len;
            }
            image[padded - 1] = (byte)((checksum >> 24) ^ (checksum >> 16) ^ (checksum >> 8) ^ checksum);
            if (HashAppended)
                SHA256.HashData(image.AsSpan(0, padded), image.AsSpan(padded, 32));
            return image;
        }

        /// <summary>The outcome after "NFOTA-SELFTEST:" in an image (up to the terminating NUL), or null when it has no marker.</summary>
        public static string FindSelfTestMarker(ReadOnlySpan<byte> image)
        {
            byte[] prefix = Encoding.ASCII.GetBytes(SelfTestMarkerPrefix);
            int at = image.IndexOf(prefix);
            if (at < 0) return null;
            int start = at + prefix.Length;
            int end = start;
            while (end < image.Length && end - start < 64 && image[end] != 0) end++;
            return Encoding.ASCII.GetString(image.Slice(start, end - start));
        }

        /// <summary>The marker of the image in a partition of the flash (null when none).</summary>
        public static string FindSelfTestMarker(SimFlash flash, Partition partition) =>
            FindSelfTestMarker(flash.Read(partition.Offset, (int)Math.Min(partition.Size, 64 * 1024)));

        private void WriteAppDesc(Span<byte> d, Random random)
        {
            d.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(d, AppDescMagic);
            BinaryPrimitives.WriteUInt32LittleEndian(d.Slice(4), SecureVersion);
            Text(d.Slice(16, 32), Version);
            Text(d.Slice(48, 32), ProjectName);
            Text(d.Slice(80, 16), CompileTime);
            Text(d.Slice(96, 16), CompileDate);
            Text(d.Slice(112, 32), IdfVersion);
            random.NextBytes(d.Slice(144, 32));     // app_elf_sha256
            d[180] = 16;                            // mmu_page_size, log2(64 KB)
            d[181] = 2;                             // spi_flash_mode DIO
        }

        private static void Text(Span<byte> field, string value)
        {
            byte[] b = Encoding.UTF8.GetBytes(value ?? "");
            if (b.Length >= field.Length)
                throw new ArgumentException($"'{value}' does not fit in a {field.Length}-byte field (NUL included)");
            b.CopyTo(field);
        }

        private static int Segment(byte[] image, int pos, uint loadAddr, int length)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(pos), loadAddr);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(pos + 4), (uint)length);
            return pos + EspImageVerifier.SegmentHeaderLength + length;
        }

        private static int RoundUp(int v, int m) => (v + m - 1) / m * m;
    }
}
