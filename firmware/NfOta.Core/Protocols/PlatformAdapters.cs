using NfOta.Settings;

namespace NfOta.Protocols
{
    /// <summary>
    /// The one place that turns the settings file's "platform" into its adapter. Every adapter shares
    /// the agent's download and reporting path and differs only in its wire format.
    /// </summary>
    public static class PlatformAdapters
    {
        /// <summary>Every platform name the settings accept.</summary>
        public static readonly string[] Names = new string[] { "thingsboard", "alibaba", "tencent", "enos", "golioth", "selfhosted" };

        /// <summary>The adapter for settings.Platform, or null when the name is not one of <see cref="Names"/>.</summary>
        public static IPlatformAdapter Create(DeviceSettings settings)
        {
            string name = settings.Platform == null ? null : settings.Platform.ToLower();
            switch (name)
            {
                case "thingsboard": return new ThingsBoardAdapter(settings);
                case "alibaba": return new AlibabaAdapter(settings);
                case "tencent": return new TencentAdapter(settings);
                case "enos": return new EnosAdapter(settings);
                case "golioth": return new GoliothAdapter(settings);
                case "selfhosted": return new SelfHostedAdapter(settings);
                default: return null;
            }
        }
    }
}
