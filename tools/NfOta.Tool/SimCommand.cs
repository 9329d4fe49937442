using System;
using System.Threading;
using NfOta.Pc.Device;
using NfOta.Pc.Sim;
using NfOta.Settings;

namespace NfOta.Tool
{
    /// <summary>
    /// `nf-ota sim`: a simulated device that keeps its flash and boot state in a directory across runs
    /// and connects to the broker its settings file names. A new directory is flashed with a factory
    /// image first, as a new board is with nanoff.
    /// </summary>
    public static class SimCommand
    {
        public static int Run(Options o)
        {
            DeviceSettings settings = Settings.Load(o.Require("settings"));
            string flashDir = o.Require("flash");
            var console = new DemoConsole();
            using var device = new SimulatedDevice(flashDir, settings);
            if (!device.IsProvisioned)
            {
                string version = o.Get("factory-version", "1.0.0");
                device.Provision(new EspAppImageBuilder { Version = version, Size = o.GetInt("size", 600 * 1024), Seed = 1 }.Build());
                console.Line("device", "new flash in " + flashDir + ": flashed factory image " + version + " into ota_0");
            }

            device.Log += line => console.Line("device", line);
            device.AgentChanged += console.OnAgentEvent;
            using var stop = new ManualResetEventSlim();
            Console.CancelKeyPress += (s, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            console.Line("device", "connecting to " + settings.BrokerHost + ":" + settings.BrokerPort + " as a " + settings.Platform + " device; Ctrl+C stops");
            TimeSpan limit = o.Get("seconds") != null ? TimeSpan.FromSeconds(o.GetInt("seconds", 0)) : TimeSpan.FromDays(365);
            device.PowerOn();
            device.RunUntil(() => stop.IsSet, limit);
            console.Line("device", "stopped; running " + device.RunningVersion + " from " + device.RunningPartition?.Name);
            return device.Bricked ? 1 : 0;
        }
    }
}
