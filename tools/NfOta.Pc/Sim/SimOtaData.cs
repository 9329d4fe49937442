using System;
using System.Buffers.Binary;

namespace NfOta.Pc.Sim
{
    /// <summary>esp_ota_img_states_t, with ESP-IDF's numeric values as they sit in flash.</summary>
    public enum OtaImgState : uint
    {
        New = 0,
        PendingVerify = 1,
        Valid = 2,
        Invalid = 3,
        Aborted = 4,
        Undefined = 0xFFFFFFFF
    }

    /// <summary>
    /// esp_ota_select_entry_t (32 bytes, little-endian): uint32 ota_seq; uint8 seq_label[20];
    /// uint32 ota_state; uint32 crc, where crc = esp_rom_crc32_le(UINT32_MAX, &amp;ota_seq, 4).
    /// </summary>
    public struct OtaSelectEntry
    {
        public const int Length = 32;

        public uint Seq;
        public byte[] Label;
        public OtaImgState State;
        public uint Crc;

        /// <summary>A freshly erased entry: every byte 0xFF.</summary>
        public static OtaSelectEntry Erased => FromBytes(Filled(Length, 0xFF), 0);

        /// <summary>bootloader_common_ota_select_crc.</summary>
        public static uint ComputeCrc(uint seq)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, seq);
            return EspCrc.Crc32Le(uint.MaxValue, b);
        }

        /// <summary>bootloader_common_ota_select_invalid: erased seq, or state Invalid/Aborted.</summary>
        public bool IsInvalid => Seq == uint.MaxValue || State == OtaImgState.Invalid || State == OtaImgState.Aborted;

        /// <summary>bootloader_common_ota_select_valid: not invalid and the CRC matches.</summary>
        public bool IsValid => !IsInvalid && Crc == ComputeCrc(Seq);

        public bool CrcMatches => Crc == ComputeCrc(Seq);

        public static OtaSelectEntry FromBytes(byte[] buffer, int offset)
        {
            var label = new byte[20];
            Buffer.BlockCopy(buffer, offset + 4, label, 0, 20);
            return new OtaSelectEntry
            {
                Seq = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset)),
                Label = label,
                State = (OtaImgState)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 24)),
                Crc = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 28))
            };
        }

        public byte[] ToBytes()
        {
            var b = new byte[Length];
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0), Seq);
            Buffer.BlockCopy(Label ?? Filled(20, 0xFF), 0, b, 4, 20);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), (uint)State);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), Crc);
            return b;
        }

        public override string ToString() => $"seq={Seq:x8} state={State} crc={(CrcMatches ? "ok" : "bad")}";

        private static byte[] Filled(int n, byte v)
        {
            var a = new byte[n];
            Array.Fill(a, v);
            return a;
        }
    }

    /// <summary>The ESP32 ROM's crc32_le (esp_rom_crc32_le): reflected CRC-32, poly 0xEDB88320, crc = ~crc in and out.</summary>
    public static class EspCrc
    {
        public static uint Crc32Le(uint crc, ReadOnlySpan<byte> data)
        {
            crc = ~crc;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int i = 0; i < 8; i++)
                    crc = (crc >> 1) ^ ((crc & 1) != 0 ? 0xEDB88320u : 0u);
            }
            return ~crc;
        }
    }

    /// <summary>
    /// The otadata partition of ESP-IDF kept in a <see cref="SimFlash"/>: two 4 KB sectors, each holding
    /// one <see cref="OtaSelectEntry"/> at its start. An entry is rewritten as ESP-IDF does
    /// (write_otadata / rewrite_ota_seq): erase its sector, then write the 32 bytes, so a power cut
    /// between the two leaves that copy erased and the other copy intact.
    /// </summary>
    public sealed class SimOtaData
    {
        private readonly SimFlash _flash;

        public SimOtaData(SimFlash flash, Partition otadata)
        {
            _flash = flash ?? throw new ArgumentNullException(nameof(flash));
            Partition = otadata ?? throw new ArgumentNullException(nameof(otadata));
            if (otadata.Size < 2 * SimFlash.SectorSize)
                throw new ArgumentException("otadata partition is smaller than two sectors", nameof(otadata));
        }

        public Partition Partition { get; }

        /// <summary>Reads both copies (bootloader_common_read_otadata).</summary>
        public OtaSelectEntry[] ReadBoth() => new[] { Read(0), Read(1) };

        public OtaSelectEntry Read(int index)
        {
            CheckIndex(index);
            return OtaSelectEntry.FromBytes(_flash.Read(SectorAddress(index), OtaSelectEntry.Length), 0);
        }

        /// <summary>Erases the copy's sector and writes the entry into it. False if the flash refused.</summary>
        public bool Write(int index, OtaSelectEntry entry)
        {
            CheckIndex(index);
            long address = SectorAddress(index);
            if (!_flash.Erase(address, SimFlash.SectorSize))
                return false;
            byte[] bytes = entry.ToBytes();
            return _flash.Write(address, bytes, 0, bytes.Length);
        }

        /// <summary>Erases the whole partition (what esptool's erase_otadata / esp_ota_set_boot_partition(factory) do).</summary>
        public bool EraseAll() => _flash.Erase(Partition.Offset, (int)Partition.Size);

        /// <summary>bootloader_common_select_otadata: the copy with the highest (max) or lowest seq among the flagged ones; -1 for none.</summary>
        public static int Select(OtaSelectEntry[] two, bool[] flagged, bool max)
        {
            if (flagged[0] && flagged[1])
            {
                uint pick = max ? Math.Max(two[0].Seq, two[1].Seq) : Math.Min(two[0].Seq, two[1].Seq);
                return pick == two[0].Seq ? 0 : 1;
            }
            if (flagged[0]) return 0;
            if (flagged[1]) return 1;
            return -1;
        }

        /// <summary>bootloader_common_get_active_otadata: the valid copy with the highest seq, or -1.</summary>
        public static int ActiveIndex(OtaSelectEntry[] two) =>
            Select(two, new[] { two[0].IsValid, two[1].IsValid }, true);

        private long SectorAddress(int index) => Partition.Offset + (long)index * SimFlash.SectorSize;

        private static void CheckIndex(int index)
        {
            if (index != 0 && index != 1)
                throw new ArgumentOutOfRangeException(nameof(index), "otadata has copies 0 and 1");
        }
    }
}
