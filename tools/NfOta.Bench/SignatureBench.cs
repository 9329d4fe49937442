using System;
using System.Diagnostics;
using NfOta.Pc.Signing;
using NfOta.Security;

namespace NfOta.Bench
{
    /// <summary>
    /// Figures for signed updates: Ed25519 verification time and allocation, and the per-chunk cost
    /// of SignedImageVerifier.Update (which must allocate nothing). Call SignatureBench.Run() from Main.
    /// </summary>
    public static class SignatureBench
    {
        public static void Run()
        {
            var seed = new byte[32];
            new Random(1).NextBytes(seed);
            var image = new byte[1 << 20];
            new Random(2).NextBytes(image);
            byte[] signed = ImageSigner.Sign(image, "1.0.0", 1, seed);
            byte[] publicKey = Convert.FromBase64String(ImageSigner.PublicKeyOf(seed));

            // Ed25519 alone, on the 128-byte signed part of the trailer
            byte[] trailer = signed.AsSpan(image.Length).ToArray();
            byte[] signature = trailer.AsSpan(SignedImageVerifier.SignatureOffset).ToArray();
            for (int i = 0; i < 5; i++) Ed25519.Verify(publicKey, trailer, 0, SignedImageVerifier.SignedPartSize, signature);
            const int rounds = 200;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < rounds; i++)
            {
                if (!Ed25519.Verify(publicKey, trailer, 0, SignedImageVerifier.SignedPartSize, signature)) throw new Exception("verify failed");
            }
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine($"ed25519 verify: {watch.Elapsed.TotalMilliseconds / rounds:F2} ms each on this PC, {allocated / rounds} bytes allocated per call (one-off scratch)");

            // the signed-image verifier over 1 MiB in 4 KiB chunks
            var verifier = new SignedImageVerifier();
            var chunk = new byte[4096];
            for (int pass = 0; pass < 2; pass++)
            {
                verifier.Begin(signed.Length);
                before = GC.GetAllocatedBytesForCurrentThread();
                watch.Restart();
                int chunks = 0;
                for (int offset = 0; offset < signed.Length; offset += chunk.Length)
                {
                    int n = Math.Min(chunk.Length, signed.Length - offset);
                    Buffer.BlockCopy(signed, offset, chunk, 0, n);
                    verifier.Update(chunk, 0, n);
                    chunks++;
                }
                watch.Stop();
                long perChunk = (GC.GetAllocatedBytesForCurrentThread() - before) / chunks;
                if (!verifier.Verify(publicKey, "1.0.0", out var reason)) throw new Exception("image refused: " + reason);
                if (pass == 1)
                {
                    Console.WriteLine($"signed image update: {signed.Length / 1048576.0 / watch.Elapsed.TotalSeconds:F0} MiB/s, {perChunk} bytes allocated per 4 KiB chunk over {chunks} chunks");
                }
            }
        }
    }
}
