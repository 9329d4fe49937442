namespace NfOta.Ports
{
    /// <summary>
    /// One flash partition that receives an image, with NOR flash rules: erase sets whole sectors to
    /// 0xFF and a write can only clear bits, so every byte is written once after its sector's erase.
    /// Offsets are relative to the start of the partition.
    /// Bindings: esp_partition_* through the nf-ota interop on ESP32; files on a PC.
    /// </summary>
    public interface IFlashSlot
    {
        /// <summary>The partition's label, such as "ota_1".</summary>
        string Label { get; }

        /// <summary>Size of the partition in bytes.</summary>
        long Size { get; }

        /// <summary>Erase granularity in bytes (4096 on ESP32).</summary>
        int SectorSize { get; }

        /// <summary>Erases [offset, offset + length); both must be multiples of <see cref="SectorSize"/>.</summary>
        bool Erase(long offset, int length);

        bool Write(long offset, byte[] buffer, int index, int count);

        bool Read(long offset, byte[] buffer, int index, int count);
    }
}
