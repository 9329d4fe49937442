using System;
using NfOta.Ports;

namespace NfOta.Pc.Sim
{
    /// <summary>
    /// One partition of a <see cref="SimFlash"/> as an <see cref="IFlashSlot"/> (esp_partition_erase_range /
    /// write / read): offsets are relative to the partition and anything reaching outside it is refused
    /// (false, and logged as a violation by the flash's log) without touching the flash.
    /// </summary>
    public sealed class SimFlashSlot : IFlashSlot
    {
        private readonly SimFlash _flash;

        public SimFlashSlot(SimFlash flash, Partition partition)
        {
            _flash = flash ?? throw new ArgumentNullException(nameof(flash));
            Partition = partition ?? throw new ArgumentNullException(nameof(partition));
        }

        public Partition Partition { get; }
        public string Label => Partition.Name;
        public long Size => Partition.Size;
        public int SectorSize => SimFlash.SectorSize;

        /// <summary>Calls refused for reaching outside the partition or misalignment.</summary>
        public int Refusals { get; private set; }

        public bool Erase(long offset, int length)
        {
            if (!Inside(offset, length) || offset % SectorSize != 0 || length % SectorSize != 0)
                return Refuse($"erase 0x{offset:x}+0x{length:x} is outside {Label} (0x{Size:x} bytes) or not sector-aligned");
            return _flash.Erase(Partition.Offset + offset, length);
        }

        public bool Write(long offset, byte[] buffer, int index, int count)
        {
            if (buffer == null || index < 0 || count < 0 || index + count > buffer.Length)
                return Refuse("write with an invalid buffer range");
            if (!Inside(offset, count))
                return Refuse($"write 0x{offset:x}+0x{count:x} is outside {Label} (0x{Size:x} bytes)");
            return _flash.Write(Partition.Offset + offset, buffer, index, count);
        }

        public bool Read(long offset, byte[] buffer, int index, int count)
        {
            if (buffer == null || index < 0 || count < 0 || index + count > buffer.Length || !Inside(offset, count))
                return false;
            return _flash.Read(Partition.Offset + offset, buffer, index, count);
        }

        private bool Inside(long offset, long count) => offset >= 0 && count >= 0 && offset + count <= Size;

        private bool Refuse(string message)
        {
            Refusals++;
            _flash.Log?.WriteLine("SimFlashSlot: " + message);
            return false;
        }
    }
}
