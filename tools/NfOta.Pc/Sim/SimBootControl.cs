using System;
using NfOta.Ports;

namespace NfOta.Pc.Sim
{
    /// <summary>
    /// <see cref="IBootControl"/> over a <see cref="SimFlash"/>: esp_ota_ops.c's logic on the simulated
    /// otadata, for the image that the last <see cref="SimBootloader.Boot"/> started.
    /// Like ESP-IDF, <see cref="MarkRunningValid"/> and <see cref="RollBack"/> act on the active otadata
    /// entry (highest valid seq), which is the running image's entry in normal use.
    /// <see cref="Reboot"/> only records the request; the host then boots the device again.
    /// </summary>
    public sealed class SimBootControl : IBootControl
    {
        private readonly SimFlash _flash;
        private readonly PartitionTable _table;
        private readonly SimOtaData _otadata;
        private readonly Partition _running;
        private readonly ushort _chipId;

        public SimBootControl(SimFlash flash, PartitionTable table, Partition running, ushort chipId = EspChip.Esp32)
        {
            _flash = flash ?? throw new ArgumentNullException(nameof(flash));
            _table = table ?? throw new ArgumentNullException(nameof(table));
            _running = running ?? throw new ArgumentNullException(nameof(running));
            _chipId = chipId;
            if (table.OtaData == null)
                throw new ArgumentException("the partition table has no otadata partition", nameof(table));
            _otadata = new SimOtaData(flash, table.OtaData);
        }

        /// <summary>Set by <see cref="Reboot"/> (and by a successful <see cref="RollBack"/>).</summary>
        public bool RebootRequested { get; private set; }

        /// <summary>Raised when the running image asks for a restart.</summary>
        public event EventHandler RebootRequestedEvent;

        /// <summary>Turns CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE off (new entries then get state Undefined).</summary>
        public bool RollbackEnabled { get; set; } = true;

        public Partition RunningPartition => _running;

        public int RunningSlot => _running.OtaSlot;

        /// <summary>esp_ota_get_next_update_partition(NULL): the OTA slot after the running one, wrapping to the first.</summary>
        public int UpdateSlot => NextUpdatePartition()?.OtaSlot ?? -1;

        public IFlashSlot OpenUpdateSlot()
        {
            Partition p = NextUpdatePartition();
            if (p == null)
                throw new InvalidOperationException("the partition table has no OTA app slot");
            return new SimFlashSlot(_flash, p);
        }

        /// <summary>esp_ota_get_state_partition; Undefined when no otadata entry with a good CRC maps to the slot.</summary>
        public ImageState GetState(int slot)
        {
            int count = _table.OtaSlots.Count;
            if (count == 0 || _table.FindOta(slot) == null)
                return ImageState.Undefined;
            OtaSelectEntry[] two = _otadata.ReadBoth();
            for (int i = 0; i < 2; i++)
            {
                if ((int)((two[i].Seq - 1) % (uint)count) == slot && two[i].CrcMatches)
                    return ToPort(two[i].State);
            }
            return ImageState.Undefined;
        }

        /// <summary>The raw otadata state of a slot (OtaImgState values), or null when no entry maps to it.</summary>
        public OtaImgState? GetRawState(int slot)
        {
            int count = _table.OtaSlots.Count;
            OtaSelectEntry[] two = _otadata.ReadBoth();
            for (int i = 0; i < 2 && count > 0; i++)
                if ((int)((two[i].Seq - 1) % (uint)count) == slot && two[i].CrcMatches)
                    return two[i].State;
            return null;
        }

        /// <summary>esp_ota_set_boot_partition: verifies the image, then writes the next seq that selects the slot, state New.</summary>
        public bool SetBootSlot(int slot)
        {
            Partition p = _table.FindOta(slot);
            if (p == null)
                return false;
            if (!EspImageVerifier.Verify(_flash, p, _chipId).Ok)
                return false;
            uint count = (uint)_table.OtaSlots.Count;
            OtaSelectEntry[] two = _otadata.ReadBoth();
            int active = SimOtaData.ActiveIndex(two);
            int next;
            uint seq;
            if (active != -1)
            {
                if ((two[active].Seq - 1) % count == (uint)slot)
                {
                    next = active;
                    seq = two[active].Seq;
                }
                else
                {
                    next = (~active) & 1;
                    seq = SeqForSlot(two[active].Seq, (uint)slot, count);
                }
            }
            else
            {
                next = 0;
                seq = (uint)slot + 1;
            }
            two[next].State = RollbackEnabled ? OtaImgState.New : OtaImgState.Undefined;
            two[next].Seq = seq;
            two[next].Crc = OtaSelectEntry.ComputeCrc(seq);
            return _otadata.Write(next, two[next]);
        }

        /// <summary>esp_ota_mark_app_valid_cancel_rollback: the active entry becomes Valid. False when running without otadata (factory).</summary>
        public bool MarkRunningValid()
        {
            OtaSelectEntry[] two = _otadata.ReadBoth();
            int active = SimOtaData.ActiveIndex(two);
            if (active == -1 || _table.OtaSlots.Count == 0)
                return false;
            if (two[active].State == OtaImgState.Valid)
                return true;
            two[active].State = OtaImgState.Valid;
            two[active].Crc = OtaSelectEntry.ComputeCrc(two[active].Seq);
            return _otadata.Write(active, two[active]);
        }

        /// <summary>
        /// esp_ota_mark_app_invalid_rollback_and_reboot: if a previous image can boot, marks the active entry
        /// Invalid and requests a reboot (the bootloader then picks the other entry). False when rollback is not possible.
        /// </summary>
        public bool RollBack()
        {
            OtaSelectEntry[] two = _otadata.ReadBoth();
            int active = SimOtaData.ActiveIndex(two);
            if (active == -1 || _table.OtaSlots.Count == 0)
                return false;
            if (!RollbackPossible(two, active))
                return false;
            two[active].State = OtaImgState.Invalid;
            two[active].Crc = OtaSelectEntry.ComputeCrc(two[active].Seq);
            if (!_otadata.Write(active, two[active]))
                return false;
            Reboot();
            return true;
        }

        /// <summary>Records the restart request; the event is raised once per boot even if both RollBack and Reboot ask.</summary>
        public void Reboot()
        {
            if (RebootRequested)
                return;
            RebootRequested = true;
            RebootRequestedEvent?.Invoke(this, EventArgs.Empty);
        }

        /// <summary>esp_ota_check_rollback_is_possible.</summary>
        private bool RollbackPossible(OtaSelectEntry[] two, int active)
        {
            int last = (~active) & 1;
            bool lastValid = two[last].IsValid;
            if (!lastValid && _table.Factory != null && EspImageVerifier.Verify(_flash, _table.Factory, _chipId).Ok)
                return true;
            if (lastValid)
            {
                int slot = (int)((two[last].Seq - 1) % (uint)_table.OtaSlots.Count);
                Partition p = _table.FindOta(slot);
                return p != null && EspImageVerifier.Verify(_flash, p, _chipId).Ok;
            }
            return false;
        }

        /// <summary>compute_ota_seq_for_target_slot: the smallest seq above current that maps to the slot.</summary>
        private static uint SeqForSlot(uint current, uint slot, uint count)
        {
            uint i = 0;
            uint baseSeq = (slot + 1) % count;
            while (current > baseSeq + i * count) i++;
            return baseSeq + i * count;
        }

        private Partition NextUpdatePartition()
        {
            Partition first = null;
            bool nextIsResult = false;
            foreach (Partition p in _table.OtaSlots)
            {
                if (first == null) first = p;
                if (p.Name == _running.Name) nextIsResult = true;
                else if (nextIsResult) return p;
            }
            return first;
        }

        private static ImageState ToPort(OtaImgState s)
        {
            switch (s)
            {
                case OtaImgState.New: return ImageState.New;
                case OtaImgState.PendingVerify: return ImageState.PendingVerify;
                case OtaImgState.Valid: return ImageState.Valid;
                case OtaImgState.Invalid: return ImageState.Invalid;
                case OtaImgState.Aborted: return ImageState.Aborted;
                default: return ImageState.Undefined;
            }
        }
    }
}
