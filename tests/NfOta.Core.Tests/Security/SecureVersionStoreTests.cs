using System;
using nanoFramework.TestFramework;
using NfOta.Security;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Security
{
    [TestClass]
    public class SecureVersionStoreTests
    {
        [TestMethod]
        public void StartsAtZeroAndOnlyRises()
        {
            MemoryStorage storage = new MemoryStorage();
            Assert.AreEqual(0u, SecureVersionStore.Read(storage));
            Assert.IsTrue(SecureVersionStore.Raise(storage, 3));
            Assert.AreEqual(3u, SecureVersionStore.Read(storage));
            Assert.IsTrue(SecureVersionStore.Raise(storage, 1));
            Assert.AreEqual(3u, SecureVersionStore.Read(storage));
            Assert.IsTrue(SecureVersionStore.Raise(storage, 4000000000));
            Assert.AreEqual(4000000000u, SecureVersionStore.Read(storage));
        }

        [TestMethod]
        public void APowerCutDuringRaiseNeverLowersTheMinimum()
        {
            // cut the first and then the second of the two writes
            for (int cut = 0; cut < 2; cut++)
            {
                MemoryStorage storage = new MemoryStorage();
                Assert.IsTrue(SecureVersionStore.Raise(storage, 5));
                if (cut == 1)
                {
                    // let the first copy through, tear the second
                    storage.Write("nfota.secver.0", Record(7), 12);
                }
                storage.TearNextWrite = true;
                bool threw = false;
                try
                {
                    if (cut == 0) SecureVersionStore.Raise(storage, 7);
                    else storage.Write("nfota.secver.1", Record(7), 12);
                }
                catch (Exception)
                {
                    threw = true;
                }
                Assert.IsTrue(threw);
                uint after = SecureVersionStore.Read(storage);
                Assert.IsTrue(after == 5 || after == 7, "cut " + cut.ToString() + " read " + after.ToString());
                Assert.AreEqual(cut == 0 ? 5u : 7u, after);
            }
        }

        [TestMethod]
        public void IgnoresGarbageRecords()
        {
            MemoryStorage storage = new MemoryStorage();
            byte[] junk = Record(9);
            junk[8] ^= 1; // complement no longer matches
            storage.Write("nfota.secver.0", junk, 12);
            storage.Write("nfota.secver.1", new byte[5], 5);
            Assert.AreEqual(0u, SecureVersionStore.Read(storage));
        }

        private static byte[] Record(uint v)
        {
            byte[] r = new byte[12];
            r[0] = 0x4E; r[1] = 0x46; r[2] = 0x53; r[3] = 0x56;
            uint c = ~v;
            for (int i = 0; i < 4; i++)
            {
                r[4 + i] = (byte)(v >> (8 * i));
                r[8 + i] = (byte)(c >> (8 * i));
            }
            return r;
        }
    }
}
