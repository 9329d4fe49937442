using System;
using nanoFramework.TestFramework;
using NfOta.Hashing;

namespace NfOta.Core.Tests.Hashing
{
    /// <summary>Saving a running hash mid-stream and resuming it in a fresh instance, as after a reboot.</summary>
    [TestClass]
    public class HashStateTests
    {
        private static readonly HashAlgorithmKind[] Kinds = new HashAlgorithmKind[]
        {
            HashAlgorithmKind.Md5, HashAlgorithmKind.Sha1, HashAlgorithmKind.Sha256,
            HashAlgorithmKind.Sha384, HashAlgorithmKind.Sha512, HashAlgorithmKind.Crc32
        };

        private static readonly int[] SplitPoints = new int[] { 0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 300, 700 };

        [TestMethod]
        public void ResumedHashEqualsOneShot()
        {
            byte[] data = HashingTestData.Pattern(700);
            foreach (HashAlgorithmKind kind in Kinds)
            {
                string expected = HashingTestData.Digest(HashFactory.Create(kind), data);
                foreach (int split in SplitPoints)
                {
                    IIncrementalHash first = HashFactory.Create(kind);
                    first.Update(data, 0, split);
                    byte[] state = new byte[first.StateSize + 3];
                    first.SaveState(state, 3);

                    IIncrementalHash resumed = HashFactory.Create(kind);
                    resumed.Update(data, 0, 17); // stale input the restore must replace
                    resumed.LoadState(state, 3);
                    resumed.Update(data, split, data.Length - split);
                    Assert.AreEqual(expected, HashingTestData.Final(resumed), HashFactory.Name(kind) + " split at " + split);

                    // Saving does not disturb the original.
                    first.Update(data, split, data.Length - split);
                    Assert.AreEqual(expected, HashingTestData.Final(first), HashFactory.Name(kind) + " original at " + split);
                }
            }
        }

        [TestMethod]
        public void FinalResetsTheHash()
        {
            byte[] abc = HashingTestData.Ascii("abc");
            foreach (HashAlgorithmKind kind in Kinds)
            {
                IIncrementalHash hash = HashFactory.Create(kind);
                string once = HashingTestData.Digest(hash, abc);
                Assert.AreEqual(once, HashingTestData.Digest(hash, abc), HashFactory.Name(kind));
                string empty = HashingTestData.Digest(HashFactory.Create(kind), new byte[0]);
                Assert.AreEqual(empty, HashingTestData.Final(hash), HashFactory.Name(kind) + " after Final");

                hash.Update(abc, 0, 2);
                hash.Reset();
                Assert.AreEqual(once, HashingTestData.Digest(hash, abc), HashFactory.Name(kind) + " after Reset");
            }
        }

        [TestMethod]
        public void RejectsStateOfAnotherAlgorithm()
        {
            IIncrementalHash sha512 = new Sha512();
            byte[] state = new byte[sha512.StateSize];
            sha512.SaveState(state, 0);
            IIncrementalHash sha384 = new Sha384();
            Assert.AreEqual(sha512.StateSize, sha384.StateSize);
            Assert.ThrowsException(typeof(ArgumentException), () => sha384.LoadState(state, 0));

            Crc32 crc = new Crc32();
            Assert.ThrowsException(typeof(ArgumentException), () => crc.LoadState(state, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => sha512.LoadState(state, 1));
        }

        [TestMethod]
        public void ChecksBufferBounds()
        {
            Sha256 hash = new Sha256();
            byte[] data = new byte[10];
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => hash.Update(data, 5, 6));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => hash.Update(data, -1, 2));
            Assert.ThrowsException(typeof(ArgumentNullException), () => hash.Update(null, 0, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => hash.Final(new byte[31], 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => Crc32.Update(0, data, 8, 3));
        }
    }
}
