using System;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NfOta.Pc.Sim
{
    public enum ImageCheckError
    {
        None,
        /// <summary>First byte is not 0xE9 (nothing flashed here, or erased).</summary>
        BadMagic,
        ChipMismatch,
        TooManySegments,
        /// <summary>A segment length is not a multiple of 4, or absurdly large.</summary>
        BadSegmentLength,
        /// <summary>Segment 0 is shorter than the 256-byte esp_app_desc_t.</summary>
        FirstSegmentTooShort,
        /// <summary>A flash-mapped segment's file offset and load address disagree modulo the 64 KB MMU page.</summary>
        MisalignedMappedSegment,
        /// <summary>The image runs past the end of its partition.</summary>
        TooLarge,
        BadChecksum,
        BadSha256
    }

    /// <summary>The outcome of <see cref="EspImageVerifier.Verify"/>.</summary>
    public readonly struct ImageCheck
    {
        public ImageCheck(ImageCheckError error, string message, long length)
        {
            Error = error;
            Message = message;
            Length = length;
        }

        public bool Ok => Error == ImageCheckError.None;
        public ImageCheckError Error { get; }
        public string Message { get; }
        /// <summary>Image length including checksum padding and the appended SHA-256 (when Ok).</summary>
        public long Length { get; }

        public override string ToString() => Ok ? $"ok ({Length} bytes)" : $"{Error}: {Message}";
    }

    /// <summary>
    /// The app image check of ESP-IDF's bootloader and esp_ota_set_boot_partition (esp_image_verify in
    /// bootloader_support/src/esp_image_format.c, secure boot off): header magic 0xE9 and chip id, at most
    /// 16 segments, segment lengths multiples of 4, segment 0 large enough for esp_app_desc_t, mapped
    /// segments aligned to the 64 KB MMU page, the image inside its partition, the XOR checksum byte
    /// (seed 0xEF, over all segment data words, stored in the last byte of the 16-byte-padded image)
    /// and, when hash_appended is set, the SHA-256 of everything before it.
    /// Not modelled: chip revision and eFuse checks, load-address collision with bootloader RAM, secure boot.
    /// </summary>
    public static class EspImageVerifier
    {
        public const byte HeaderMagic = 0xE9;
        public const int HeaderLength = 24;
        public const int SegmentHeaderLength = 8;
        public const int MaxSegments = 16;
        public const byte ChecksumSeed = 0xEF;
        private const uint MmuPageSize = 0x10000;
        private const uint MaxSegmentLength = 0x1000000;

        /// <summary>Checks the image at the start of a partition of the flash.</summary>
        public static ImageCheck Verify(SimFlash flash, Partition partition, ushort chipId = EspChip.Esp32) =>
            Verify((offset, count) => offset + count <= partition.Size ? flash.Read(partition.Offset + offset, count) : null,
                partition.Offset, partition.Size, chipId);

        /// <summary>Checks an image held in memory, as if flashed at partitionOffset into a partition of partitionSize bytes.</summary>
        public static ImageCheck Verify(byte[] image, long partitionOffset = 0x10000, long partitionSize = -1, ushort chipId = EspChip.Esp32)
        {
            long size = partitionSize < 0 ? image.Length : partitionSize;
            return Verify((offset, count) =>
            {
                if (offset + count > size) return null;
                var b = new byte[count];
                if (offset < image.Length)
                    Buffer.BlockCopy(image, (int)offset, b, 0, (int)Math.Min(count, image.Length - offset));
                if (offset + count > image.Length)
                    b.AsSpan((int)Math.Max(0, image.Length - offset)).Fill(0xFF);
                return b;
            }, partitionOffset, size, chipId);
        }

        /// <summary>read(offset, count) returns bytes of the partition, or null past its end.</summary>
        private static ImageCheck Verify(Func<long, int, byte[]> read, long partitionOffset, long partitionSize, ushort chipId)
        {
            byte[] header = read(0, HeaderLength);
            if (header == null)
                return Fail(ImageCheckError.TooLarge, "partition smaller than an image header");
            if (header[0] != HeaderMagic)
                return Fail(ImageCheckError.BadMagic, $"invalid magic byte 0x{header[0]:x2} (nothing flashed here?)");
            ushort chip = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(12));
            if (chip != chipId)
                return Fail(ImageCheckError.ChipMismatch, $"mismatch chip ID, expected {chipId}, found {chip}");
            int segments = header[1];
            if (segments > MaxSegments)
                return Fail(ImageCheckError.TooManySegments, $"segment count {segments} exceeds max {MaxSegments}");
            bool hashAppended = header[23] == 1;

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(header);
            uint checksum = ChecksumSeed;
            long next = HeaderLength;
            for (int i = 0; i < segments; i++)
            {
                byte[] sh = read(next, SegmentHeaderLength);
                if (sh == null)
                    return Fail(ImageCheckError.TooLarge, $"segment {i} header beyond the partition");
                sha.AppendData(sh);
                uint loadAddr = BinaryPrimitives.ReadUInt32LittleEndian(sh);
                uint dataLen = BinaryPrimitives.ReadUInt32LittleEndian(sh.AsSpan(4));
                long dataOffset = next + SegmentHeaderLength;
                if ((dataLen & 3) != 0 || dataLen >= MaxSegmentLength)
                    return Fail(ImageCheckError.BadSegmentLength, $"invalid segment {i} length 0x{dataLen:x}");
                if (i == 0 && dataLen < EspAppDescLength)
                    return Fail(ImageCheckError.FirstSegmentTooShort, $"segment 0 length 0x{dataLen:x} is too short for the app description");
                if (EspChip.IsMapped(chipId, loadAddr) && (partitionOffset + dataOffset) % MmuPageSize != loadAddr % MmuPageSize)
                    return Fail(ImageCheckError.MisalignedMappedSegment, $"segment {i} load address 0x{loadAddr:x8} doesn't match data 0x{partitionOffset + dataOffset:x8}");
                byte[] data = read(dataOffset, (int)dataLen);
                if (data == null)
                    return Fail(ImageCheckError.TooLarge, $"segment {i} runs past the end of the partition");
                sha.AppendData(data);
                for (int w = 0; w < data.Length; w += 4)
                    checksum ^= BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(w));
                next = dataOffset + dataLen;
            }

            long unpadded = next;
            long padded = (unpadded + 1 + 15) & ~15L;
            byte[] tail = read(unpadded, (int)(padded - unpadded));
            if (tail == null)
                return Fail(ImageCheckError.TooLarge, "checksum beyond the end of the partition");
            byte calc = (byte)((checksum >> 24) ^ (checksum >> 16) ^ (checksum >> 8) ^ checksum);
            byte stored = tail[tail.Length - 1];
            if (calc != stored)
                return Fail(ImageCheckError.BadChecksum, $"checksum failed. Calculated 0x{calc:x2} read 0x{stored:x2}");
            sha.AppendData(tail);
            long length = padded;
            if (hashAppended)
            {
                byte[] digest = read(padded, 32);
                if (digest == null)
                    return Fail(ImageCheckError.TooLarge, $"image length {padded + 32} doesn't fit in partition length {partitionSize}");
                length += 32;
                byte[] computed = sha.GetHashAndReset();
                if (!computed.AsSpan().SequenceEqual(digest))
                    return Fail(ImageCheckError.BadSha256, "image hash failed - image is corrupt");
            }
            return new ImageCheck(ImageCheckError.None, null, length);
        }

        private const int EspAppDescLength = 256;

        private static ImageCheck Fail(ImageCheckError error, string message) => new ImageCheck(error, message, 0);
    }

    /// <summary>esp_chip_id_t values and the flash-mapped address ranges (soc.h) the verifier needs.</summary>
    public static class EspChip
    {
        public const ushort Esp32 = 0x0000;
        public const ushort Esp32S2 = 0x0002;
        public const ushort Esp32C3 = 0x0005;
        public const ushort Esp32S3 = 0x0009;
        public const ushort Esp32C6 = 0x000D;

        /// <summary>True when the address is in the chip's IROM or DROM window (cache-mapped from flash).</summary>
        public static bool IsMapped(ushort chip, uint address)
        {
            switch (chip)
            {
                case Esp32:
                    return (address >= 0x3F400000 && address < 0x3F800000) || (address >= 0x400D0000 && address < 0x40400000);
                case Esp32S3:
                    return (address >= 0x3C000000 && address < 0x3E000000) || (address >= 0x42000000 && address < 0x44000000);
                default:
                    return false;
            }
        }
    }
}
