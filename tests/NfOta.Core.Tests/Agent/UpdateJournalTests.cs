using nanoFramework.TestFramework;
using NfOta.Agent;
using NfOta.Hashing;
using NfOta.Tests.Support;

namespace NfOta.Tests.Agent
{
    [TestClass]
    public class UpdateJournalTests
    {
        private static UpdateOffer Offer()
        {
            UpdateOffer o = new UpdateOffer();
            o.Version = "1.2.3";
            o.Title = "main";
            o.Size = 123456;
            o.HashAlgorithm = HashAlgorithmKind.Sha256;
            o.Hash = "ab12";
            o.Source = DownloadSource.HttpRange;
            o.Url = "https://example.com/fw.bin";
            o.MessageId = "42";
            return o;
        }

        [TestMethod]
        public void EveryFieldSurvivesARoundTrip()
        {
            MemoryStorage storage = new MemoryStorage();
            UpdateJournal j = new UpdateJournal(storage);
            j.State = UpdateState.Downloading;
            j.Offer = Offer();
            j.TargetSlot = 1;
            j.PreviousVersion = "1.0.0";
            j.RefusedVersion = "0.9";
            j.RefusedHash = "ff";
            j.OutcomePending = true;
            Assert.IsTrue(j.Save());

            IIncrementalHash h = HashFactory.Create(HashAlgorithmKind.Sha256);
            h.Update(new byte[] { 1, 2, 3 }, 0, 3);
            Assert.IsTrue(j.Checkpoint(65536, h));

            UpdateJournal back = new UpdateJournal(storage);
            Assert.IsTrue(back.Load());
            Assert.AreEqual((int)UpdateState.Downloading, (int)back.State);
            Assert.IsTrue(back.Offer.SameImageAs(Offer()));
            Assert.AreEqual("https://example.com/fw.bin", back.Offer.Url);
            Assert.AreEqual("42", back.Offer.MessageId);
            Assert.AreEqual((int)DownloadSource.HttpRange, (int)back.Offer.Source);
            Assert.AreEqual(1, back.TargetSlot);
            Assert.AreEqual(65536, (int)back.Position);
            Assert.AreEqual("1.0.0", back.PreviousVersion);
            Assert.AreEqual("0.9", back.RefusedVersion);
            Assert.AreEqual("ff", back.RefusedHash);
            Assert.IsTrue(back.OutcomePending);
            Assert.AreEqual(h.StateSize, back.HashStateLength);

            // The saved hash state continues exactly where it stopped.
            IIncrementalHash resumed = HashFactory.Create(HashAlgorithmKind.Sha256);
            resumed.LoadState(back.HashState, 0);
            resumed.Update(new byte[] { 4 }, 0, 1);
            h.Update(new byte[] { 4 }, 0, 1);
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            h.Final(a, 0);
            resumed.Final(b, 0);
            Assert.AreEqual(Hex.ToHex(a, 0, 32), Hex.ToHex(b, 0, 32));
        }

        [TestMethod]
        public void ATornWriteLeavesThePreviousRecord()
        {
            MemoryStorage storage = new MemoryStorage();
            UpdateJournal j = new UpdateJournal(storage);
            j.State = UpdateState.Downloading;
            j.Offer = Offer();
            Assert.IsTrue(j.Save());
            j.State = UpdateState.Staged;
            storage.TearNextWrite = true;
            bool cut = false;
            try
            {
                j.Save();
            }
            catch (PowerCutException)
            {
                cut = true;
            }

            Assert.IsTrue(cut);
            UpdateJournal back = new UpdateJournal(storage);
            Assert.IsTrue(back.Load());
            Assert.AreEqual((int)UpdateState.Downloading, (int)back.State, "the older intact record wins");
        }

        [TestMethod]
        public void AnEmptyOrCorruptStoreLoadsAsIdle()
        {
            MemoryStorage storage = new MemoryStorage();
            UpdateJournal j = new UpdateJournal(storage);
            Assert.IsFalse(j.Load());
            Assert.AreEqual((int)UpdateState.Idle, (int)j.State);
            storage.Write("nfota.journal.0", new byte[] { 1, 2, 3, 4, 5 }, 5);
            storage.Write("nfota.journal.1", new byte[600], 600);
            Assert.IsFalse(j.Load());
            Assert.IsNull(j.Offer);
        }
    }
}
