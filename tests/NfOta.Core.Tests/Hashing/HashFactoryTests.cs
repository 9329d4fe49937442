using nanoFramework.TestFramework;
using NfOta.Hashing;

namespace NfOta.Core.Tests.Hashing
{
    [TestClass]
    public class HashFactoryTests
    {
        private static void Parses(string name, HashAlgorithmKind expected)
        {
            HashAlgorithmKind kind;
            Assert.IsTrue(HashFactory.TryParseName(name, out kind), name);
            Assert.AreEqual((int)expected, (int)kind, name);
        }

        private static void Rejects(string name)
        {
            HashAlgorithmKind kind;
            Assert.IsFalse(HashFactory.TryParseName(name, out kind), name);
            Assert.AreEqual((int)HashAlgorithmKind.None, (int)kind, name);
        }

        [TestMethod]
        public void ParsesThePlatformsNamesInAnyCase()
        {
            Parses("MD5", HashAlgorithmKind.Md5);
            Parses("md5", HashAlgorithmKind.Md5);
            Parses("Md5", HashAlgorithmKind.Md5);
            Parses("SHA1", HashAlgorithmKind.Sha1);
            Parses("sha-1", HashAlgorithmKind.Sha1);
            Parses("SHA256", HashAlgorithmKind.Sha256);
            Parses("sha256", HashAlgorithmKind.Sha256);
            Parses("SHA-256", HashAlgorithmKind.Sha256);
            Parses("Sha384", HashAlgorithmKind.Sha384);
            Parses("SHA-384", HashAlgorithmKind.Sha384);
            Parses("SHA512", HashAlgorithmKind.Sha512);
            Parses("sha-512", HashAlgorithmKind.Sha512);
            Parses("CRC32", HashAlgorithmKind.Crc32);
            Parses("crc-32", HashAlgorithmKind.Crc32);

            Rejects(null);
            Rejects("");
            Rejects("None");
            Rejects("SHA");
            Rejects("SHA2566");
            Rejects(" MD5");
            Rejects("MURMUR3_32");
        }

        [TestMethod]
        public void CreatesEachKindAndNamesIt()
        {
            Assert.IsNull(HashFactory.Create(HashAlgorithmKind.None));
            Assert.IsNull(HashFactory.Create((HashAlgorithmKind)99));
            Assert.IsNull(HashFactory.Name(HashAlgorithmKind.None));

            HashAlgorithmKind[] kinds = new HashAlgorithmKind[]
            {
                HashAlgorithmKind.Md5, HashAlgorithmKind.Sha1, HashAlgorithmKind.Sha256,
                HashAlgorithmKind.Sha384, HashAlgorithmKind.Sha512, HashAlgorithmKind.Crc32
            };
            int[] sizes = new int[] { 16, 20, 32, 48, 64, 4 };
            string[] names = new string[] { "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "CRC32" };
            for (int i = 0; i < kinds.Length; i++)
            {
                IIncrementalHash hash = HashFactory.Create(kinds[i]);
                Assert.AreEqual((int)kinds[i], (int)hash.Kind, names[i]);
                Assert.AreEqual(sizes[i], hash.HashSize, names[i]);
                Assert.AreEqual(names[i], HashFactory.Name(kinds[i]));

                HashAlgorithmKind parsed;
                Assert.IsTrue(HashFactory.TryParseName(names[i], out parsed));
                Assert.AreEqual((int)kinds[i], (int)parsed, names[i]);
            }
        }
    }
}
