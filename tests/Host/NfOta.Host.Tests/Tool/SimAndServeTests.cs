using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using NfOta.Pc.Device;
using NfOta.Pc.Net;
using Xunit;

namespace NfOta.Host.Tests.Tool
{
    /// <summary>
    /// What a user does on the PC: `nf-ota serve` plays ThingsBoard on a real mosquitto, `nf-ota sim`
    /// is a device whose flash lives in a directory. Two processes, one broker; then the device is
    /// started again from the same directory and still runs the new image.
    /// </summary>
    public sealed class SimAndServeTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfota-simserve-" + Guid.NewGuid().ToString("N"));

        public SimAndServeTests() => Directory.CreateDirectory(_dir);

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

        private Process Start(StringBuilder output, params string[] args)
        {
            var p = new Process { StartInfo = NfOtaProcess.StartInfo(_dir, args) };
            p.OutputDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        [Fact]
        public void ServeAndSimUpdateThroughMosquittoAndTheFlashDirectoryKeepsTheNewImage()
        {
            Assert.True(MosquittoBroker.IsAvailable, "mosquitto is installed (apt-get install -y mosquitto)");
            using var broker = new MosquittoBroker();
            broker.Start();

            string settingsPath = Path.Combine(_dir, "device.json");
            var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(RehearsalSettings.RepositoryFolder("examples"), "settings", "thingsboard.json")))!;
            settings["broker"]!["host"] = broker.Host;
            settings["broker"]!["port"] = broker.Port;
            File.WriteAllText(settingsPath, settings.ToJsonString());
            string flash = Path.Combine(_dir, "board");

            var serveOut = new StringBuilder();
            var simOut = new StringBuilder();
            var mk = Start(new StringBuilder(), "mkimage", "--version", "1.1.0", "--size", "150000", "--out", "fw.bin");
            Assert.True(mk.WaitForExit(60000) && mk.ExitCode == 0);

            using var serve = Start(serveOut, "serve", "--platform", "thingsboard", "--broker", broker.Host + ":" + broker.Port, "--image", "fw.bin", "--until-done");
            using var sim = Start(simOut, "sim", "--settings", settingsPath, "--flash", flash, "--seconds", "90");
            bool served = serve.WaitForExit(100000);
            if (served)
            {
                serve.WaitForExit(); // the parameterless wait also drains the redirected output
            }

            try
            {
                Assert.True(served, "serve ended: " + serveOut);
                Assert.Equal(0, serve.ExitCode);
                Assert.True(serveOut.ToString().Contains("UPDATED v1.1.0"), "serve said: " + serveOut + " sim said: " + simOut);
            }
            finally
            {
                if (!sim.HasExited)
                {
                    sim.Kill(true);
                }

                sim.WaitForExit();
                if (!serve.HasExited)
                {
                    serve.Kill(true);
                }
            }

            // The same board again: it boots the confirmed image from its flash directory.
            var again = new StringBuilder();
            using var sim2 = Start(again, "sim", "--settings", settingsPath, "--flash", flash, "--seconds", "3");
            Assert.True(sim2.WaitForExit(60000));
            sim2.WaitForExit();
            Assert.Contains("bootloader runs ota_1 (version 1.1.0, state Valid)", again.ToString());
        }
    }
}
