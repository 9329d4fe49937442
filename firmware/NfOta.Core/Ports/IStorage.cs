namespace NfOta.Ports
{
    /// <summary>
    /// Small named records that survive a reboot: the settings file and the update journal.
    /// A write may be torn by a power cut; callers that need atomicity (the journal) keep two
    /// checksummed copies rather than trusting the file system.
    /// Bindings: the board's internal file system on ESP32; a folder on a PC.
    /// </summary>
    public interface IStorage
    {
        /// <summary>Reads a record into buffer. Returns the length read, or -1 when it does not exist or does not fit.</summary>
        int Read(string name, byte[] buffer);

        /// <summary>Replaces a record with count bytes of data. Returns false when storage failed.</summary>
        bool Write(string name, byte[] data, int count);

        bool Delete(string name);
    }
}
