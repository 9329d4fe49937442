// nf-ota: the managed side of the NfOta.Esp32Ota interop library (ESP-IDF OTA partitions for nanoCLR).
//
// Verified against:
// - nanoframework/Samples samples/Interop/awesome-library (Math.cs, Utilities.cs, Stubs/*): an interop
//   library is a class library whose native methods are `[MethodImpl(MethodImplOptions.InternalCall)]
//   static extern`, built with NFMDP_GENERATE_STUBS=true so the metadata processor writes the C++ stubs.
// - nanoframework/nf-interpreter src/CLR/Include/nanoCLR_Interop.h: int, byte[] (CLR_RT_TypedArray_UINT8)
//   and void are marshalled by the generated *_mshl.cpp files; only those types are used here.
// - nanoframework/nf-interpreter CMake/Modules/FindNF_NativeAssemblies.cmake (PerformSettingsForInteropEntry):
//   the assembly is added to a nanoCLR build with NF_INTEROP_ASSEMBLIES="NfOta.Esp32Ota".
//
// Keep this assembly native-only and stable. The native method table of an interop assembly is indexed
// by method definition order, so every change here (even adding a managed method) needs the stubs to
// be regenerated and nanoCLR to be rebuilt. The bindings that use it live in NfOta.Device/Bindings.

using System.Runtime.CompilerServices;

namespace NfOta.Esp32Ota
{
    /// <summary>
    /// ESP-IDF's OTA and partition functions for nanoCLR. Slots are numbered 0 and 1: app slot N is the
    /// partition of subtype ota_N (the nanoCLR firmware), deployment slot N is the data partition labelled
    /// deploy_N (the managed assemblies). nanoCLR built with this library runs deploy_N with ota_N, so
    /// both image kinds switch together through ESP-IDF's otadata and share its rollback.
    /// Every method returns an ESP-IDF error code (0 = ESP_OK) unless it says otherwise; none throws for
    /// a flash error. Writes to a slot that is running are refused natively (ESP_ERR_INVALID_STATE).
    /// </summary>
    public static class OtaNative
    {
        /// <summary>Image kind: the nanoCLR firmware, an ESP-IDF app image in ota_0/ota_1.</summary>
        public const int KindFirmware = 0;

        /// <summary>Image kind: the deployment (managed assemblies) in deploy_0/deploy_1.</summary>
        public const int KindDeployment = 1;

        /// <summary>Index of the running app slot (esp_ota_get_running_partition), or -1.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int RunningSlot();

        /// <summary>Index of the slot the next update goes to (esp_ota_get_next_update_partition), or -1.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int NextSlot();

        /// <summary>Size in bytes of a slot's partition, or -1 when the partition table has no such partition.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int SlotSize(int kind, int slot);

        /// <summary>Erase granularity of a slot's partition (esp_partition_t.erase_size), or -1.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int EraseSize(int kind, int slot);

        /// <summary>esp_partition_erase_range on a slot that is not running.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Erase(int kind, int slot, int offset, int length);

        /// <summary>esp_partition_write of buffer[index, index + count) at offset of a slot that is not running.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Write(int kind, int slot, int offset, byte[] buffer, int index, int count);

        /// <summary>esp_partition_read into buffer[index, index + count) from offset of a slot.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Read(int kind, int slot, int offset, byte[] buffer, int index, int count);

        /// <summary>
        /// Copies [offset, offset + length) of the running slot's partition of <paramref name="kind"/> into the
        /// same range of that kind's partition of <paramref name="slot"/> (esp_partition_copy, which erases the
        /// destination range first; offset must be sector aligned), so that the image kind that is not being
        /// updated comes along unchanged. Called in steps, so no single native call blocks nanoCLR for long.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int CopyRunning(int kind, int slot, int offset, int length);

        /// <summary>
        /// otadata state of an app slot (esp_ota_get_state_partition): 0 New, 1 PendingVerify, 2 Valid,
        /// 3 Invalid, 4 Aborted, -1 not recorded (ESP_OTA_IMG_UNDEFINED or no otadata entry), -2 no such slot.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int SlotState(int slot);

        /// <summary>esp_ota_set_boot_partition: validates the app image in the slot, then selects it (state New).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int SetBootSlot(int slot);

        /// <summary>esp_ota_mark_app_valid_cancel_rollback.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int MarkRunningValid();

        /// <summary>esp_ota_mark_app_invalid_rollback_and_reboot. Returns only when the rollback is not possible.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int RollBackAndRestart();

        /// <summary>
        /// Copies the version string of the app image in a slot (esp_app_desc_t.version, from
        /// esp_ota_get_partition_description) into buffer as ASCII. Returns its length, or a negative
        /// ESP-IDF error code.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int AppVersion(int slot, byte[] buffer);

        /// <summary>esp_restart. Does not return.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Restart();
    }
}
