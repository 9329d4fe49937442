using System;
using System.Security.Cryptography;
using NfOta.Hashing;

namespace NfOta.Bench
{
    /// <summary>
    /// Throughput of the core's hashes against .NET's on 16 MiB fed in 4 KiB chunks (as a download
    /// feeds them), and the bytes each Update allocates once warmed up (the goal is 0).
    /// Argument: megabytes of data (default 16).
    /// </summary>
    public sealed class HashBench : IBenchSection
    {
        private const int Chunk = 4096;
        private const int Runs = 5;

        public string Name => "hash";

        public string Summary => "MB/s of our MD5/SHA/CRC-32 vs .NET's, bytes allocated per Update";

        public int Run(string[] args)
        {
            int megabytes = args.Length > 0 ? int.Parse(args[0]) : 16;
            var data = new byte[megabytes << 20];
            new Random(1).NextBytes(data);

            Console.WriteLine($"{megabytes} MiB in {Chunk / 1024} KiB chunks, best of {Runs} runs by {CpuClock.Kind} (MB = 10^6 bytes)");
            Console.WriteLine($"{"algorithm",-10}{"ours MB/s",12}{".NET MB/s",12}{"ours/.NET",11}{"B/Update",10}{"B/Final",9}  digest");

            int failures = 0;
            foreach (var kind in new[]
            {
                HashAlgorithmKind.Md5, HashAlgorithmKind.Sha1, HashAlgorithmKind.Sha256,
                HashAlgorithmKind.Sha384, HashAlgorithmKind.Sha512, HashAlgorithmKind.Crc32
            })
            {
                IIncrementalHash ours = HashFactory.Create(kind);
                var digest = new byte[ours.HashSize];
                double oursSeconds = Best(() => Ours(ours, data, digest));
                byte[] reference = Reference(kind, data, out double dotnetSeconds);
                bool same = reference == null || Hex.EqualsDigest(Convert.ToHexString(reference), digest, 0, digest.Length);
                failures += same ? 0 : 1;

                double oursRate = data.Length / oursSeconds / 1e6;
                string dotnetRate = reference == null || dotnetSeconds == 0 ? "n/a" : (data.Length / dotnetSeconds / 1e6).ToString("F0");
                string ratio = reference == null || dotnetSeconds == 0 ? "n/a" : (dotnetSeconds / oursSeconds).ToString("F2");
                Console.WriteLine($"{HashFactory.Name(kind),-10}{oursRate,12:F0}{dotnetRate,12}{ratio,11}"
                    + $"{AllocatedPerUpdate(ours, data),10:F2}{AllocatedPerFinal(ours, data, digest),9:F2}  {(same ? "matches .NET" : "DIFFERS from .NET")}");
            }

            Console.WriteLine("CRC32 has no .NET counterpart in the shared framework (System.IO.Hashing is a separate package); its digest is checked against a bitwise CRC.");
            return failures == 0 ? 0 : 1;
        }

        private static void Ours(IIncrementalHash hash, byte[] data, byte[] digest)
        {
            for (int offset = 0; offset < data.Length; offset += Chunk)
            {
                hash.Update(data, offset, Math.Min(Chunk, data.Length - offset));
            }

            hash.Final(digest, 0);
        }

        private static byte[] Reference(HashAlgorithmKind kind, byte[] data, out double seconds)
        {
            HashAlgorithmName name;
            switch (kind)
            {
                case HashAlgorithmKind.Md5: name = HashAlgorithmName.MD5; break;
                case HashAlgorithmKind.Sha1: name = HashAlgorithmName.SHA1; break;
                case HashAlgorithmKind.Sha256: name = HashAlgorithmName.SHA256; break;
                case HashAlgorithmKind.Sha384: name = HashAlgorithmName.SHA384; break;
                case HashAlgorithmKind.Sha512: name = HashAlgorithmName.SHA512; break;
                default:
                    seconds = 0;
                    uint crc = BitwiseCrc32(data);
                    return new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc };
            }

            byte[] result = null;
            using var hash = IncrementalHash.CreateHash(name);
            seconds = Best(() =>
            {
                for (int offset = 0; offset < data.Length; offset += Chunk)
                {
                    hash.AppendData(data, offset, Math.Min(Chunk, data.Length - offset));
                }

                result = hash.GetHashAndReset();
            });
            return result;
        }

        private static double Best(Action run)
        {
            run(); // warm-up: JIT, tiering, caches
            double best = double.MaxValue;
            for (int i = 0; i < Runs; i++)
            {
                double start = CpuClock.Now();
                run();
                best = Math.Min(best, CpuClock.Now() - start);
            }

            return best;
        }

        private static double AllocatedPerUpdate(IIncrementalHash hash, byte[] data)
        {
            const int Calls = 20000;
            int blocks = data.Length / Chunk;
            for (int i = 0; i < 1000; i++)
            {
                hash.Update(data, (i % blocks) * Chunk + (i & 7), Chunk - 13); // warm, odd lengths
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                hash.Update(data, (i % blocks) * Chunk + (i & 7), Chunk - 13);
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            hash.Reset();
            return (after - before) / (double)Calls;
        }

        private static double AllocatedPerFinal(IIncrementalHash hash, byte[] data, byte[] digest)
        {
            const int Calls = 10000;
            var state = new byte[hash.StateSize];
            hash.Update(data, 0, 100);
            hash.SaveState(state, 0);
            hash.LoadState(state, 0);
            hash.Final(digest, 0);

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                hash.Update(data, i & 1023, 100);
                hash.SaveState(state, 0);
                hash.LoadState(state, 0);
                hash.Final(digest, 0);
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            return (after - before) / (double)Calls;
        }

        private static uint BitwiseCrc32(byte[] data)
        {
            uint crc = 0xffffffff;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
                }
            }

            return ~crc;
        }
    }
}
