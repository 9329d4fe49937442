using System;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Ports;
using NfOta.Versioning;

namespace NfOta.Security
{
    /// <summary>
    /// Checks a signed image while it downloads: the image bytes go through SHA-256 chunk by chunk and
    /// the 192-byte trailer at the end is captured, so verification needs no second pass over flash.
    /// <para>
    /// Signed image = image bytes followed by this trailer (little-endian; see docs/security.md):
    /// </para>
    /// <code>
    ///   0  8  magic "NFOTASIG"
    ///   8  1  format version (1)
    ///   9  1  algorithm (1 = Ed25519 over trailer bytes 0..127)
    ///  10  2  trailer size (192)
    ///  12  4  secure version (ESP-IDF anti-rollback counter)
    ///  16  8  image size (bytes before the trailer)
    ///  24 32  SHA-256 of the image bytes
    ///  56  1  version length n (1..64)
    ///  57 64  version text, ASCII, zero-padded
    /// 121  7  reserved, zero
    /// 128 64  Ed25519 signature of bytes 0..127
    /// </code>
    /// Usage: Begin(totalSize), Update(...) for every chunk in order, then Verify. Update allocates nothing.
    /// </summary>
    public sealed class SignedImageVerifier
    {
        public const int TrailerSize = 192;
        /// <summary>Trailer bytes covered by the signature: everything before it.</summary>
        public const int SignedPartSize = 128;
        public const byte FormatVersion = 1;
        public const byte AlgorithmEd25519 = 1;
        public const int MaxVersionLength = 64;

        public const int FormatVersionOffset = 8;
        public const int AlgorithmOffset = 9;
        public const int TrailerSizeOffset = 10;
        public const int SecureVersionOffset = 12;
        public const int ImageSizeOffset = 16;
        public const int DigestOffset = 24;
        public const int VersionLengthOffset = 56;
        public const int VersionOffset = 57;
        public const int ReservedOffset = 121;
        public const int SignatureOffset = 128;

        /// <summary>"NFOTASIG" in ASCII, the first 8 bytes of the trailer.</summary>
        public static readonly byte[] Magic = { 0x4E, 0x46, 0x4F, 0x54, 0x41, 0x53, 0x49, 0x47 };

        private const int DigestSize = 32;

        private readonly Sha256 _sha = new Sha256();
        private readonly byte[] _trailer = new byte[TrailerSize];
        private readonly byte[] _digest = new byte[DigestSize];
        private readonly byte[] _signature = new byte[Ed25519.SignatureSize];
        private long _total = -1;
        private long _position;
        private bool _digestDone;

        /// <summary>The size given to Begin: image plus trailer.</summary>
        public long TotalSize
        {
            get { return _total; }
        }

        /// <summary>Bytes fed so far.</summary>
        public long Position
        {
            get { return _position; }
        }

        /// <summary>Where the image ends and the trailer starts: the real image size for the boot decision.</summary>
        public long ImageLength
        {
            get { return _total >= TrailerSize ? _total - TrailerSize : _total; }
        }

        /// <summary>The signed version text; set only once Verify has checked the signature.</summary>
        public string SignedVersion { get; private set; }

        /// <summary>The signed secure version; set only once Verify has checked the signature.</summary>
        public uint SecureVersion { get; private set; }

        /// <summary>Length in bytes of the state written by <see cref="SaveState"/>.</summary>
        public int StateSize
        {
            get { return 16 + _sha.StateSize + TrailerSize; }
        }

        /// <summary>Starts a new image of <paramref name="totalSize"/> bytes, trailer included.</summary>
        public void Begin(long totalSize)
        {
            if (totalSize < 0) throw new ArgumentOutOfRangeException("totalSize");
            _total = totalSize;
            _position = 0;
            _digestDone = false;
            _sha.Reset();
            for (int i = 0; i < TrailerSize; i++) _trailer[i] = 0;
            SignedVersion = null;
            SecureVersion = 0;
        }

        /// <summary>Feeds the next bytes of the download, in order. Bytes past the total size are counted, not kept.</summary>
        public void Update(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (offset < 0 || count < 0 || offset > buffer.Length - count) throw new ArgumentOutOfRangeException("offset");
            if (_total < 0) throw new InvalidOperationException("Begin first");
            if (_digestDone) throw new InvalidOperationException("already verified");

            long imageEnd = ImageLength;
            // the image part goes to the digest
            if (_position < imageEnd && count > 0)
            {
                long left = imageEnd - _position;
                int n = left < count ? (int)left : count;
                _sha.Update(buffer, offset, n);
                _position += n;
                offset += n;
                count -= n;
            }
            // the trailer part is kept
            if (_position < _total && count > 0)
            {
                long left = _total - _position;
                int n = left < count ? (int)left : count;
                Array.Copy(buffer, offset, _trailer, (int)(_position - imageEnd), n);
                _position += n;
                count -= n;
            }
            _position += count; // overrun: only counted, Verify reports SizeMismatch
        }

        /// <summary>Verify with no anti-rollback minimum.</summary>
        public bool Verify(byte[] publicKey, string offeredVersion, out SignatureFailure reason)
        {
            return Verify(publicKey, offeredVersion, 0, out reason);
        }

        /// <summary>
        /// True when everything announced was fed, the trailer is well-formed, the image digest matches
        /// it, its signature verifies with <paramref name="publicKey"/> (32 raw bytes), its version equals
        /// <paramref name="offeredVersion"/> (as VersionComparer orders them) and its secure version is at
        /// least <paramref name="minimumSecureVersion"/>. Otherwise false with the first failed check in
        /// <paramref name="reason"/>. Costs one Ed25519 verification.
        /// </summary>
        public bool Verify(byte[] publicKey, string offeredVersion, uint minimumSecureVersion, out SignatureFailure reason)
        {
            SignedVersion = null;
            SecureVersion = 0;
            if (_total < 0 || _position != _total)
            {
                reason = SignatureFailure.SizeMismatch;
                return false;
            }
            if (_total < TrailerSize || !HasMagic())
            {
                reason = SignatureFailure.NoSignature;
                return false;
            }
            string version = ReadFormat();
            if (version == null)
            {
                reason = SignatureFailure.BadFormat;
                return false;
            }
            if (!_digestDone)
            {
                _sha.Final(_digest, 0);
                _digestDone = true;
            }
            for (int i = 0; i < DigestSize; i++)
            {
                if (_digest[i] != _trailer[DigestOffset + i])
                {
                    reason = SignatureFailure.DigestMismatch;
                    return false;
                }
            }
            if (publicKey == null || publicKey.Length != Ed25519.PublicKeySize)
            {
                reason = SignatureFailure.BadPublicKey;
                return false;
            }
            Array.Copy(_trailer, SignatureOffset, _signature, 0, Ed25519.SignatureSize);
            if (!Ed25519.Verify(publicKey, _trailer, 0, SignedPartSize, _signature))
            {
                reason = SignatureFailure.BadSignature;
                return false;
            }
            uint secureVersion = ReadUInt32(SecureVersionOffset);
            SignedVersion = version;
            SecureVersion = secureVersion;
            if (offeredVersion == null || !VersionComparer.IsValid(offeredVersion) || VersionComparer.Compare(version, offeredVersion) != 0)
            {
                reason = SignatureFailure.VersionMismatch;
                return false;
            }
            if (secureVersion < minimumSecureVersion)
            {
                reason = SignatureFailure.SecureVersionTooLow;
                return false;
            }
            reason = SignatureFailure.None;
            return true;
        }

        /// <summary>The agent's error for a refused image: a changed or unsigned image is SignatureInvalid, anti-rollback is DowngradeRefused.</summary>
        public static UpdateError ToUpdateError(SignatureFailure reason)
        {
            switch (reason)
            {
                case SignatureFailure.None:
                    return UpdateError.None;
                case SignatureFailure.SizeMismatch:
                    return UpdateError.DownloadFailed;
                case SignatureFailure.SecureVersionTooLow:
                    return UpdateError.DowngradeRefused;
                default:
                    return UpdateError.SignatureInvalid;
            }
        }

        /// <summary>
        /// Resumes after a reboot without saved verifier state: Begin(totalSize), then feeds the first
        /// <paramref name="position"/> bytes back from the slot they were already written to, through
        /// <paramref name="buffer"/> (any size, e.g. the download buffer). One read pass of the part
        /// already downloaded, only when resuming; false when the slot cannot be read.
        /// </summary>
        public bool Resume(IFlashSlot slot, long totalSize, long position, byte[] buffer)
        {
            if (slot == null || buffer == null || buffer.Length == 0 || position < 0 || position > totalSize) return false;
            Begin(totalSize);
            while (_position < position)
            {
                long left = position - _position;
                int n = left < buffer.Length ? (int)left : buffer.Length;
                if (!slot.Read(_position, buffer, 0, n))
                {
                    Begin(totalSize);
                    return false;
                }
                Update(buffer, 0, n);
            }
            return true;
        }

        /// <summary>One line for the platform's failure report (nanoFramework prints enums as numbers).</summary>
        public static string Describe(SignatureFailure reason)
        {
            switch (reason)
            {
                case SignatureFailure.None:
                    return "signature verified";
                case SignatureFailure.SizeMismatch:
                    return "the image is incomplete";
                case SignatureFailure.NoSignature:
                    return "the image is not signed (no NFOTASIG trailer)";
                case SignatureFailure.BadFormat:
                    return "the signature trailer is malformed";
                case SignatureFailure.DigestMismatch:
                    return "the image was changed after it was signed";
                case SignatureFailure.BadPublicKey:
                    return "the settings' signing public key is not a 32-byte Ed25519 key";
                case SignatureFailure.BadSignature:
                    return "the signature does not verify with the settings' public key";
                case SignatureFailure.VersionMismatch:
                    return "the signed version differs from the offered version";
                case SignatureFailure.SecureVersionTooLow:
                    return "the image's secure version is below the device's anti-rollback minimum";
                default:
                    return "signature check failed";
            }
        }

        /// <summary>Writes the progress (sizes, digest state, trailer bytes so far) for a resumed download.</summary>
        public void SaveState(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset > buffer.Length - StateSize) throw new ArgumentOutOfRangeException("offset");
            if (_digestDone) throw new InvalidOperationException("already verified");
            WriteInt64(buffer, offset, _total);
            WriteInt64(buffer, offset + 8, _position);
            _sha.SaveState(buffer, offset + 16);
            Array.Copy(_trailer, 0, buffer, offset + 16 + _sha.StateSize, TrailerSize);
        }

        /// <summary>Restores a state written by SaveState; false (and nothing restored) when it is not a plausible state.</summary>
        public bool LoadState(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset > buffer.Length - StateSize) return false;
            long total = ReadInt64(buffer, offset);
            long position = ReadInt64(buffer, offset + 8);
            if (total < 0 || position < 0 || position > total) return false;
            try
            {
                _sha.LoadState(buffer, offset + 16);
            }
            catch (Exception)
            {
                _sha.Reset();
                return false;
            }
            _total = total;
            _position = position;
            _digestDone = false;
            Array.Copy(buffer, offset + 16 + _sha.StateSize, _trailer, 0, TrailerSize);
            SignedVersion = null;
            SecureVersion = 0;
            return true;
        }

        private bool HasMagic()
        {
            for (int i = 0; i < Magic.Length; i++)
            {
                if (_trailer[i] != Magic[i]) return false;
            }
            return true;
        }

        /// <summary>The version text when every fixed field holds what format 1 requires, else null.</summary>
        private string ReadFormat()
        {
            if (_trailer[FormatVersionOffset] != FormatVersion) return null;
            if (_trailer[AlgorithmOffset] != AlgorithmEd25519) return null;
            if ((_trailer[TrailerSizeOffset] | (_trailer[TrailerSizeOffset + 1] << 8)) != TrailerSize) return null;
            if (ReadInt64(_trailer, ImageSizeOffset) != _total - TrailerSize) return null;
            int n = _trailer[VersionLengthOffset];
            if (n < 1 || n > MaxVersionLength) return null;
            for (int i = VersionOffset + n; i < SignatureOffset; i++)
            {
                if (_trailer[i] != 0) return null; // padding and reserved bytes
            }
            char[] text = new char[n];
            for (int i = 0; i < n; i++) text[i] = (char)_trailer[VersionOffset + i];
            string version = new string(text);
            return VersionComparer.IsValid(version) ? version : null;
        }

        private uint ReadUInt32(int offset)
        {
            return (uint)(_trailer[offset] | (_trailer[offset + 1] << 8) | (_trailer[offset + 2] << 16) | (_trailer[offset + 3] << 24));
        }

        private static long ReadInt64(byte[] b, int offset)
        {
            long v = 0;
            for (int i = 7; i >= 0; i--) v = (v << 8) | b[offset + i];
            return v;
        }

        private static void WriteInt64(byte[] b, int offset, long v)
        {
            for (int i = 0; i < 8; i++)
            {
                b[offset + i] = (byte)v;
                v >>= 8;
            }
        }
    }
}
