using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json.Nodes;
using NfOta.Pc.Signing;
using NfOta.Security;
using Xunit;

namespace NfOta.Host.Tests.Tool
{
    /// <summary>The nf-ota command as a user runs it: a separate process, its exit code and its output.</summary>
    public sealed class ToolCommandTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfota-tool-" + Guid.NewGuid().ToString("N"));

        public ToolCommandTests() => Directory.CreateDirectory(_dir);

        public void Dispose()
        {
            try
            {
                Directory.Delete(_dir, true);
            }
            catch (IOException)
            {
            }
        }

        private (int Exit, string Out, string Err) Run(params string[] args)
        {
            using var p = Process.Start(NfOtaProcess.StartInfo(_dir, args))!;
            string output = p.StandardOutput.ReadToEndAsync().GetAwaiter().GetResult();
            string error = p.StandardError.ReadToEndAsync().GetAwaiter().GetResult();
            Assert.True(p.WaitForExit(60000), "nf-ota did not exit");
            return (p.ExitCode, output, error);
        }

        private string PathOf(string name) => Path.Combine(_dir, name);

        [Fact]
        public void PackReadsTheVersionFromTheAppImageAndGivesEveryDigest()
        {
            Assert.Equal(0, Run("mkimage", "--version", "2.4.1", "--size", "70000", "--secure-version", "3", "--out", PathOf("fw.bin")).Exit);
            var (exit, output, _) = Run("pack", PathOf("fw.bin"), "--title", "pump");
            Assert.Equal(0, exit);
            var json = JsonNode.Parse(output)!;
            Assert.Equal("2.4.1", (string)json["version"]!);
            Assert.Equal(3u, (uint)json["secureVersion"]!);
            Assert.Equal(70000, (long)json["size"]!);
            byte[] bytes = File.ReadAllBytes(PathOf("fw.bin"));
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(), (string)json["sha256"]!);
        }

        [Fact]
        public void PackRefusesAFileThatIsNotAnAppImageInOneLine()
        {
            File.WriteAllText(PathOf("notes.txt"), "hello, this is not firmware at all, not even close to it...........................................................................................................................................................................................................................................................................................");
            var (exit, output, error) = Run("pack", PathOf("notes.txt"));
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.StartsWith("nf-ota: ", error);
            Assert.Contains("not an ESP-IDF app image", error);
            Assert.Single(error.TrimEnd().Split('\n'));
        }

        [Fact]
        public void PackRefusesAnImageForAnotherChip()
        {
            Run("mkimage", "--version", "1.0.0", "--chip", "esp32s3", "--out", PathOf("s3.bin"));
            var (exit, _, error) = Run("pack", PathOf("s3.bin"), "--chip", "esp32");
            Assert.Equal(2, exit);
            Assert.Contains("chip", error);
        }

        [Fact]
        public void PackSignsWithAKeyFromKeygenAndTheCoreVerifierAcceptsIt()
        {
            var (kexit, kout, _) = Run("keygen", "--out", PathOf("release.key"));
            Assert.Equal(0, kexit);
            string publicKey = kout.Trim().Split('\n')[^1].Trim();
            Run("mkimage", "--version", "1.5.0", "--size", "50000", "--out", PathOf("fw.bin"));
            Assert.Equal(0, Run("pack", PathOf("fw.bin"), "--sign", PathOf("release.key")).Exit);

            byte[] signed = File.ReadAllBytes(PathOf("fw.bin.signed"));
            var verifier = new SignedImageVerifier();
            verifier.Begin(signed.Length);
            verifier.Update(signed, 0, signed.Length);
            Assert.True(verifier.Verify(Convert.FromBase64String(publicKey), "1.5.0", out SignatureFailure reason), reason.ToString());
            Assert.True(ImageSigner.IsSigned(signed));

            Assert.Equal(2, Run("keygen", "--out", PathOf("release.key")).Exit);
        }

        [Fact]
        public void SimStopsWithAOneLineErrorNamingTheBrokenSettingsField()
        {
            File.WriteAllText(PathOf("bad.json"), "{\"platform\":\"thingsboard\",\"broker\":{\"host\":\"x\",\"port\":\"1883\"},\"identity\":{\"accessToken\":\"t\"}}");
            var (exit, _, error) = Run("sim", "--settings", PathOf("bad.json"), "--flash", PathOf("flash"));
            Assert.Equal(2, exit);
            Assert.Contains("broker.port", error);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.False(Directory.Exists(PathOf("flash")), "nothing created for a device that cannot start");
        }

        [Fact]
        public void AnUnknownCommandOrMissingOptionIsOneLineAndExitCodeTwo()
        {
            Assert.Equal(2, Run("frobnicate").Exit);
            var (exit, _, error) = Run("serve", "--platform", "thingsboard");
            Assert.Equal(2, exit);
            Assert.Contains("--broker", error);
        }
    }
}
