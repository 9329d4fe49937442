namespace NfOta.Agent
{
    /// <summary>What the agent tells the platform. Adapters turn each kind into their wire format.</summary>
    public enum ReportKind
    {
        /// <summary>The running version, sent on every connect.</summary>
        Version,
        /// <summary>Download progress in percent (throttled by the agent).</summary>
        Downloading,
        /// <summary>All bytes are in the slot.</summary>
        Downloaded,
        /// <summary>The digest (and signature) matched.</summary>
        Verified,
        /// <summary>The slot is selected and the device reboots into it (burning, installing).</summary>
        Installing,
        /// <summary>The new image confirmed itself; <see cref="StatusReport.RunningVersion"/> is the new version.</summary>
        Updated,
        /// <summary>The update failed; <see cref="StatusReport.Error"/> says why and RunningVersion what runs now.</summary>
        Failed
    }

    /// <summary>One report, filled by the agent and formatted by the platform adapter.</summary>
    public sealed class StatusReport
    {
        public ReportKind Kind;

        /// <summary>0..100 for <see cref="ReportKind.Downloading"/>.</summary>
        public int Percent;

        public UpdateError Error;

        /// <summary>Human-readable detail, sent where the platform has a field for it.</summary>
        public string Message;

        /// <summary>The version the device runs now.</summary>
        public string RunningVersion;

        /// <summary>The offer this report is about, or null for a plain version report.</summary>
        public UpdateOffer Offer;
    }
}
