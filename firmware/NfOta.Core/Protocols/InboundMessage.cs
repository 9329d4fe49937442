using NfOta.Agent;

namespace NfOta.Protocols
{
    public enum InboundKind
    {
        /// <summary>Not for this agent (another device, another package, an acknowledgement).</summary>
        Ignored,
        /// <summary>An update offer: <see cref="InboundMessage.Offer"/> is set.</summary>
        Offer,
        /// <summary>The platform answered a request with "no update pending".</summary>
        NoUpdate,
        /// <summary>Bytes of an image: <see cref="InboundMessage.ChunkIndex"/> and the payload range.</summary>
        Chunk,
        /// <summary>A message on an OTA topic that could not be understood: <see cref="InboundMessage.Error"/> says why.</summary>
        Malformed
    }

    /// <summary>
    /// The result of parsing one inbound message. The agent reuses a single instance, so parsing a
    /// chunk allocates nothing: chunk bytes stay in the payload array the MQTT binding delivered.
    /// </summary>
    public sealed class InboundMessage
    {
        public InboundKind Kind;
        public UpdateOffer Offer;
        public int ChunkIndex;
        public byte[] Payload;
        public int ChunkOffset;
        public int ChunkLength;
        public string Error;

        public void Clear()
        {
            Kind = InboundKind.Ignored;
            Offer = null;
            ChunkIndex = -1;
            Payload = null;
            ChunkOffset = 0;
            ChunkLength = 0;
            Error = null;
        }

        /// <summary>Marks the message as not understood; <paramref name="error"/> says why.</summary>
        internal void SetMalformed(string error)
        {
            Kind = InboundKind.Malformed;
            Error = error;
        }

        /// <summary>Marks the message as an update offer.</summary>
        internal void SetOffer(UpdateOffer offer)
        {
            Kind = InboundKind.Offer;
            Offer = offer;
        }

        /// <summary>Marks the message as chunk <paramref name="index"/>, the whole payload being its bytes (allocates nothing).</summary>
        internal void SetChunk(int index, byte[] payload)
        {
            Kind = InboundKind.Chunk;
            ChunkIndex = index;
            Payload = payload;
            ChunkOffset = 0;
            ChunkLength = payload == null ? 0 : payload.Length;
        }
    }
}
