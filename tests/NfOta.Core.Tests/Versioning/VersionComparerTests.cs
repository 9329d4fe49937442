using nanoFramework.TestFramework;
using NfOta.Versioning;

namespace NfOta.Core.Tests.Versioning
{
    [TestClass]
    public class VersionComparerTests
    {
        private static void Older(string a, string b)
        {
            Assert.IsTrue(VersionComparer.Compare(a, b) < 0, a + " < " + b);
            Assert.IsTrue(VersionComparer.Compare(b, a) > 0, b + " > " + a);
        }

        [TestMethod]
        public void OrdersThePlatformsVersionStrings()
        {
            Older("1.0.0", "1.0.1");
            Older("1.0.1", "1.1.0");
            Older("1.9.0", "1.10.0");
            Older("v1.0", "v1.1");
            Older("1.0.1", "1.0.1.9.20171112.1432");
            Older("1.0.1.9.20171112.1432", "1.0.1.9.20171112.1433");
            Older("2.0.0-rc.1", "2.0.0");
            Older("2.0.0-alpha", "2.0.0-beta");
            Older("2.0.0-alpha", "2.0.0-alpha.1");
            Older("99999999999999999999", "100000000000000000000");
        }

        [TestMethod]
        public void TreatsEquivalentSpellingsAsEqual()
        {
            Assert.AreEqual(0, VersionComparer.Compare("v1.0", "1.0.0"));
            Assert.AreEqual(0, VersionComparer.Compare("1.2.0+build5", "1.2.0"));
            Assert.AreEqual(0, VersionComparer.Compare("01.002", "1.2"));
        }

        [TestMethod]
        public void ValidatesVersionText()
        {
            Assert.IsTrue(VersionComparer.IsValid("1.0.1.9.20171112.1432"));
            Assert.IsTrue(VersionComparer.IsValid("v1.0"));
            Assert.IsFalse(VersionComparer.IsValid(""));
            Assert.IsFalse(VersionComparer.IsValid(null));
            Assert.IsFalse(VersionComparer.IsValid("1.0 beta"));
            Assert.IsFalse(VersionComparer.IsValid("..."));
            Assert.IsFalse(VersionComparer.IsValid("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1"));
        }
    }
}
