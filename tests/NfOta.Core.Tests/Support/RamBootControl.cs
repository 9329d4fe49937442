using NfOta.Ports;

namespace NfOta.Tests.Support
{
    /// <summary>
    /// Two app slots and ESP-IDF's rollback rules in RAM: SetBootSlot selects a slot as NEW; the
    /// "bootloader" (<see cref="Boot"/>) runs a NEW image as PENDING_VERIFY, and an image still
    /// PENDING_VERIFY at the next boot is ABORTED and the previous slot runs instead.
    /// </summary>
    public sealed class RamBootControl : IBootControl
    {
        public readonly RamFlashSlot[] Slots;
        public readonly ImageState[] States = new ImageState[2];
        public int Running;
        public int Selected;
        public bool RebootRequested;
        public int Reboots;

        public RamBootControl(int slotSize)
        {
            Slots = new RamFlashSlot[] { new RamFlashSlot("ota_0", slotSize, 4096), new RamFlashSlot("ota_1", slotSize, 4096) };
            States[0] = ImageState.Valid;
            States[1] = ImageState.Undefined;
        }

        public int RunningSlot { get { return Running; } }

        public int UpdateSlot { get { return 1 - Running; } }

        public IFlashSlot OpenUpdateSlot()
        {
            return Slots[1 - Running];
        }

        public ImageState GetState(int slot)
        {
            return States[slot];
        }

        public bool SetBootSlot(int slot)
        {
            if (slot == Running)
            {
                return false;
            }

            Selected = slot;
            States[slot] = ImageState.New;
            return true;
        }

        public bool MarkRunningValid()
        {
            States[Running] = ImageState.Valid;
            return true;
        }

        public bool RollBack()
        {
            States[Running] = ImageState.Invalid;
            Selected = 1 - Running;
            return true;
        }

        public void Reboot()
        {
            RebootRequested = true;
            Reboots++;
        }

        /// <summary>What the bootloader does at power-on. Returns the slot it runs.</summary>
        public int Boot()
        {
            RebootRequested = false;
            int chosen = Selected;
            if (States[chosen] == ImageState.PendingVerify)
            {
                States[chosen] = ImageState.Aborted;
                chosen = 1 - chosen;
                Selected = chosen;
            }
            else if (States[chosen] == ImageState.New)
            {
                States[chosen] = ImageState.PendingVerify;
            }
            else if (States[chosen] == ImageState.Invalid || States[chosen] == ImageState.Aborted)
            {
                chosen = 1 - chosen;
                Selected = chosen;
            }

            Running = chosen;
            return chosen;
        }
    }
}
