namespace NfOta.Agent
{
    /// <summary>
    /// Every state of the update lifecycle. The agent persists the state in its journal on each
    /// transition, so a reboot or power cut at any point resumes or settles from where it was.
    /// </summary>
    public enum UpdateState
    {
        /// <summary>Running a confirmed image, listening for offers.</summary>
        Idle,
        /// <summary>An offer was accepted and checked (size, version, source) but nothing is erased yet.</summary>
        Offered,
        /// <summary>Streaming the image into the inactive slot; the journal holds the resume point.</summary>
        Downloading,
        /// <summary>All bytes are written; comparing the digest (and signature) with what was offered.</summary>
        Verifying,
        /// <summary>Verified; the slot is about to be selected for the next boot.</summary>
        Staged,
        /// <summary>The new slot is selected (otadata: New) and the device is restarting into it.</summary>
        Rebooting,
        /// <summary>The new image runs on trial (otadata: PendingVerify) and is running its self-test.</summary>
        Testing,
        /// <summary>The new image passed its self-test and is marked valid.</summary>
        Confirmed,
        /// <summary>The new image failed (self-test, crash, hang) and the previous image runs again.</summary>
        RolledBack,
        /// <summary>The update was abandoned before any boot change; the running image never changed.</summary>
        Failed
    }
}
