// nf-ota: the device application. Joins Wi-Fi, reads the settings, and runs the update agent, which
// first settles a trial image (self-test, then confirm or roll back) and then waits for updates.
//
// nanoFramework APIs called here, verified against:
// - nanoframework/System.Device.Wifi v1.5.149 System.Device.Wifi/NetworkHelper/WifiNetworkHelper.cs:
//   namespace nanoFramework.Networking; public static bool Reconnect(bool requiresDateTime = false,
//   int wifiAdapterId = 0, CancellationToken token = default) - uses the credentials stored on the device
//   (nanoff --networkdeployment "WirelessClient"); public static NetworkHelperStatus Status.
// - nanoframework/System.Net nanoFramework.System.Net/NetworkHelper/NetworkHelperStatus.cs.
// - nanoframework/System.Threading nanoFramework.System.Threading/Threading/CancellationTokenSource.cs:
//   public CancellationTokenSource(Int32 millisecondsDelay); public CancellationToken Token.
// - nanoframework/CoreLibrary v1.17.11: System/Console.cs WriteLine(string) (to the debugger's output),
//   System/Reflection/Assembly.cs GetExecutingAssembly().GetName().Version (fully qualified below: the
//   subset checker does not list System.Reflection, which CoreLibrary has), System/Threading/Thread.cs Sleep.
// - nanoframework/nanoFramework.System.Text System/Text/Encoding.cs: Encoding.UTF8.GetString(byte[], int, int).
// The nf-ota calls (SettingsParser, PlatformAdapters, UpdateAgent) are this repository's core.

using System;
using System.Text;
using System.Threading;
using nanoFramework.Networking;
using NfOta.Agent;
using NfOta.Device.Bindings;
using NfOta.Esp32Ota;
using NfOta.Ports;
using NfOta.Protocols;
using NfOta.Settings;

namespace NfOta.Device
{
    public static class Program
    {
        /// <summary>Where the settings file and the agent's journal live (the littlefs config partition).</summary>
        public const string Folder = "I:\\nf-ota";

        public const string SettingsFileName = "settings.json";

        /// <summary>
        /// Which image this device takes updates for. Deployment: the managed application (this program and
        /// its assemblies, the .bin Visual Studio builds). Firmware: nanoCLR itself (nanoCLR.bin of the
        /// nf-interpreter build). Both switch together with the slot pair, see EspOtaBootControl.
        /// </summary>
        public static readonly OtaImageKind UpdateKind = OtaImageKind.Deployment;

        private const int MaxSettingsBytes = 16384;
        private const int WifiTimeoutMs = 60000;
        private const int SettingsRetryMs = 30000;
        private const int TrialWifiAttempts = 3;

        private static int _lastPercent = -1;

        public static void Main()
        {
            Log("nf-ota: starting");

            EspOtaBootControl boot = new EspOtaBootControl(UpdateKind);
            int running = boot.RunningSlot;
            ImageState state = boot.GetState(running);
            Log("nf-ota: running slot " + running.ToString() + " (" + StateName(state) + "), nanoCLR " + FirmwareVersion(running)
                + ", updates: " + (UpdateKind == OtaImageKind.Firmware ? "firmware" : "deployment"));

            if (running < 0)
            {
                Halt("nanoCLR runs from a factory partition: flash the nf-ota partition table and nanoCLR into ota_0 (docs/esp32.md)");
            }

            FileStorage storage = new FileStorage(Folder);
            DeviceSettings settings = LoadSettings(storage, boot, state);
            IPlatformAdapter adapter = PlatformAdapters.Create(settings);
            if (adapter == null)
            {
                GiveUp(boot, state, "settings name an unknown platform: " + settings.Platform);
            }

            JoinNetwork(settings, boot, state);

            DeviceClock clock = new DeviceClock();
            M2MqttPort mqtt = new M2MqttPort(settings);

            AgentPorts ports = new AgentPorts();
            ports.Mqtt = mqtt;
            ports.Http = new HttpRangeSource(settings);
            ports.Boot = boot;
            ports.Clock = clock;
            ports.Storage = storage;

            string version = RunningVersion(running);
            Log("nf-ota: " + adapter.Name + " via " + settings.BrokerHost + ":" + settings.BrokerPort.ToString() + ", running version " + version);

            // the self-test must answer before the agent's own self-test timeout runs out
            int selfTestBudgetMs = settings.SelfTestTimeoutSeconds * 1000 * 3 / 4;
            UpdateAgent agent = new UpdateAgent(settings, adapter, ports, version, new DeviceSelfTest(mqtt, adapter, clock, selfTestBudgetMs));
            agent.Changed += OnAgentChanged;

            // Settles a trial image on its first step, then listens for offers. Returns when it asked for a
            // reboot, which on the device does not come back.
            agent.Run();

            if (!agent.RestartRequested)
            {
                Log("nf-ota: agent stopped");
            }

            Thread.Sleep(Timeout.Infinite);
        }

        /// <summary>The version the agent reports: the deployment's assembly version, or nanoCLR's app version.</summary>
        private static string RunningVersion(int runningSlot)
        {
            if (UpdateKind == OtaImageKind.Firmware)
            {
                return FirmwareVersion(runningSlot);
            }

            return System.Reflection.Assembly.GetExecutingAssembly().GetName().Version.ToString();
        }

        /// <summary>esp_app_desc_t.version of nanoCLR in a slot, or "?".</summary>
        private static string FirmwareVersion(int slot)
        {
            if (slot < 0)
            {
                return "?";
            }

            byte[] buffer = new byte[32];
            int length = OtaNative.AppVersion(slot, buffer);
            return length > 0 ? Encoding.UTF8.GetString(buffer, 0, length) : "?";
        }

        private static DeviceSettings LoadSettings(FileStorage storage, EspOtaBootControl boot, ImageState state)
        {
            byte[] buffer = new byte[MaxSettingsBytes];

            while (true)
            {
                int length = storage.Read(SettingsFileName, buffer);
                string problem;

                if (length < 0)
                {
                    problem = "no readable " + storage.Folder + SettingsFileName + " (at most " + MaxSettingsBytes.ToString() + " bytes)";
                }
                else
                {
                    byte[] json = new byte[length];
                    Array.Copy(buffer, json, length);
                    SettingsResult result = SettingsParser.Parse(json);
                    if (result.Ok)
                    {
                        return result.Settings;
                    }

                    problem = "settings rejected: " + result.Error;
                }

                // a trial image that cannot even read its settings can never be updated again: go back now
                if (state == ImageState.PendingVerify || state == ImageState.New)
                {
                    GiveUp(boot, state, problem);
                }

                Log("nf-ota: " + problem + "; retrying in " + (SettingsRetryMs / 1000).ToString() + " s");
                Thread.Sleep(SettingsRetryMs);
            }
        }

        private static void JoinNetwork(DeviceSettings settings, EspOtaBootControl boot, ImageState state)
        {
            // TLS checks certificate dates, so wait for SNTP when TLS is in play
            bool needTime = settings.BrokerTls || settings.RequireTls;

            for (int attempt = 1; ; attempt++)
            {
                // a new nanoCLR whose Wi-Fi does not work would never be updated again
                if (attempt > TrialWifiAttempts && (state == ImageState.PendingVerify || state == ImageState.New))
                {
                    GiveUp(boot, state, "no network on the trial boot");
                }

                CancellationTokenSource timeout = new CancellationTokenSource(WifiTimeoutMs);
                if (WifiNetworkHelper.Reconnect(needTime, 0, timeout.Token))
                {
                    Log("nf-ota: network ready");
                    return;
                }

                Log("nf-ota: Wi-Fi not ready (" + WifiNetworkHelper.Status.ToString() + "); set the credentials with nanoff --networkdeployment; retrying");
            }
        }

        /// <summary>Stops for good on a confirmed image; rolls back a trial image that cannot run the agent.</summary>
        private static void GiveUp(EspOtaBootControl boot, ImageState state, string why)
        {
            if (state == ImageState.PendingVerify || state == ImageState.New)
            {
                Log("nf-ota: " + why + "; rolling back to the previous image");
                boot.RollBack();
            }

            Halt(why);
        }

        private static void Halt(string why)
        {
            Log("nf-ota: " + why);
            Thread.Sleep(Timeout.Infinite);
        }

        private static void OnAgentChanged(UpdateAgent sender, AgentEvent e)
        {
            switch (e.Kind)
            {
                case AgentEventKind.StateChanged:
                    _lastPercent = -1;
                    if (e.Error != UpdateError.None)
                    {
                        Log("nf-ota: " + UpdateAgent.StateName(e.State) + " (" + UpdateAgent.ErrorName(e.Error) + ")");
                    }
                    else
                    {
                        Log("nf-ota: " + UpdateAgent.StateName(e.State));
                    }

                    break;

                case AgentEventKind.Progress:
                    if (e.Size > 0)
                    {
                        int percent = (int)(e.Position * 100 / e.Size);
                        if (percent / 10 != _lastPercent / 10)
                        {
                            _lastPercent = percent;
                            Log("nf-ota: downloaded " + e.Position.ToString() + " of " + e.Size.ToString() + " bytes (" + percent.ToString() + "%)");
                        }
                    }

                    break;

                default:
                    if (e.Message != null)
                    {
                        Log("nf-ota: " + e.Message);
                    }

                    break;
            }
        }

        private static string StateName(ImageState state)
        {
            switch (state)
            {
                case ImageState.New:
                    return "new";
                case ImageState.PendingVerify:
                    return "on trial";
                case ImageState.Valid:
                    return "confirmed";
                case ImageState.Invalid:
                    return "invalid";
                case ImageState.Aborted:
                    return "aborted";
                default:
                    return "not recorded";
            }
        }

        private static void Log(string line)
        {
            Console.WriteLine(line);
        }
    }
}
