using NfOta.Ports;

namespace NfOta.Security
{
    /// <summary>
    /// The device's anti-rollback minimum: the highest secure version of an image that confirmed
    /// itself, like ESP-IDF's secure_version eFuse counter but kept in storage, where nanoFramework
    /// code can reach it. Raised only after the new image passed its self-test (as ESP-IDF burns the
    /// eFuse in esp_ota_mark_app_valid_cancel_rollback), so a rollback to the previous image stays
    /// possible until then. Two copies written in turn, each with its complement: a power cut during
    /// Raise leaves the old or the new value readable, never less than the old one.
    /// </summary>
    public static class SecureVersionStore
    {
        private const string RecordName = "nfota.secver.";
        private const int RecordSize = 12;
        private static readonly byte[] Magic = { 0x4E, 0x46, 0x53, 0x56 }; // "NFSV"

        /// <summary>The current minimum; 0 when nothing was ever stored.</summary>
        public static uint Read(IStorage storage)
        {
            byte[] buffer = new byte[RecordSize];
            uint best = 0;
            for (int copy = 0; copy < 2; copy++)
            {
                uint value;
                if (ReadCopy(storage, copy, buffer, out value) && value > best) best = value;
            }
            return best;
        }

        /// <summary>Raises the minimum to <paramref name="secureVersion"/>; never lowers it. False when storage failed.</summary>
        public static bool Raise(IStorage storage, uint secureVersion)
        {
            if (secureVersion <= Read(storage)) return true;
            byte[] record = new byte[RecordSize];
            for (int i = 0; i < 4; i++) record[i] = Magic[i];
            WriteU32(record, 4, secureVersion);
            WriteU32(record, 8, ~secureVersion);
            return storage.Write(RecordName + "0", record, RecordSize)
                && storage.Write(RecordName + "1", record, RecordSize);
        }

        private static bool ReadCopy(IStorage storage, int copy, byte[] buffer, out uint value)
        {
            value = 0;
            if (storage.Read(RecordName + copy.ToString(), buffer) != RecordSize) return false;
            for (int i = 0; i < 4; i++)
            {
                if (buffer[i] != Magic[i]) return false;
            }
            value = ReadU32(buffer, 4);
            return ReadU32(buffer, 8) == ~value;
        }

        private static uint ReadU32(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }

        private static void WriteU32(byte[] b, int o, uint v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }
    }
}
