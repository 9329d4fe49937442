using System;
using System.IO;

namespace NfOta.Pc.Sim
{
    /// <summary>
    /// A simulated ESP32 in one object: the flash file in a directory, its partition table, the bootloader,
    /// and after <see cref="Boot"/> the <see cref="SimBootControl"/> of the image that runs.
    /// Typical host loop: <c>Boot()</c>, run the agent with <c>BootControl</c> and <c>Flash</c>, and when
    /// <c>BootControl.RebootRequested</c> (or after a <see cref="PowerCutException"/> and <c>Flash.PowerOn()</c>)
    /// call <c>Boot()</c> again.
    /// </summary>
    public sealed class SimEsp32 : IDisposable
    {
        public SimEsp32(string directory, PartitionTable table, long flashSize = SimFlash.DefaultSize, ushort chipId = EspChip.Esp32)
        {
            Table = table ?? throw new ArgumentNullException(nameof(table));
            string error;
            if (table.Validate(flashSize, out error) != PartitionTableError.None)
                throw new ArgumentException("invalid partition table: " + error, nameof(table));
            ChipId = chipId;
            Flash = new SimFlash(directory, flashSize);
            Bootloader = new SimBootloader(Flash, table, chipId);
        }

        /// <summary>Opens a device whose partition table is a CSV file.</summary>
        public static SimEsp32 Open(string directory, string partitionsCsvPath, long flashSize = SimFlash.DefaultSize) =>
            new SimEsp32(directory, PartitionTable.Load(partitionsCsvPath, flashSize), flashSize);

        public SimFlash Flash { get; }
        public PartitionTable Table { get; }
        public SimBootloader Bootloader { get; }
        public ushort ChipId { get; }

        /// <summary>The last boot's result; null before the first <see cref="Boot"/>.</summary>
        public BootResult LastBoot { get; private set; }

        /// <summary>Boot control of the running image; null before the first boot or when bricked.</summary>
        public SimBootControl BootControl { get; private set; }

        public SimOtaData OtaData => new SimOtaData(Flash, Table.OtaData);

        /// <summary>Runs the bootloader. A new <see cref="BootControl"/> describes the image that now runs.</summary>
        public BootResult Boot()
        {
            LastBoot = Bootloader.Boot();
            BootControl = LastBoot.Bricked ? null : new SimBootControl(Flash, Table, LastBoot.Partition, ChipId);
            return LastBoot;
        }

        /// <summary>
        /// What `esptool write_flash` + `erase_region otadata` does at the factory: erases the partition,
        /// writes the image at its start and, when eraseOtaData, blanks otadata so the next boot starts from ota_0.
        /// Not counted against a power cut (the programmer is not the device).
        /// </summary>
        public void ProgramImage(string partitionName, byte[] image, bool eraseOtaData = true)
        {
            Partition p = Table.Find(partitionName) ?? throw new ArgumentException("no partition " + partitionName);
            if (image.Length > p.Size)
                throw new ArgumentException($"image of {image.Length} bytes does not fit in {p.Name}");
            byte[] chip = Flash.Snapshot();
            Array.Fill(chip, (byte)0xFF, (int)p.Offset, (int)p.Size);
            Buffer.BlockCopy(image, 0, chip, (int)p.Offset, image.Length);
            if (eraseOtaData && Table.OtaData != null)
                Array.Fill(chip, (byte)0xFF, (int)Table.OtaData.Offset, (int)Table.OtaData.Size);
            Flash.Restore(chip);
        }

        /// <summary>Any partition as an <see cref="NfOta.Ports.IFlashSlot"/>, e.g. "deploy_1", the deployment area paired with ota_1.</summary>
        public SimFlashSlot OpenPartition(string name)
        {
            Partition p = Table.Find(name) ?? throw new ArgumentException("no partition " + name, nameof(name));
            return new SimFlashSlot(Flash, p);
        }

        /// <summary>The self-test outcome marker of the running image (see <see cref="EspAppImageBuilder.SelfTest"/>), or null.</summary>
        public string RunningSelfTestMarker =>
            LastBoot?.Partition == null ? null : EspAppImageBuilder.FindSelfTestMarker(Flash, LastBoot.Partition);

        public void Dispose() => Flash.Dispose();
    }
}
