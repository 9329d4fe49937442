using System.Collections;
using System.Text;
using NfOta.Protocols;

namespace NfOta.Tests.Support
{
    /// <summary>Keeps every message an adapter publishes, in order, for golden-message assertions.</summary>
    public sealed class RecordingPublisher : IPublisher
    {
        public readonly ArrayList Topics = new ArrayList();
        public readonly ArrayList Payloads = new ArrayList();
        public bool Fail;

        public bool Publish(string topic, byte[] payload, int qos)
        {
            if (Fail)
            {
                return false;
            }

            Topics.Add(topic);
            Payloads.Add(payload);
            return true;
        }

        public int Count { get { return Topics.Count; } }

        public string Topic(int index) { return (string)Topics[index]; }

        public string Text(int index)
        {
            byte[] p = (byte[])Payloads[index];
            return Encoding.UTF8.GetString(p, 0, p.Length);
        }

        public string LastTopic { get { return Count == 0 ? null : Topic(Count - 1); } }

        public string LastText { get { return Count == 0 ? null : Text(Count - 1); } }

        public void Clear()
        {
            Topics.Clear();
            Payloads.Clear();
        }
    }
}
