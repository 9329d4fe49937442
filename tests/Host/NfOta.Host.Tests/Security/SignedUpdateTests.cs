using System;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Pc.Signing;
using NfOta.Security;
using NfOta.Tests.Support;
using Xunit;

namespace NfOta.Host.Tests.Security
{
    /// <summary>
    /// The agent with a signing key in its settings: it installs only images whose trailer verifies
    /// with that key for the offered version, whatever checksum the platform announces. Images are
    /// signed by the PC signer (NSec) and checked by the core's own Ed25519.
    /// </summary>
    public sealed class SignedUpdateTests
    {
        private readonly byte[] _seed;
        private readonly string _publicKey;

        public SignedUpdateTests()
        {
            var (privateKey, publicKey) = ImageSigner.CreateKey();
            _seed = Convert.FromBase64String(privateKey);
            _publicKey = publicKey;
        }

        private AgentRig SignedRig()
        {
            var rig = new AgentRig();
            rig.Settings.SigningPublicKey = _publicKey;
            rig.PowerOn();
            rig.Agent.Poll(0);
            return rig;
        }

        [Fact]
        public void ASignedImageIsInstalledAndItsSecureVersionBecomesTheMinimum()
        {
            AgentRig rig = SignedRig();
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 70000, true), "1.1.0", 3, _seed);
            rig.OfferHttp(signed, "1.1.0");
            Assert.True(rig.RunUntilRestart(), rig.Agent.LastMessage);
            rig.Restart();
            Assert.True(rig.RunUntilState(UpdateState.Confirmed));
            Assert.Equal(3u, SecureVersionStore.Read(rig.Storage));
        }

        [Fact]
        public void AnUnsignedImageIsRefusedEvenWithAMatchingChecksum()
        {
            AgentRig rig = SignedRig();
            rig.OfferHttp(AgentRig.MakeImage("1.1.0", 70000, true), "1.1.0");
            Assert.True(rig.RunUntilState(UpdateState.Failed));
            Assert.Equal(UpdateError.SignatureInvalid, rig.Agent.LastError);
            Assert.Equal(0, rig.Boot.Selected);
            Assert.Equal(0, rig.Adapter.Count(ReportKind.Verified));
        }

        [Fact]
        public void AnImageSignedByAnotherKeyIsRefused()
        {
            AgentRig rig = SignedRig();
            var (otherPrivate, _) = ImageSigner.CreateKey();
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 70000, true), "1.1.0", 0, Convert.FromBase64String(otherPrivate));
            rig.OfferHttp(signed, "1.1.0");
            Assert.True(rig.RunUntilState(UpdateState.Failed));
            Assert.Equal(UpdateError.SignatureInvalid, rig.Agent.LastError);
        }

        [Fact]
        public void ASignedImageOfferedUnderAnotherVersionIsRefused()
        {
            AgentRig rig = SignedRig();
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 70000, true), "1.1.0", 0, _seed);
            rig.OfferHttp(signed, "1.2.0");
            Assert.True(rig.RunUntilState(UpdateState.Failed));
            Assert.Equal(UpdateError.SignatureInvalid, rig.Agent.LastError);
            Assert.Contains("version", rig.Agent.LastMessage);
        }

        [Fact]
        public void AnImageBelowTheAntiRollbackMinimumIsRefused()
        {
            AgentRig rig = SignedRig();
            SecureVersionStore.Raise(rig.Storage, 5);
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 70000, true), "1.1.0", 4, _seed);
            rig.OfferHttp(signed, "1.1.0");
            Assert.True(rig.RunUntilState(UpdateState.Failed));
            Assert.Equal(UpdateError.DowngradeRefused, rig.Agent.LastError);
        }

        [Fact]
        public void ATamperedByteAnywhereIsRefused()
        {
            AgentRig rig = SignedRig();
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 70000, true), "1.1.0", 0, _seed);
            signed[12345] ^= 1;
            // The platform's checksum is of the tampered file, so only the signature can catch it.
            rig.OfferHttp(signed, "1.1.0");
            Assert.True(rig.RunUntilState(UpdateState.Failed));
            Assert.Equal(UpdateError.SignatureInvalid, rig.Agent.LastError);
        }

        [Fact]
        public void AResumedSignedDownloadStillVerifies()
        {
            AgentRig rig = SignedRig();
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 150000, true), "1.1.0", 1, _seed);
            rig.Http.PowerCutAt = 90000;
            rig.OfferHttp(signed, "1.1.0");
            Assert.Throws<PowerCutException>(() => rig.RunUntilRestart());
            rig.Restart();
            Assert.True(rig.RunUntilRestart(), rig.Agent.LastMessage);
            Assert.True(rig.Http.LastOffset > 0);
            rig.Restart();
            Assert.True(rig.RunUntilState(UpdateState.Confirmed));
        }

        [Fact]
        public void AKeyThatDoesNotDecodeFailsClosed()
        {
            var rig = new AgentRig();
            rig.Settings.SigningPublicKey = "not base64!";
            rig.PowerOn();
            rig.Agent.Poll(0);
            byte[] signed = ImageSigner.Sign(AgentRig.MakeImage("1.1.0", 20000, true), "1.1.0", 0, _seed);
            rig.OfferHttp(signed, "1.1.0");
            Assert.True(rig.RunUntilState(UpdateState.Failed));
            Assert.Equal(UpdateError.SignatureInvalid, rig.Agent.LastError);
        }
    }
}
