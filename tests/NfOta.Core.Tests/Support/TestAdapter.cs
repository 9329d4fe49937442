using System.Collections;
using System.Text;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Json;
using JsonFields = NfOta.Json.Json;
using NfOta.Protocols;

namespace NfOta.Tests.Support
{
    /// <summary>
    /// A minimal platform for the agent's own tests, so they do not depend on any real platform's
    /// wire format: offers on "test/offer", chunks requested on "test/req/N" and answered on
    /// "test/chunk/N", and every report kept as the StatusReport the agent produced.
    /// </summary>
    public sealed class TestAdapter : IPlatformAdapter
    {
        public readonly ArrayList Reports = new ArrayList();
        public int Connections;
        public string LastConnectedVersion;

        public string Name { get { return "test"; } }

        public MqttCredentials GetCredentials()
        {
            MqttCredentials c = new MqttCredentials();
            c.ClientId = "test-device";
            return c;
        }

        public string[] SubscribeTopics { get { return new string[] { "test/offer", "test/chunk/+" }; } }

        public void OnConnected(string runningVersion, IPublisher publisher)
        {
            Connections++;
            LastConnectedVersion = runningVersion;
            publisher.Publish("test/hello", Encoding.UTF8.GetBytes(runningVersion), 1);
        }

        public void Parse(string topic, byte[] payload, InboundMessage result, IPublisher publisher)
        {
            if (topic == "test/offer")
            {
                string error;
                Hashtable o = JsonReader.ParseObject(payload, out error);
                if (o == null)
                {
                    result.Kind = InboundKind.Malformed;
                    result.Error = "test: " + error;
                    return;
                }

                UpdateOffer offer = new UpdateOffer();
                offer.Version = JsonFields.GetString(o, "version");
                offer.Hash = JsonFields.GetString(o, "hash");
                long size;
                offer.Size = JsonFields.TryGetLong(o, "size", out size) ? size : -1;
                HashAlgorithmKind kind;
                offer.HashAlgorithm = HashFactory.TryParseName(JsonFields.GetString(o, "algorithm"), out kind) ? kind : HashAlgorithmKind.None;
                offer.Url = JsonFields.GetString(o, "url");
                offer.Source = offer.Url == null ? DownloadSource.MqttChunks : DownloadSource.HttpRange;
                result.Kind = InboundKind.Offer;
                result.Offer = offer;
                return;
            }

            if (topic.StartsWith("test/chunk/"))
            {
                result.Kind = InboundKind.Chunk;
                result.ChunkIndex = int.Parse(topic.Substring(11));
                result.Payload = payload;
                result.ChunkOffset = 0;
                result.ChunkLength = payload.Length;
            }
        }

        public void Report(StatusReport report, IPublisher publisher)
        {
            Reports.Add(report);
            publisher.Publish("test/status", Encoding.UTF8.GetBytes(report.Kind.ToString()), 1);
        }

        public bool RequestChunk(UpdateOffer offer, int index, int chunkSize, IPublisher publisher)
        {
            return publisher.Publish("test/req/" + index, new byte[0], 1);
        }

        public int Count(ReportKind kind)
        {
            int n = 0;
            for (int i = 0; i < Reports.Count; i++)
            {
                if (((StatusReport)Reports[i]).Kind == kind)
                {
                    n++;
                }
            }

            return n;
        }

        public StatusReport Last(ReportKind kind)
        {
            for (int i = Reports.Count - 1; i >= 0; i--)
            {
                StatusReport r = (StatusReport)Reports[i];
                if (r.Kind == kind)
                {
                    return r;
                }
            }

            return null;
        }
    }
}
