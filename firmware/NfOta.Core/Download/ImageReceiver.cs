using NfOta.Hashing;
using NfOta.Ports;
using NfOta.Security;

namespace NfOta.Download
{
    /// <summary>What became of a piece of image handed to <see cref="ImageReceiver.Accept"/>.</summary>
    public enum AcceptResult
    {
        /// <summary>Written and hashed (in part, when it overlapped bytes already held).</summary>
        Accepted,
        /// <summary>Every byte was already held: a duplicate, dropped.</summary>
        Duplicate,
        /// <summary>It starts after the current position: bytes are missing in between.</summary>
        Gap,
        /// <summary>It runs past the declared image size.</summary>
        TooLong,
        /// <summary>The flash refused the write or read back something else.</summary>
        FlashFailed
    }

    /// <summary>Told each time the receiver reaches a checkpoint boundary, to persist position and hash state.</summary>
    public interface ICheckpointSink
    {
        void Checkpoint(long position, IIncrementalHash hash);
    }

    /// <summary>
    /// Takes the image in order, wherever the bytes come from (HTTP body, MQTT chunks), and both writes
    /// it to the update slot and hashes it in the same pass, so verification needs no second read of
    /// flash. At every checkpoint boundary (a multiple of the sector size) it hands the position and
    /// hash state to a sink, so a reboot resumes from there rather than from zero.
    /// </summary>
    public sealed class ImageReceiver
    {
        private readonly SlotWriter _writer = new SlotWriter();
        private IIncrementalHash _hash;
        private byte[] _digest;
        private long _checkpointEvery;
        private long _nextCheckpoint;
        private ICheckpointSink _sink;
        private bool _finished;

        public long Position { get { return _writer.Position; } }

        public long Size { get { return _writer.Size; } }

        public bool Complete { get { return _hash != null && _writer.Position == _writer.Size; } }

        public IIncrementalHash Hash { get { return _hash; } }

        /// <summary>When set, every byte written also goes through this signature check, in the same pass.</summary>
        public SignedImageVerifier Signature;

        /// <summary>
        /// Starts (or resumes) receiving an image. <paramref name="hashState"/> is null for a fresh
        /// start, else the state saved at <paramref name="resumeOffset"/>. Returns false, with nothing
        /// erased, when the image does not fit the slot, the algorithm is unknown or the offset is not
        /// on a checkpoint boundary.
        /// </summary>
        public bool Start(IFlashSlot slot, long size, HashAlgorithmKind algorithm, long checkpointEvery,
            long resumeOffset, byte[] hashState, int hashStateOffset, ICheckpointSink sink)
        {
            _hash = null;
            _finished = false;
            if (checkpointEvery <= 0 || slot == null || checkpointEvery % slot.SectorSize != 0
                || resumeOffset % checkpointEvery != 0)
            {
                return false;
            }

            IIncrementalHash hash = HashFactory.Create(algorithm);
            if (hash == null || !_writer.Begin(slot, size, resumeOffset))
            {
                return false;
            }

            if (hashState != null && resumeOffset > 0)
            {
                hash.LoadState(hashState, hashStateOffset);
            }
            else if (resumeOffset != 0)
            {
                return false;
            }

            _hash = hash;
            _digest = new byte[hash.HashSize];
            _checkpointEvery = checkpointEvery;
            _nextCheckpoint = resumeOffset + checkpointEvery;
            _sink = sink;
            return true;
        }

        /// <summary>
        /// Takes <paramref name="count"/> bytes that belong at image offset <paramref name="position"/>.
        /// Bytes before the current position are skipped (duplicates, a resumed chunk); bytes after it
        /// are a gap and are refused. Allocation-free.
        /// </summary>
        public AcceptResult Accept(long position, byte[] buffer, int offset, int count)
        {
            if (_hash == null || _finished)
            {
                return AcceptResult.FlashFailed;
            }

            long current = _writer.Position;
            if (position > current)
            {
                return AcceptResult.Gap;
            }

            if (position + count <= current)
            {
                return AcceptResult.Duplicate;
            }

            int skip = (int)(current - position);
            offset += skip;
            count -= skip;
            if (current + count > _writer.Size)
            {
                return AcceptResult.TooLong;
            }

            while (count > 0)
            {
                int part = count;
                long toCheckpoint = _nextCheckpoint - _writer.Position;
                if (part > toCheckpoint)
                {
                    part = (int)toCheckpoint;
                }

                if (!_writer.Write(buffer, offset, part))
                {
                    return AcceptResult.FlashFailed;
                }

                _hash.Update(buffer, offset, part);
                if (Signature != null)
                {
                    Signature.Update(buffer, offset, part);
                }
                offset += part;
                count -= part;
                if (_writer.Position == _nextCheckpoint)
                {
                    _nextCheckpoint += _checkpointEvery;
                    if (_sink != null && _writer.Position < _writer.Size)
                    {
                        _sink.Checkpoint(_writer.Position, _hash);
                    }
                }
            }

            return AcceptResult.Accepted;
        }

        /// <summary>Completes the hash once every byte is in. Returns false if bytes are missing.</summary>
        public bool Finish()
        {
            if (!Complete)
            {
                return false;
            }

            if (!_finished)
            {
                _hash.Final(_digest, 0);
                _finished = true;
            }

            return true;
        }

        /// <summary>True when the finished digest equals the hex digest the platform gave (any case).</summary>
        public bool DigestMatches(string expectedHex)
        {
            return _finished && expectedHex != null && Hex.EqualsDigest(expectedHex, _digest, 0, _digest.Length);
        }

        /// <summary>The finished digest in lower-case hex: what was written, as proof.</summary>
        public string DigestHex
        {
            get { return _finished ? Hex.ToHex(_digest, 0, _digest.Length) : null; }
        }
    }
}
