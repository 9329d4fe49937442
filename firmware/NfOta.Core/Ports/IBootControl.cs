namespace NfOta.Ports
{
    /// <summary>
    /// The state ESP-IDF's otadata keeps for an app image (esp_ota_img_states_t). With
    /// CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE the bootloader turns New into PendingVerify when it boots
    /// the image, and PendingVerify into Aborted if the image boots again without confirming itself,
    /// falling back to the previous slot.
    /// </summary>
    public enum ImageState
    {
        /// <summary>Not recorded in otadata (a factory-flashed image, or rollback disabled).</summary>
        Undefined,
        New,
        PendingVerify,
        Valid,
        Invalid,
        Aborted
    }

    /// <summary>
    /// The boot decisions of the device: which slot runs, which one boots next, and the trial state of
    /// the running image. Semantics are ESP-IDF's app rollback (esp_ota_ops.h).
    /// Bindings: the nf-ota interop over esp_ota_ops on ESP32; the simulated bootloader on a PC.
    /// </summary>
    public interface IBootControl
    {
        /// <summary>Index of the slot this image runs from (0 for ota_0, 1 for ota_1).</summary>
        int RunningSlot { get; }

        /// <summary>Index of the slot an update is written to (esp_ota_get_next_update_partition).</summary>
        int UpdateSlot { get; }

        /// <summary>The partition behind <see cref="UpdateSlot"/>.</summary>
        IFlashSlot OpenUpdateSlot();

        /// <summary>The otadata state of the image in a slot.</summary>
        ImageState GetState(int slot);

        /// <summary>
        /// Makes the slot boot next, state New (esp_ota_set_boot_partition). Returns false when the
        /// image in it does not validate as an app image, in which case nothing changed.
        /// </summary>
        bool SetBootSlot(int slot);

        /// <summary>Confirms the running image (esp_ota_mark_app_valid_cancel_rollback).</summary>
        bool MarkRunningValid();

        /// <summary>
        /// Marks the running image invalid and boots the previous one
        /// (esp_ota_mark_app_invalid_rollback_and_reboot). Returns only on failure, or on a PC.
        /// </summary>
        bool RollBack();

        /// <summary>Restarts the device. Returns only on a PC, where the simulator performs the restart.</summary>
        void Reboot();
    }
}
