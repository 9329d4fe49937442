using System;
using System.IO;
using NfOta.Pc.Sim;

namespace NfOta.Host.Tests.Sim
{
    /// <summary>A fresh temporary directory per test, deleted afterwards.</summary>
    public sealed class SimTempDir : IDisposable
    {
        public SimTempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nfota-sim-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try { Directory.Delete(Path, true); } catch (IOException) { }
        }
    }

    public static class SimTestSupport
    {
        /// <summary>The repository root (where nf-ota.sln is).</summary>
        public static string RepoRoot => NfOta.Pc.Device.RehearsalSettings.RepositoryRoot();

        public static string Partitions4MB => System.IO.Path.Combine(RepoRoot, "partitions.csv");

        public static PartitionTable Table4MB => PartitionTable.Load(Partitions4MB, 4 * 1024 * 1024);

        /// <summary>A small valid app image with the given version; seed varies the payload.</summary>
        public static byte[] Image(string version, int seed = 1, int size = 48 * 1024, string selfTest = null) =>
            new EspAppImageBuilder { Version = version, Seed = seed, Size = size, SelfTest = selfTest }.Build();

        /// <summary>A device in a temp dir with image v1 programmed into ota_0 and blank otadata (as from the factory).</summary>
        public static SimEsp32 FactoryDevice(string dir, string version = "1.0.0")
        {
            var device = new SimEsp32(dir, Table4MB) ;
            device.Flash.Log = null;
            device.ProgramImage("ota_0", Image(version));
            return device;
        }

        /// <summary>Writes an image into the update slot through the IFlashSlot port, as the agent does.</summary>
        public static bool WriteUpdate(SimBootControl control, byte[] image)
        {
            var slot = control.OpenUpdateSlot();
            int eraseLength = (image.Length + slot.SectorSize - 1) / slot.SectorSize * slot.SectorSize;
            if (!slot.Erase(0, eraseLength)) return false;
            for (int off = 0; off < image.Length; off += 4096)
            {
                int n = Math.Min(4096, image.Length - off);
                if (!slot.Write(off, image, off, n)) return false;
            }
            return true;
        }
    }
}
