// nf-ota: IBootControl over ESP-IDF's otadata (app rollback), through the NfOta.Esp32Ota interop library.
//
// Verified against:
// - firmware/NfOta.Esp32Ota/OtaNative.cs (this repository), whose native side calls ESP-IDF v5.5.4
//   esp_ota_get_running_partition, esp_ota_get_next_update_partition, esp_ota_get_state_partition,
//   esp_ota_set_boot_partition, esp_ota_mark_app_valid_cancel_rollback,
//   esp_ota_mark_app_invalid_rollback_and_reboot, esp_partition_copy (components/app_update, esp_partition).
// - nanoframework/nanoFramework.Runtime.Native v1.7.11 nanoFramework.Runtime.Native/Power.cs:
//   public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot).
// - nanoframework/nf-interpreter src/CLR/Core/TypeSystem.cpp: every assembly in a deployment starts with
//   the marker "NFMRK1" (c_MARKER_ASSEMBLY_V1).

using nanoFramework.Runtime.Native;
using NfOta.Esp32Ota;
using NfOta.Ports;

namespace NfOta.Device.Bindings
{
    /// <summary>
    /// Boot decisions for one image kind. nanoCLR built with the nf-ota interop runs deploy_N with ota_N,
    /// so both kinds move together through ESP-IDF's otadata and share the bootloader's rollback:
    /// <list type="bullet">
    /// <item>Firmware update: the new nanoCLR is written to ota_M; selecting it first copies the running
    /// deployment into deploy_M, so the new nanoCLR runs the same application.</item>
    /// <item>Deployment update: the new assemblies are written to deploy_M; selecting it first copies the
    /// running nanoCLR into ota_M, so the same nanoCLR runs the new application.</item>
    /// </list>
    /// Either way the slot pair that runs is never touched, and a rollback returns to it.
    /// </summary>
    public sealed class EspOtaBootControl : IBootControl
    {
        private static readonly byte[] DeploymentMarker = new byte[] { (byte)'N', (byte)'F', (byte)'M', (byte)'R', (byte)'K', (byte)'1' };

        /// <summary>Bytes copied per native call: 16 sectors, well under a second of flash erase and write.</summary>
        private const int CopyStep = 64 * 1024;

        private readonly OtaImageKind _kind;
        private readonly byte[] _markerBuffer = new byte[6];
        private EspOtaFlashSlot _updateSlot;

        public EspOtaBootControl(OtaImageKind kind)
        {
            _kind = kind;
        }

        public OtaImageKind Kind
        {
            get { return _kind; }
        }

        /// <summary>0 or 1; -1 when nanoCLR runs from a factory partition (the OTA layout is not flashed).</summary>
        public int RunningSlot
        {
            get { return OtaNative.RunningSlot(); }
        }

        public int UpdateSlot
        {
            get { return OtaNative.NextSlot(); }
        }

        public IFlashSlot OpenUpdateSlot()
        {
            int slot = UpdateSlot;

            if (slot < 0)
            {
                return null;
            }

            if (_updateSlot == null || _updateSlot.Label != SlotLabel(slot))
            {
                _updateSlot = new EspOtaFlashSlot(_kind, slot);
            }

            return _updateSlot.Exists ? _updateSlot : null;
        }

        public ImageState GetState(int slot)
        {
            switch (OtaNative.SlotState(slot))
            {
                case 0:
                    return ImageState.New;
                case 1:
                    return ImageState.PendingVerify;
                case 2:
                    return ImageState.Valid;
                case 3:
                    return ImageState.Invalid;
                case 4:
                    return ImageState.Aborted;
                default:
                    return ImageState.Undefined;
            }
        }

        public bool SetBootSlot(int slot)
        {
            if (slot < 0 || slot == RunningSlot)
            {
                return false;
            }

            if (_kind == OtaImageKind.Deployment)
            {
                // refuse a slot that does not start with an assembly: nanoCLR would boot with no application
                if (OtaNative.Read(OtaNative.KindDeployment, slot, 0, _markerBuffer, 0, _markerBuffer.Length) != 0
                    || !StartsWithMarker())
                {
                    return false;
                }

                // bring the running nanoCLR along; esp_ota_set_boot_partition below validates the copy
                if (!CopyRunning(OtaNative.KindFirmware, slot))
                {
                    return false;
                }
            }
            else
            {
                // bring the running application along
                if (!CopyRunning(OtaNative.KindDeployment, slot))
                {
                    return false;
                }
            }

            // validates the app image (and its secure boot signature when enabled), then writes otadata
            return OtaNative.SetBootSlot(slot) == 0;
        }

        public bool MarkRunningValid()
        {
            return OtaNative.MarkRunningValid() == 0;
        }

        public bool RollBack()
        {
            // returns only when there is no other bootable slot
            OtaNative.RollBackAndRestart();
            return false;
        }

        public void Reboot()
        {
            Power.RebootDevice();
        }

        /// <summary>
        /// Copies the running slot's partition of one kind into <paramref name="slot"/>, one step per native
        /// call so nanoCLR (and its watchdog) get control back between steps.
        /// </summary>
        private static bool CopyRunning(int kind, int slot)
        {
            int size = OtaNative.SlotSize(kind, slot);
            int running = OtaNative.RunningSlot();
            if (size <= 0 || running < 0 || OtaNative.SlotSize(kind, running) != size)
            {
                // the layouts pair equal-sized partitions; anything else is not an nf-ota table
                return false;
            }

            for (int offset = 0; offset < size; offset += CopyStep)
            {
                int length = size - offset < CopyStep ? size - offset : CopyStep;
                if (OtaNative.CopyRunning(kind, slot, offset, length) != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private string SlotLabel(int slot)
        {
            return (_kind == OtaImageKind.Firmware ? "ota_" : "deploy_") + slot.ToString();
        }

        private bool StartsWithMarker()
        {
            for (int i = 0; i < DeploymentMarker.Length; i++)
            {
                if (_markerBuffer[i] != DeploymentMarker[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
