using NfOta.Pc.Net;
using Xunit;

namespace NfOta.Host.Tests.Net
{
    /// <summary>A test that needs the real mosquitto: reported as skipped, with the reason, only when the binary is absent.</summary>
    public sealed class MosquittoFactAttribute : FactAttribute
    {
        public MosquittoFactAttribute()
        {
            if (!MosquittoBroker.IsAvailable)
            {
                Skip = "mosquitto not installed (" + MosquittoBroker.DefaultBinary + " nor on PATH; apt-get install mosquitto); CI installs it";
            }
        }
    }
}
