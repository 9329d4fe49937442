using System.Collections.Generic;

namespace NfOta.Pc.Sim
{
    /// <summary>What a simulated boot did.</summary>
    public sealed class BootResult
    {
        internal BootResult(Partition partition, bool bricked, IReadOnlyList<string> log)
        {
            Partition = partition;
            Bricked = bricked;
            Log = log;
        }

        /// <summary>True when no partition holds a bootable image: the real chip would reset forever.</summary>
        public bool Bricked { get; }

        /// <summary>The partition that runs, or null when bricked.</summary>
        public Partition Partition { get; }

        /// <summary>0 for ota_0, 1 for ota_1, ...; -1 for the factory or test app, or when bricked.</summary>
        public int Slot => Partition?.OtaSlot ?? -1;

        /// <summary>The bootloader's decisions, one line each, in the words of ESP-IDF's log messages.</summary>
        public IReadOnlyList<string> Log { get; }

        public override string ToString() => Bricked ? "brick" : Partition.Name;
    }

    /// <summary>
    /// ESP-IDF's second-stage bootloader app selection with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE (and
    /// without anti-rollback), as bootloader_utility_get_selected_boot_partition and
    /// bootloader_utility_load_boot_image do it:
    /// <list type="number">
    /// <item>every otadata copy in PendingVerify (a trial boot that never confirmed) becomes Aborted;</item>
    /// <item>if both copies are invalid (erased, Invalid or Aborted): factory if present, else ota_0;
    /// otherwise the valid copy with the highest seq selects slot (seq - 1) % app count, and a New entry
    /// becomes PendingVerify;</item>
    /// <item>the selected slot's image is verified (<see cref="EspImageVerifier"/>); if it fails the
    /// bootloader tries the slots below it down to factory, then the slots above it, then the test app;</item>
    /// <item>nothing bootable: brick.</item>
    /// </list>
    /// When otadata is blank (both copies erased or with bad CRC) and there is no factory app, booting an
    /// OTA slot writes seq = slot + 1, state Valid into copy 0 (set_actual_ota_seq).
    /// </summary>
    public sealed class SimBootloader
    {
        private const int FactoryIndex = -1;

        private readonly SimFlash _flash;
        private readonly PartitionTable _table;
        private readonly ushort _chipId;

        public SimBootloader(SimFlash flash, PartitionTable table, ushort chipId = EspChip.Esp32)
        {
            _flash = flash;
            _table = table;
            _chipId = chipId;
        }

        /// <summary>Turns CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE off (on by default, as nf-ota requires).</summary>
        public bool RollbackEnabled { get; set; } = true;

        public BootResult Boot()
        {
            var log = new List<string>();
            var slots = _table.OtaSlots;
            int appCount = slots.Count;
            Partition factory = _table.Factory;
            Partition otadataPart = _table.OtaData;
            bool initialContents = false;
            int bootIndex = FactoryIndex;
            SimOtaData otadata = otadataPart != null ? new SimOtaData(_flash, otadataPart) : null;

            if (otadata != null)
            {
                OtaSelectEntry[] two = otadata.ReadBoth();
                log.Add($"otadata[0]: {two[0]}; otadata[1]: {two[1]}");
                if (RollbackEnabled)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        if (two[i].State == OtaImgState.PendingVerify)
                        {
                            log.Add($"otadata[{i}] is marking as ABORTED");
                            two[i].State = OtaImgState.Aborted;
                            otadata.Write(i, two[i]);
                        }
                    }
                }

                if ((two[0].IsInvalid && two[1].IsInvalid) || appCount == 0)
                {
                    if (factory != null)
                    {
                        log.Add("Defaulting to factory image");
                        bootIndex = FactoryIndex;
                    }
                    else
                    {
                        log.Add("No factory image, trying OTA 0");
                        bootIndex = 0;
                        initialContents = !IsSet(two[0]) && !IsSet(two[1]);
                    }
                }
                else
                {
                    int active = SimOtaData.ActiveIndex(two);
                    if (active != -1)
                    {
                        bootIndex = (int)((two[active].Seq - 1) % (uint)appCount);
                        log.Add($"Active otadata[{active}], mapping seq {two[active].Seq - 1} -> OTA slot {bootIndex}");
                        if (RollbackEnabled && two[active].State == OtaImgState.New)
                        {
                            log.Add($"otadata[{active}] is selected as new and marked PENDING_VERIFY state");
                            two[active].State = OtaImgState.PendingVerify;
                            otadata.Write(active, two[active]);
                        }
                    }
                    else
                    {
                        log.Add(factory != null
                            ? "ota data partition invalid, falling back to factory"
                            : "ota data partition invalid and no factory, will try all partitions");
                        bootIndex = FactoryIndex;
                    }
                }
            }

            // bootloader_utility_load_boot_image: from the selected index down to factory, then upwards, then test.
            for (int index = bootIndex; index >= FactoryIndex; index--)
            {
                Partition p = IndexToPartition(index);
                if (p == null) continue;
                if (TryLoad(p, log))
                {
                    if (index > FactoryIndex && initialContents)
                        SetActualOtaSeq(otadata, index, log);
                    return new BootResult(p, false, log);
                }
            }
            for (int index = bootIndex + 1; index < appCount; index++)
            {
                Partition p = IndexToPartition(index);
                if (p == null) continue;
                if (TryLoad(p, log))
                {
                    if (index > FactoryIndex && initialContents)
                        SetActualOtaSeq(otadata, index, log);
                    return new BootResult(p, false, log);
                }
            }
            if (_table.Test != null && TryLoad(_table.Test, log))
            {
                log.Add("Falling back to test app as only bootable partition");
                return new BootResult(_table.Test, false, log);
            }
            log.Add("No bootable app partitions in the partition table");
            return new BootResult(null, true, log);
        }

        /// <summary>set_actual_ota_seq: a blank otadata gets seq = index + 1, Valid, in copy 0.</summary>
        private static void SetActualOtaSeq(SimOtaData otadata, int index, List<string> log)
        {
            var entry = OtaSelectEntry.Erased;
            entry.Seq = (uint)index + 1;
            entry.State = OtaImgState.Valid;
            entry.Crc = OtaSelectEntry.ComputeCrc(entry.Seq);
            otadata.Write(0, entry);
            log.Add($"Set actual ota_seq={entry.Seq} in otadata[0]");
        }

        /// <summary>seq set and CRC right: the opposite of "initial (0xFFFFFFFF) or incorrect crc".</summary>
        private static bool IsSet(OtaSelectEntry e) => e.Seq != uint.MaxValue && e.CrcMatches;

        private Partition IndexToPartition(int index) =>
            index == FactoryIndex ? _table.Factory : _table.FindOta(index);

        private bool TryLoad(Partition p, List<string> log)
        {
            ImageCheck check = EspImageVerifier.Verify(_flash, p, _chipId);
            if (check.Ok)
            {
                log.Add($"Loaded app from partition at offset 0x{p.Offset:x} ({p.Name})");
                return true;
            }
            log.Add($"{p.Name} is not bootable: {check}");
            return false;
        }
    }
}
