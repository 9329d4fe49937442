using System.Text;

namespace NfOta.Images
{
    /// <summary>Why the start of a download is not an ESP-IDF app image.</summary>
    public enum EspImageError
    {
        None,
        /// <summary>Fewer than <see cref="EspAppImage.MinimumLength"/> bytes were given.</summary>
        TooShort,
        /// <summary>The first byte is not 0xE9 (esp_image_header_t.magic).</summary>
        BadMagic,
        /// <summary>More than 16 segments, or none.</summary>
        BadSegmentCount,
        /// <summary>The first segment is too short to hold esp_app_desc_t.</summary>
        FirstSegmentTooShort,
        /// <summary>The first segment does not start with esp_app_desc_t's magic word 0xABCD5432.</summary>
        BadAppDescMagic
    }

    /// <summary>esp_chip_id_t values of esp_image_header_t.chip_id.</summary>
    public static class EspChipId
    {
        public const int Esp32 = 0x0000;
        public const int Esp32S2 = 0x0002;
        public const int Esp32C3 = 0x0005;
        public const int Esp32S3 = 0x0009;
        public const int Esp32C2 = 0x000C;
        public const int Esp32C6 = 0x000D;
        public const int Esp32H2 = 0x0010;
        public const int Esp32P4 = 0x0012;
    }

    /// <summary>
    /// What the first 288 bytes of an ESP-IDF app image say about it: esp_image_header_t (24 bytes,
    /// bootloader_support/include/esp_app_format.h), the first segment's header (8 bytes) and
    /// esp_app_desc_t (256 bytes, esp_app_format/include/esp_app_desc.h) at the start of that segment.
    /// Lets the agent refuse an image for another chip or project before it erases anything.
    /// This reads the header only; the bootloader's checksum and SHA-256 check the whole image.
    /// </summary>
    public sealed class EspAppImage
    {
        public const int HeaderLength = 24;
        public const int SegmentHeaderLength = 8;
        /// <summary>esp_app_desc_t starts here: header + first segment header.</summary>
        public const int AppDescOffset = HeaderLength + SegmentHeaderLength;
        public const int AppDescLength = 256;
        /// <summary>Bytes <see cref="Parse"/> needs.</summary>
        public const int MinimumLength = AppDescOffset + AppDescLength;
        public const byte ImageMagic = 0xE9;
        public const uint AppDescMagic = 0xABCD5432;
        public const int MaxSegments = 16;

        private EspAppImage(EspImageError error)
        {
            Error = error;
        }

        public EspImageError Error { get; private set; }
        public bool Ok { get { return Error == EspImageError.None; } }

        public int SegmentCount { get; private set; }
        /// <summary>esp_image_spi_mode_t: 0 QIO, 1 QOUT, 2 DIO, 3 DOUT.</summary>
        public int SpiMode { get; private set; }
        /// <summary>esp_image_flash_size_t: 0 = 1 MB, 1 = 2 MB, 2 = 4 MB, 3 = 8 MB, 4 = 16 MB...</summary>
        public int FlashSizeCode { get; private set; }
        public uint EntryAddress { get; private set; }
        /// <summary>See <see cref="EspChipId"/>.</summary>
        public int ChipId { get; private set; }
        /// <summary>major * 100 + minor.</summary>
        public int MinChipRevision { get; private set; }
        public int MaxChipRevision { get; private set; }
        /// <summary>A SHA-256 of the image follows its checksum.</summary>
        public bool HashAppended { get; private set; }

        public uint FirstSegmentLoadAddress { get; private set; }
        public uint FirstSegmentLength { get; private set; }

        /// <summary>Anti-rollback counter compared with the eFuse (esp_app_desc_t.secure_version).</summary>
        public uint SecureVersion { get; private set; }
        public string Version { get; private set; }
        public string ProjectName { get; private set; }
        public string CompileTime { get; private set; }
        public string CompileDate { get; private set; }
        public string IdfVersion { get; private set; }
        /// <summary>32 bytes: the SHA-256 of the ELF file the image was made from.</summary>
        public byte[] AppElfSha256 { get; private set; }

        /// <summary>Reads count bytes at offset (at least <see cref="MinimumLength"/>). Never throws on bad input; check <see cref="Ok"/>.</summary>
        public static EspAppImage Parse(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < MinimumLength || offset + count > buffer.Length)
                return new EspAppImage(EspImageError.TooShort);
            if (buffer[offset] != ImageMagic)
                return new EspAppImage(EspImageError.BadMagic);

            var image = new EspAppImage(EspImageError.None);
            image.SegmentCount = buffer[offset + 1];
            image.SpiMode = buffer[offset + 2];
            image.FlashSizeCode = buffer[offset + 3] >> 4;
            image.EntryAddress = U32(buffer, offset + 4);
            image.ChipId = U16(buffer, offset + 12);
            image.MinChipRevision = U16(buffer, offset + 15);
            image.MaxChipRevision = U16(buffer, offset + 17);
            image.HashAppended = buffer[offset + 23] == 1;
            image.FirstSegmentLoadAddress = U32(buffer, offset + HeaderLength);
            image.FirstSegmentLength = U32(buffer, offset + HeaderLength + 4);

            if (image.SegmentCount == 0 || image.SegmentCount > MaxSegments)
            {
                image.Error = EspImageError.BadSegmentCount;
                return image;
            }
            if (image.FirstSegmentLength < AppDescLength)
            {
                image.Error = EspImageError.FirstSegmentTooShort;
                return image;
            }
            int d = offset + AppDescOffset;
            if (U32(buffer, d) != AppDescMagic)
            {
                image.Error = EspImageError.BadAppDescMagic;
                return image;
            }
            image.SecureVersion = U32(buffer, d + 4);
            image.Version = Text(buffer, d + 16, 32);
            image.ProjectName = Text(buffer, d + 48, 32);
            image.CompileTime = Text(buffer, d + 80, 16);
            image.CompileDate = Text(buffer, d + 96, 16);
            image.IdfVersion = Text(buffer, d + 112, 32);
            var sha = new byte[32];
            for (int i = 0; i < 32; i++)
                sha[i] = buffer[d + 144 + i];
            image.AppElfSha256 = sha;
            return image;
        }

        private static uint U32(byte[] b, int i)
        {
            return (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
        }

        private static int U16(byte[] b, int i)
        {
            return b[i] | (b[i + 1] << 8);
        }

        /// <summary>A C string field: up to the first NUL, at most length bytes, UTF-8.</summary>
        private static string Text(byte[] b, int start, int length)
        {
            int n = 0;
            while (n < length && b[start + n] != 0)
                n++;
            return n == 0 ? string.Empty : Encoding.UTF8.GetString(b, start, n);
        }
    }
}
