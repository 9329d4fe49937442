namespace NfOta.Hashing
{
    /// <summary>
    /// A digest computed over the image as its chunks are written, so verification needs no second
    /// pass over flash. Its state can be saved with the download checkpoint and restored after a
    /// reboot, so a resumed download continues the same digest. No method allocates.
    /// </summary>
    public interface IIncrementalHash
    {
        HashAlgorithmKind Kind { get; }

        /// <summary>Digest length in bytes.</summary>
        int HashSize { get; }

        /// <summary>Length in bytes of the state written by <see cref="SaveState"/>.</summary>
        int StateSize { get; }

        void Reset();

        void Update(byte[] data, int offset, int count);

        /// <summary>Writes the digest of everything updated so far; the hash must be Reset before reuse.</summary>
        void Final(byte[] output, int offset);

        void SaveState(byte[] buffer, int offset);

        /// <summary>Restores a state saved by <see cref="SaveState"/> of the same algorithm.</summary>
        void LoadState(byte[] buffer, int offset);
    }
}
