// nf-ota: IFlashSlot over one ESP-IDF partition, through the NfOta.Esp32Ota interop library.
//
// Verified against: firmware/NfOta.Esp32Ota/OtaNative.cs (this repository) and, for what the native side
// does, ESP-IDF v5.5.4 components/esp_partition/include/esp_partition.h (esp_partition_erase_range needs
// offset and size aligned to esp_partition_t.erase_size; esp_partition_write needs an erased region).
// No nanoFramework class library API is called here.

using NfOta.Esp32Ota;
using NfOta.Ports;

namespace NfOta.Device.Bindings
{
    /// <summary>The two image kinds a board carries, each with its own pair of slots.</summary>
    public enum OtaImageKind
    {
        /// <summary>nanoCLR itself: an ESP-IDF app image in ota_0 / ota_1.</summary>
        Firmware = OtaNative.KindFirmware,

        /// <summary>The deployment: the managed application's assemblies in deploy_0 / deploy_1.</summary>
        Deployment = OtaNative.KindDeployment
    }

    /// <summary>
    /// Slot <c>N</c> of one image kind: partition ota_N for the firmware, deploy_N for the deployment.
    /// Every call is a single native call on the caller's buffer, so the per-chunk path allocates nothing.
    /// The native side refuses to erase or write the slot that is running.
    /// </summary>
    public sealed class EspOtaFlashSlot : IFlashSlot
    {
        private readonly int _kind;
        private readonly int _slot;
        private readonly string _label;
        private readonly long _size;
        private readonly int _sectorSize;

        public EspOtaFlashSlot(OtaImageKind kind, int slot)
        {
            _kind = (int)kind;
            _slot = slot;
            _label = (kind == OtaImageKind.Firmware ? "ota_" : "deploy_") + slot.ToString();
            _size = OtaNative.SlotSize(_kind, slot);
            _sectorSize = OtaNative.EraseSize(_kind, slot);
        }

        /// <summary>False when the partition table has no partition for this slot.</summary>
        public bool Exists
        {
            get { return _size > 0; }
        }

        public string Label
        {
            get { return _label; }
        }

        public long Size
        {
            get { return _size; }
        }

        public int SectorSize
        {
            get { return _sectorSize; }
        }

        public bool Erase(long offset, int length)
        {
            if (!InRange(offset, length))
            {
                return false;
            }

            return OtaNative.Erase(_kind, _slot, (int)offset, length) == 0;
        }

        public bool Write(long offset, byte[] buffer, int index, int count)
        {
            if (!InRange(offset, count))
            {
                return false;
            }

            return OtaNative.Write(_kind, _slot, (int)offset, buffer, index, count) == 0;
        }

        public bool Read(long offset, byte[] buffer, int index, int count)
        {
            if (!InRange(offset, count))
            {
                return false;
            }

            return OtaNative.Read(_kind, _slot, (int)offset, buffer, index, count) == 0;
        }

        private bool InRange(long offset, int count)
        {
            return _size > 0 && offset >= 0 && count >= 0 && offset + count <= _size;
        }
    }
}
