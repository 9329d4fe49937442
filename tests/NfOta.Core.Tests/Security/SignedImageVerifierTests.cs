using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Security;
using NfOta.Tests.Support;

namespace NfOta.Core.Tests.Security
{
    [TestClass]
    public class SignedImageVerifierTests
    {
        // A fixture made outside this code base (Python, hashlib + cryptography's Ed25519) so the format
        // is checked against an independent writer: image byte i = (7 i + 3) mod 256, 300 bytes,
        // version "1.2.3", secure version 2, signed with the test-only seed 01 02 .. 20.
        private const int FixtureImageSize = 300;
        private const string FixtureKey = "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664";
        private const string FixtureTrailer =
            "4e464f54415349470101c000020000002c0100000000000004773f8726c81cafcfa1a09a82664b98b00d2021031a1715"
            + "bca1154f2dad347205312e322e3300000000000000000000000000000000000000000000000000000000000000000000"
            + "000000000000000000000000000000000000000000000000000000000000000046f3e8b986056f08bdcf7379d4aaecd8"
            + "aa731c6999e88ca5d65a64578bbd61b06bdb33192f6eb57cb78d3f9e7e4357d58eab6fff61578e7c537fee18b966a407";

        private static byte[] SignedFixture()
        {
            byte[] trailer = SecurityTestBytes.FromHex(FixtureTrailer);
            byte[] image = new byte[FixtureImageSize + trailer.Length];
            for (int i = 0; i < FixtureImageSize; i++) image[i] = (byte)(i * 7 + 3);
            for (int i = 0; i < trailer.Length; i++) image[FixtureImageSize + i] = trailer[i];
            return image;
        }

        private static SignatureFailure Check(byte[] signed, int chunk, byte[] key, string version, uint minimumSecureVersion)
        {
            SignedImageVerifier v = new SignedImageVerifier();
            v.Begin(signed.Length);
            for (int offset = 0; offset < signed.Length; offset += chunk)
            {
                int n = signed.Length - offset < chunk ? signed.Length - offset : chunk;
                v.Update(signed, offset, n);
            }
            SignatureFailure reason;
            bool ok = v.Verify(key, version, minimumSecureVersion, out reason);
            Assert.AreEqual(ok, reason == SignatureFailure.None);
            return reason;
        }

        private static SignatureFailure Check(byte[] signed)
        {
            return Check(signed, 64, SecurityTestBytes.FromHex(FixtureKey), "1.2.3", 0);
        }

        [TestMethod]
        public void FixtureHasTheDocumentedSize()
        {
            Assert.AreEqual(SignedImageVerifier.TrailerSize, FixtureTrailer.Length / 2);
        }

        [TestMethod]
        public void AcceptsTheFixtureInAnyChunking()
        {
            byte[] signed = SignedFixture();
            byte[] key = SecurityTestBytes.FromHex(FixtureKey);
            // 1 byte at a time, chunks that straddle the image/trailer boundary, one chunk
            int[] chunks = { 1, 7, 64, 191, 299, 300, 301, 4096 };
            for (int i = 0; i < chunks.Length; i++)
            {
                Assert.AreEqual((int)SignatureFailure.None, (int)Check(signed, chunks[i], key, "1.2.3", 2), "chunk " + chunks[i].ToString());
            }
        }

        [TestMethod]
        public void ReportsTheImageEndAndTheSignedFields()
        {
            byte[] signed = SignedFixture();
            SignedImageVerifier v = new SignedImageVerifier();
            v.Begin(signed.Length);
            Assert.AreEqual(300L, v.ImageLength);
            v.Update(signed, 0, signed.Length);
            Assert.IsNull(v.SignedVersion);
            SignatureFailure reason;
            Assert.IsTrue(v.Verify(SecurityTestBytes.FromHex(FixtureKey), "v1.2.3", out reason));
            Assert.AreEqual("1.2.3", v.SignedVersion);
            Assert.AreEqual(2u, v.SecureVersion);
            Assert.AreEqual((long)signed.Length, v.Position);
        }

        [TestMethod]
        public void RefusesAChangedImageByte()
        {
            byte[] signed = SignedFixture();
            int[] positions = { 0, 1, 150, 298, 299 };
            for (int i = 0; i < positions.Length; i++)
            {
                signed[positions[i]] ^= 0x04;
                Assert.AreEqual((int)SignatureFailure.DigestMismatch, (int)Check(signed));
                signed[positions[i]] ^= 0x04;
            }
            Assert.AreEqual((int)SignatureFailure.None, (int)Check(signed));
        }

        [TestMethod]
        public void RefusesAChangedTrailerByteWithTheMatchingReason()
        {
            byte[] signed = SignedFixture();
            int t = FixtureImageSize;
            ExpectAfterFlip(signed, t + 0, SignatureFailure.NoSignature);              // magic
            ExpectAfterFlip(signed, t + 8, SignatureFailure.BadFormat);                // format version
            ExpectAfterFlip(signed, t + 9, SignatureFailure.BadFormat);                // algorithm
            ExpectAfterFlip(signed, t + 10, SignatureFailure.BadFormat);               // trailer size
            ExpectAfterFlip(signed, t + 12, SignatureFailure.BadSignature);            // secure version: signed
            ExpectAfterFlip(signed, t + 16, SignatureFailure.BadFormat);               // image size
            ExpectAfterFlip(signed, t + 24, SignatureFailure.DigestMismatch);          // digest
            ExpectAfterFlip(signed, t + 56, SignatureFailure.BadFormat);               // version length
            ExpectAfterFlip(signed, t + 59, SignatureFailure.BadSignature);            // version text "1.0.3"
            ExpectAfterFlip(signed, t + 100, SignatureFailure.BadFormat);              // padding
            ExpectAfterFlip(signed, t + 125, SignatureFailure.BadFormat);              // reserved
            ExpectAfterFlip(signed, t + 130, SignatureFailure.BadSignature);           // R
            ExpectAfterFlip(signed, t + 170, SignatureFailure.BadSignature);           // S
            ExpectAfterFlip(signed, t + 191, SignatureFailure.BadSignature);           // S, top byte (S >= L)
        }

        private static void ExpectAfterFlip(byte[] signed, int position, SignatureFailure expected)
        {
            signed[position] ^= 0x02;
            Assert.AreEqual((int)expected, (int)Check(signed), "byte " + position.ToString());
            signed[position] ^= 0x02;
        }

        [TestMethod]
        public void RefusesAnotherKeyVersionOrSecureVersion()
        {
            byte[] signed = SignedFixture();
            byte[] key = SecurityTestBytes.FromHex(FixtureKey);
            byte[] otherKey = SecurityTestBytes.FromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
            Assert.AreEqual((int)SignatureFailure.BadSignature, (int)Check(signed, 64, otherKey, "1.2.3", 0));
            Assert.AreEqual((int)SignatureFailure.BadPublicKey, (int)Check(signed, 64, new byte[31], "1.2.3", 0));
            Assert.AreEqual((int)SignatureFailure.BadPublicKey, (int)Check(signed, 64, null, "1.2.3", 0));
            Assert.AreEqual((int)SignatureFailure.VersionMismatch, (int)Check(signed, 64, key, "1.2.4", 0));
            Assert.AreEqual((int)SignatureFailure.VersionMismatch, (int)Check(signed, 64, key, null, 0));
            Assert.AreEqual((int)SignatureFailure.SecureVersionTooLow, (int)Check(signed, 64, key, "1.2.3", 3));
            Assert.AreEqual((int)SignatureFailure.None, (int)Check(signed, 64, key, "1.2.3", 2));
        }

        [TestMethod]
        public void RefusesTruncatedAndUnsignedImages()
        {
            byte[] signed = SignedFixture();
            byte[] key = SecurityTestBytes.FromHex(FixtureKey);

            // the download stops short of the announced size
            SignedImageVerifier v = new SignedImageVerifier();
            v.Begin(signed.Length);
            v.Update(signed, 0, signed.Length - 1);
            SignatureFailure reason;
            Assert.IsFalse(v.Verify(key, "1.2.3", out reason));
            Assert.AreEqual((int)SignatureFailure.SizeMismatch, (int)reason);

            // more than announced
            v.Begin(signed.Length);
            v.Update(signed, 0, signed.Length);
            v.Update(signed, 0, 1);
            Assert.IsFalse(v.Verify(key, "1.2.3", out reason));
            Assert.AreEqual((int)SignatureFailure.SizeMismatch, (int)reason);

            // a file whose trailer lost its last byte: the trailer no longer starts where it should
            byte[] cut = new byte[signed.Length - 1];
            for (int i = 0; i < cut.Length; i++) cut[i] = signed[i];
            Assert.AreEqual((int)SignatureFailure.NoSignature, (int)Check(cut));

            // the image alone, and a file smaller than a trailer
            byte[] bare = new byte[FixtureImageSize];
            for (int i = 0; i < bare.Length; i++) bare[i] = signed[i];
            Assert.AreEqual((int)SignatureFailure.NoSignature, (int)Check(bare));
            Assert.AreEqual((int)SignatureFailure.NoSignature, (int)Check(new byte[100]));
        }

        [TestMethod]
        public void ResumesFromASavedState()
        {
            byte[] signed = SignedFixture();
            int[] cuts = { 0, 128, 300, 301, 400, signed.Length };
            for (int c = 0; c < cuts.Length; c++)
            {
                SignedImageVerifier first = new SignedImageVerifier();
                first.Begin(signed.Length);
                first.Update(signed, 0, cuts[c]);
                byte[] state = new byte[first.StateSize + 3];
                first.SaveState(state, 3);

                SignedImageVerifier resumed = new SignedImageVerifier();
                Assert.IsTrue(resumed.LoadState(state, 3));
                Assert.AreEqual((long)cuts[c], resumed.Position);
                resumed.Update(signed, cuts[c], signed.Length - cuts[c]);
                SignatureFailure reason;
                Assert.IsTrue(resumed.Verify(SecurityTestBytes.FromHex(FixtureKey), "1.2.3", out reason), "cut " + cuts[c].ToString());
            }
        }

        [TestMethod]
        public void ResumesByReadingBackTheSlot()
        {
            byte[] signed = SignedFixture();
            RamFlashSlot slot = new RamFlashSlot("ota_1", 4096, 4096);
            slot.Erase(0, 4096);
            slot.Write(0, signed, 0, signed.Length);
            byte[] buffer = new byte[50];
            int[] cuts = { 0, 299, 300, 350, signed.Length };
            for (int c = 0; c < cuts.Length; c++)
            {
                SignedImageVerifier v = new SignedImageVerifier();
                Assert.IsTrue(v.Resume(slot, signed.Length, cuts[c], buffer));
                Assert.AreEqual((long)cuts[c], v.Position);
                v.Update(signed, cuts[c], signed.Length - cuts[c]);
                SignatureFailure reason;
                Assert.IsTrue(v.Verify(SecurityTestBytes.FromHex(FixtureKey), "1.2.3", out reason), "cut " + cuts[c].ToString());
            }

            // a slot whose written part differs from what was downloaded is caught at the end
            slot.Erase(0, 4096);
            signed[10] ^= 1;
            slot.Write(0, signed, 0, signed.Length);
            signed[10] ^= 1;
            SignedImageVerifier changed = new SignedImageVerifier();
            Assert.IsTrue(changed.Resume(slot, signed.Length, 100, buffer));
            changed.Update(signed, 100, signed.Length - 100);
            SignatureFailure why;
            Assert.IsFalse(changed.Verify(SecurityTestBytes.FromHex(FixtureKey), "1.2.3", out why));
            Assert.AreEqual((int)SignatureFailure.DigestMismatch, (int)why);

            Assert.IsFalse(new SignedImageVerifier().Resume(slot, 100, 101, buffer));
            Assert.IsFalse(new SignedImageVerifier().Resume(null, 100, 10, buffer));
        }

        [TestMethod]
        public void RefusesAnImplausibleSavedState()
        {
            SignedImageVerifier v = new SignedImageVerifier();
            byte[] state = new byte[v.StateSize];
            for (int i = 0; i < state.Length; i++) state[i] = 0xFF; // negative sizes
            Assert.IsFalse(v.LoadState(state, 0));
            Assert.IsFalse(v.LoadState(new byte[10], 0));
            Assert.IsFalse(v.LoadState(null, 0));
        }

        [TestMethod]
        public void MapsReasonsToUpdateErrors()
        {
            Assert.AreEqual((int)UpdateError.None, (int)SignedImageVerifier.ToUpdateError(SignatureFailure.None));
            Assert.AreEqual((int)UpdateError.SignatureInvalid, (int)SignedImageVerifier.ToUpdateError(SignatureFailure.NoSignature));
            Assert.AreEqual((int)UpdateError.SignatureInvalid, (int)SignedImageVerifier.ToUpdateError(SignatureFailure.BadSignature));
            Assert.AreEqual((int)UpdateError.SignatureInvalid, (int)SignedImageVerifier.ToUpdateError(SignatureFailure.VersionMismatch));
            Assert.AreEqual((int)UpdateError.DowngradeRefused, (int)SignedImageVerifier.ToUpdateError(SignatureFailure.SecureVersionTooLow));
            Assert.AreEqual((int)UpdateError.DownloadFailed, (int)SignedImageVerifier.ToUpdateError(SignatureFailure.SizeMismatch));
            Assert.Contains("not signed", SignedImageVerifier.Describe(SignatureFailure.NoSignature));
            Assert.Contains("secure version", SignedImageVerifier.Describe(SignatureFailure.SecureVersionTooLow));
        }
    }
}
