// nf-ota: IBootControl and IFlashSlot over nanoFramework's own In-Field Update API, for targets whose
// nanoCLR implements it (MCUboot-based). Not used on ESP32: nf-interpreter's ESP32 target declares
// TARGET_IFU_CAPABLE(false) (targets/ESP32/_common/targetHAL.c) and has no native UpdateManager.
//
// Verified against nanoframework/nanoFramework.Runtime.InFieldUpdate (session API, commit 8897f55 and later):
// - nanoFramework.Runtime.InFieldUpdate/UpdateManager.cs: GetStatus(ImageType) -> UpdateStatus;
//   StartUpdateSession(ImageType image, int totalLength, out UpdateSession session) (erases the secondary slot);
//   ResumeUpdateSession(ImageType image, int totalLength, byte[] expectedHeader, out UpdateSession session);
//   StoreImageChunk(UpdateSession session, byte[] data, int offset, int count) (offset/count index the buffer;
//   the image position is session.NextOffset); CompleteUpdateSession(UpdateSession) (verifies, marks a test swap);
//   AbortUpdateSession(UpdateSession, bool eraseSlot); ConfirmDeploymentImage(); RequestDeploymentRevert();
//   RequestReboot(). All session calls return UpdateSessionResult.
// - UpdateSession.cs: int TotalLength, int NextOffset, bool IsComplete.
// - UpdateStatus.cs: Confirmed 0, Testing 1, TestPending 2, PermanentPending 3, RollbackPending 4, Unknown 255.
// - ImageType.cs: NanoClr 0, Deployment 1.
// - docs/confirm-and-revert.md: the running nanoCLR image is confirmed at startup (no test cycle for it).
// The package line is CoreLibrary 2.x (its nuspec depends on nanoFramework.CoreLibrary 2.0.0-preview.52),
// so these files go into a project for such a target; they are not part of NfOta.Device.nfproj.

using nanoFramework.Runtime.InFieldUpdate;
using NfOta.Ports;

namespace NfOta.InFieldUpdate
{
    /// <summary>
    /// Boot decisions through MCUboot and UpdateManager. MCUboot swaps images, so the running image is
    /// always in the primary slot (0) and updates always go to the secondary slot (1).
    /// </summary>
    public sealed class IfuBootControl : IBootControl
    {
        public const int PrimarySlot = 0;
        public const int SecondarySlot = 1;

        private readonly ImageType _image;
        private readonly IfuFlashSlot _slot;

        /// <param name="image">Which image this agent updates.</param>
        /// <param name="secondarySlotSize">Size of the secondary slot in bytes (from the target's flash layout).</param>
        public IfuBootControl(ImageType image, long secondarySlotSize)
        {
            _image = image;
            _slot = new IfuFlashSlot(image, secondarySlotSize);
        }

        public int RunningSlot
        {
            get { return PrimarySlot; }
        }

        public int UpdateSlot
        {
            get { return SecondarySlot; }
        }

        /// <summary>The staging slot. Call <see cref="IfuFlashSlot.Begin"/> with the image length before writing.</summary>
        public IFlashSlot OpenUpdateSlot()
        {
            return _slot;
        }

        public IfuFlashSlot Slot
        {
            get { return _slot; }
        }

        public ImageState GetState(int slot)
        {
            UpdateStatus status = UpdateManager.GetStatus(_image);

            if (slot == PrimarySlot)
            {
                switch (status)
                {
                    case UpdateStatus.Testing:
                        return ImageState.PendingVerify;
                    case UpdateStatus.Confirmed:
                    case UpdateStatus.TestPending:
                    case UpdateStatus.PermanentPending:
                        return ImageState.Valid;
                    case UpdateStatus.RollbackPending:
                        return ImageState.Invalid;
                    default:
                        return ImageState.Undefined;
                }
            }

            if (slot == SecondarySlot && (status == UpdateStatus.TestPending || status == UpdateStatus.PermanentPending))
            {
                return ImageState.New;
            }

            return ImageState.Undefined;
        }

        /// <summary>Completes the update session: verifies the staged image and schedules the test swap.</summary>
        public bool SetBootSlot(int slot)
        {
            return slot == SecondarySlot && _slot.Complete();
        }

        public bool MarkRunningValid()
        {
            // the nanoCLR image is confirmed by the runtime at startup
            return _image == ImageType.NanoClr || UpdateManager.ConfirmDeploymentImage();
        }

        public bool RollBack()
        {
            if (_image != ImageType.Deployment || !UpdateManager.RequestDeploymentRevert())
            {
                return false;
            }

            UpdateManager.RequestReboot();
            return false;
        }

        public void Reboot()
        {
            UpdateManager.RequestReboot();
        }
    }

    /// <summary>
    /// The secondary slot as an IFU update session. Sessions are sequential: a write must start exactly
    /// at <see cref="UpdateSession.NextOffset"/>, and there is no read-back, so the agent must hash while it
    /// streams (it does) and cannot re-read the slot to verify it; <see cref="Complete"/> verifies the
    /// image against the SHA-256 in its own TLV area instead.
    /// </summary>
    public sealed class IfuFlashSlot : IFlashSlot
    {
        private readonly ImageType _image;
        private readonly long _size;
        private UpdateSession _session;

        public IfuFlashSlot(ImageType image, long size)
        {
            _image = image;
            _size = size;
        }

        public string Label
        {
            get { return _image == ImageType.NanoClr ? "nanoclr-secondary" : "deployment-secondary"; }
        }

        public long Size
        {
            get { return _size; }
        }

        /// <summary>Sessions hide erase blocks; 4096 keeps the agent's erase-before-write arithmetic aligned.</summary>
        public int SectorSize
        {
            get { return 4096; }
        }

        /// <summary>Where the next chunk must start, or -1 without a session.</summary>
        public long NextOffset
        {
            get { return _session == null ? -1 : _session.NextOffset; }
        }

        /// <summary>
        /// Opens the session for an image of <paramref name="totalLength"/> bytes: resumes a partial image
        /// whose first bytes equal <paramref name="expectedHeader"/> (null: always start over), else
        /// starts fresh (which erases the slot).
        /// </summary>
        public bool Begin(int totalLength, byte[] expectedHeader)
        {
            UpdateSession session;
            UpdateSessionResult result = UpdateSessionResult.NoImage;

            if (expectedHeader != null)
            {
                result = UpdateManager.ResumeUpdateSession(_image, totalLength, expectedHeader, out session);
                if (result == UpdateSessionResult.Success)
                {
                    _session = session;
                    return true;
                }
            }

            result = UpdateManager.StartUpdateSession(_image, totalLength, out session);
            _session = result == UpdateSessionResult.Success ? session : null;
            return _session != null;
        }

        /// <summary>The session erased the slot when it opened; erasing what lies ahead of NextOffset is a no-op.</summary>
        public bool Erase(long offset, int length)
        {
            return _session != null && offset >= _session.NextOffset;
        }

        public bool Write(long offset, byte[] buffer, int index, int count)
        {
            if (_session == null || offset != _session.NextOffset)
            {
                return false;
            }

            return UpdateManager.StoreImageChunk(_session, buffer, index, count) == UpdateSessionResult.Success;
        }

        /// <summary>IFU has no read-back of the staging slot.</summary>
        public bool Read(long offset, byte[] buffer, int index, int count)
        {
            return false;
        }

        internal bool Complete()
        {
            if (_session == null)
            {
                return false;
            }

            UpdateSessionResult result = UpdateManager.CompleteUpdateSession(_session);
            if (result != UpdateSessionResult.Incomplete)
            {
                _session = null;
            }

            return result == UpdateSessionResult.Success;
        }

        /// <summary>Pauses the session so a later <see cref="Begin"/> can resume it.</summary>
        public void Pause()
        {
            if (_session != null)
            {
                UpdateManager.AbortUpdateSession(_session, false);
                _session = null;
            }
        }
    }
}
