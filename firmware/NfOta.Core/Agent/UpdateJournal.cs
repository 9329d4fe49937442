using System.Text;
using NfOta.Hashing;
using NfOta.Ports;

namespace NfOta.Agent
{
    /// <summary>
    /// The agent's memory across reboots and power cuts: the lifecycle state, the offer being
    /// installed, the slot it goes to, how far the download got and the hash state at that point,
    /// the version that ran before, and the last image refused. Two records are written in turn,
    /// each with a sequence number and a CRC, so a power cut during a write leaves the previous
    /// record intact: the journal is never lost, only one step older.
    /// </summary>
    public sealed class UpdateJournal
    {
        public const int MaxRecord = 4096;
        public const int MaxHashState = 256;
        public const int MaxUrl = 1024;
        /// <summary>Longest version, title, hash or id kept (a SHA-512 hex digest is 128).</summary>
        public const int MaxText = 128;

        private const uint Magic = 0x4A4F464E; // "NFOJ"
        private const byte FormatVersion = 2;
        // The two record names, made once: a checkpoint must not allocate.
        private static readonly string[] RecordNames = new string[] { "nfota.journal.0", "nfota.journal.1" };

        // Fixed layout of the head, so a checkpoint can update it in place without allocating.
        private const int OffMagic = 0;
        private const int OffFormat = 4;
        private const int OffSeq = 5;
        private const int OffState = 9;
        private const int OffError = 10;
        private const int OffSource = 11;
        private const int OffAlgorithm = 12;
        private const int OffTargetSlot = 13;
        private const int OffSize = 14;
        private const int OffPosition = 22;
        private const int OffBootAttempts = 30;
        private const int OffHashStateLength = 31;
        private const int OffHashState = 33;
        private const int OffText = OffHashState + MaxHashState;

        private readonly IStorage _storage;
        private readonly byte[] _record = new byte[MaxRecord];
        private readonly byte[] _read = new byte[MaxRecord];
        private int _length;
        private uint _seq;

        public UpdateState State = UpdateState.Idle;
        public UpdateError Error = UpdateError.None;
        /// <summary>The offer being installed; null when idle.</summary>
        public UpdateOffer Offer;
        public int TargetSlot = -1;
        /// <summary>Checkpointed download position: everything before it is in flash and in the hash state.</summary>
        public long Position;
        public readonly byte[] HashState = new byte[MaxHashState];
        public int HashStateLength;
        /// <summary>Boots into the target slot that have not confirmed it yet.</summary>
        public int BootAttempts;
        /// <summary>The version that ran when the update began: what a rollback returns to.</summary>
        public string PreviousVersion;
        /// <summary>The digest the download produced (hex), kept as proof of what was installed.</summary>
        public string Digest;
        /// <summary>The last image that failed verification, its self-test or its boot: not retried.</summary>
        public string RefusedVersion;
        public string RefusedHash;
        /// <summary>True when the last outcome (updated, rolled back) still has to be reported.</summary>
        public bool OutcomePending;
        /// <summary>Times the offer in the journal came back to the old slot without confirming.</summary>
        public int BootFailures;
        /// <summary>ESP-IDF secure version (anti-rollback) of the image being installed, from its signed trailer.</summary>
        public uint SecureVersion;

        public UpdateJournal(IStorage storage)
        {
            _storage = storage;
        }

        /// <summary>Loads the newest intact record. Returns false (and stays idle) when there is none.</summary>
        public bool Load()
        {
            int best = -1;
            uint bestSeq = 0;
            for (int i = 0; i < 2; i++)
            {
                int n = _storage.Read(RecordNames[i], _read);
                if (IsValid(_read, n))
                {
                    uint seq = ReadU32(_read, OffSeq);
                    if (best < 0 || seq > bestSeq)
                    {
                        best = i;
                        bestSeq = seq;
                    }
                }
            }

            if (best < 0)
            {
                return false;
            }

            int length = _storage.Read(RecordNames[best], _record);
            if (!IsValid(_record, length))
            {
                return false;
            }

            _length = length;
            _seq = bestSeq;
            Decode();
            return true;
        }

        /// <summary>Writes every field as a new record.</summary>
        public bool Save()
        {
            Encode();
            return Commit();
        }

        /// <summary>
        /// Records download progress: position and hash state, in place, without allocating. Only valid
        /// after a <see cref="Save"/> of the same offer.
        /// </summary>
        public bool Checkpoint(long position, IIncrementalHash hash)
        {
            Position = position;
            HashStateLength = hash.StateSize;
            hash.SaveState(HashState, 0);
            if (_length == 0)
            {
                return Save();
            }

            WriteI64(_record, OffPosition, position);
            WriteU16(_record, OffHashStateLength, HashStateLength);
            System.Array.Copy(HashState, 0, _record, OffHashState, HashStateLength);
            return Commit();
        }

        /// <summary>Forgets the offer in progress (the refused-image memory stays).</summary>
        public void ClearOffer()
        {
            Offer = null;
            TargetSlot = -1;
            Position = 0;
            HashStateLength = 0;
            BootAttempts = 0;
            Digest = null;
            SecureVersion = 0;
        }

        private bool Commit()
        {
            _seq++;
            WriteU32(_record, OffSeq, _seq);
            uint crc = Crc32.Update(0, _record, 0, _length - 4);
            WriteU32(_record, _length - 4, crc);
            return _storage.Write(RecordNames[_seq % 2], _record, _length);
        }

        private static bool IsValid(byte[] r, int n)
        {
            if (n < OffText + 4 || n > MaxRecord || ReadU32(r, OffMagic) != Magic || r[OffFormat] != FormatVersion)
            {
                return false;
            }

            return Crc32.Update(0, r, 0, n - 4) == ReadU32(r, n - 4);
        }

        private void Encode()
        {
            byte[] r = _record;
            WriteU32(r, OffMagic, Magic);
            r[OffFormat] = FormatVersion;
            r[OffState] = (byte)State;
            r[OffError] = (byte)Error;
            UpdateOffer o = Offer;
            r[OffSource] = o == null ? (byte)0 : (byte)o.Source;
            r[OffAlgorithm] = o == null ? (byte)0 : (byte)o.HashAlgorithm;
            r[OffTargetSlot] = (byte)(TargetSlot + 1);
            WriteI64(r, OffSize, o == null ? -1 : o.Size);
            WriteI64(r, OffPosition, Position);
            r[OffBootAttempts] = (byte)BootAttempts;
            WriteU16(r, OffHashStateLength, HashStateLength);
            System.Array.Copy(HashState, 0, r, OffHashState, MaxHashState);
            int p = OffText;
            r[p++] = (byte)(o == null ? 0 : 1);
            r[p++] = (byte)(OutcomePending ? 1 : 0);
            r[p++] = (byte)BootFailures;
            WriteU32(r, p, SecureVersion);
            p += 4;
            p = PutText(r, p, o == null ? null : o.Version, MaxText);
            p = PutText(r, p, o == null ? null : o.Title, MaxText);
            p = PutText(r, p, o == null ? null : o.Hash, MaxText);
            p = PutText(r, p, o == null ? null : o.Url, MaxUrl);
            p = PutText(r, p, o == null ? null : o.MessageId, MaxText);
            p = PutText(r, p, PreviousVersion, MaxText);
            p = PutText(r, p, Digest, MaxText);
            p = PutText(r, p, RefusedVersion, MaxText);
            p = PutText(r, p, RefusedHash, MaxText);
            _length = p + 4;
        }

        private void Decode()
        {
            byte[] r = _record;
            State = (UpdateState)r[OffState];
            Error = (UpdateError)r[OffError];
            TargetSlot = r[OffTargetSlot] - 1;
            Position = ReadI64(r, OffPosition);
            BootAttempts = r[OffBootAttempts];
            HashStateLength = ReadU16(r, OffHashStateLength);
            if (HashStateLength > MaxHashState)
            {
                HashStateLength = 0;
            }

            System.Array.Copy(r, OffHashState, HashState, 0, MaxHashState);
            int p = OffText;
            bool hasOffer = r[p++] == 1;
            OutcomePending = r[p++] == 1;
            BootFailures = r[p++];
            SecureVersion = ReadU32(r, p);
            p += 4;
            string version, title, hash, url, messageId;
            p = GetText(r, p, out version);
            p = GetText(r, p, out title);
            p = GetText(r, p, out hash);
            p = GetText(r, p, out url);
            p = GetText(r, p, out messageId);
            p = GetText(r, p, out PreviousVersion);
            p = GetText(r, p, out Digest);
            p = GetText(r, p, out RefusedVersion);
            GetText(r, p, out RefusedHash);
            if (hasOffer)
            {
                UpdateOffer o = new UpdateOffer();
                o.Version = version;
                o.Title = title;
                o.Hash = hash;
                o.Url = url;
                o.MessageId = messageId;
                o.Size = ReadI64(r, OffSize);
                o.Source = (DownloadSource)r[OffSource];
                o.HashAlgorithm = (HashAlgorithmKind)r[OffAlgorithm];
                Offer = o;
            }
            else
            {
                Offer = null;
            }
        }

        private static int PutText(byte[] r, int p, string text, int max)
        {
            if (text == null)
            {
                WriteU16(r, p, 0xFFFF);
                return p + 2;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text);
            int n = bytes.Length;
            if (n > max)
            {
                n = max;
            }

            WriteU16(r, p, n);
            System.Array.Copy(bytes, 0, r, p + 2, n);
            return p + 2 + n;
        }

        private static int GetText(byte[] r, int p, out string text)
        {
            int n = ReadU16(r, p);
            p += 2;
            if (n == 0xFFFF)
            {
                text = null;
                return p;
            }

            text = n == 0 ? string.Empty : Encoding.UTF8.GetString(r, p, n);
            return p + n;
        }

        private static void WriteU16(byte[] b, int o, int v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
        }

        private static int ReadU16(byte[] b, int o)
        {
            return b[o] | (b[o + 1] << 8);
        }

        private static void WriteU32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }

        private static uint ReadU32(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }

        private static void WriteI64(byte[] b, int o, long v)
        {
            WriteU32(b, o, (uint)v);
            WriteU32(b, o + 4, (uint)(v >> 32));
        }

        private static long ReadI64(byte[] b, int o)
        {
            return (long)ReadU32(b, o) | ((long)ReadU32(b, o + 4) << 32);
        }
    }
}
