using System;
using System.Collections.Generic;

namespace NfOta.Tool
{
    /// <summary>The nf-ota command: one verb per job, one-line errors, non-zero exit codes on failure.</summary>
    public static class Program
    {
        private const string Usage = @"usage: nf-ota <command> [options]

  demo  [--platform NAME] [--broker embedded|mosquitto] [--flash DIR] [--unsigned]
        an end-to-end update on a simulated ESP32: 1.0.0 -> 1.1.0 (success), then 1.2.0 whose
        self-test fails (rolled back), then an unsigned 1.3.0 (refused). Exit code 0 only if all
        happened as expected.
  sim   --settings FILE --flash DIR [--factory-version V]
        a simulated device that keeps its flash and boot state in DIR and connects to the broker
        named in FILE; runs until Ctrl+C.
  serve --platform NAME --broker HOST:PORT --image FILE [--version V] [--title T] [--settings FILE]
        plays the platform's side: releases the image and prints the device's reports.
  pack  FILE [--version V] [--title T] [--chip esp32|esp32s3|...] [--kind firmware|deployment]
        [--sign KEYFILE [--secure-version N] [--signed-out FILE]] [--out FILE.json]
        describes an image as a server offers it: size, digests, version (read from an ESP-IDF
        app image's description when the file is one); --sign appends an Ed25519 trailer over
        the image digest, version and secure version, and describes the signed file.
  keygen --out KEYFILE
        a new Ed25519 signing key; prints the public key for security.signingPublicKey.
  mkimage --version V --out FILE [--size BYTES] [--selftest pass|fail] [--secure-version N]
        builds a test ESP-IDF app image (for rehearsals without a real nanoCLR build).
";

        public static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help")
            {
                Console.Write(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            Options options;
            try
            {
                options = Options.Parse(args, 1);
            }
            catch (ArgumentException ex)
            {
                return Fail(ex.Message);
            }

            try
            {
                switch (args[0])
                {
                    case "demo": return DemoCommand.Run(options);
                    case "sim": return SimCommand.Run(options);
                    case "serve": return ServeCommand.Run(options);
                    case "pack": return PackCommand.Run(options);
                    case "mkimage": return PackCommand.MakeImage(options);
                    case "keygen": return PackCommand.KeyGen(options);
                    default: return Fail("unknown command '" + args[0] + "' (try nf-ota --help)");
                }
            }
            catch (ToolException ex)
            {
                return Fail(ex.Message);
            }
        }

        internal static int Fail(string message)
        {
            Console.Error.WriteLine("nf-ota: " + message);
            return 2;
        }
    }

    /// <summary>An expected failure of a command: printed as one line, exit code 2.</summary>
    public sealed class ToolException : Exception
    {
        public ToolException(string message) : base(message)
        {
        }
    }

    /// <summary>--name value pairs, bare --flags and positional arguments.</summary>
    public sealed class Options
    {
        private readonly Dictionary<string, string> _named = new(StringComparer.Ordinal);
        public readonly List<string> Positional = new();

        public static Options Parse(string[] args, int start)
        {
            var o = new Options();
            for (int i = start; i < args.Length; i++)
            {
                string a = args[i];
                if (a.StartsWith("--", StringComparison.Ordinal))
                {
                    string name = a.Substring(2);
                    string value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
                    o._named[name] = value;
                }
                else
                {
                    o.Positional.Add(a);
                }
            }

            return o;
        }

        public string Get(string name, string fallback = null) => _named.TryGetValue(name, out var v) ? v : fallback;

        public string Require(string name) =>
            _named.TryGetValue(name, out var v) ? v : throw new ToolException("missing --" + name);

        public int GetInt(string name, int fallback)
        {
            string v = Get(name);
            if (v == null)
            {
                return fallback;
            }

            return int.TryParse(v, out int n) ? n : throw new ToolException("--" + name + " must be a number, not '" + v + "'");
        }
    }
}
