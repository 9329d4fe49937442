using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using NfOta.Images;
using NfOta.Pc.Servers;
using NfOta.Pc.Sim;
using NfOta.Pc.Signing;

namespace NfOta.Tool
{
    /// <summary>
    /// `nf-ota pack`: what a server offers for an image. For a firmware (nanoCLR) image the version,
    /// project name and secure version come from the ESP-IDF app description inside it, and a file
    /// that is not an app image for the chip is refused; a deployment image (--kind deployment) is
    /// taken as bytes with the version given on the command line.
    /// </summary>
    public static class PackCommand
    {
        public sealed record Packed(PackagedImage Image, EspAppImage App, string Kind);

        public static int Run(Options o)
        {
            if (o.Positional.Count != 1)
            {
                throw new ToolException("pack takes one image file");
            }

            string kind = o.Get("kind", "firmware");
            Packed p = Describe(o.Positional[0], o.Get("version"), o.Get("title", "main"), o.Get("chip"), kind);
            string signedPath = null;
            if (o.Get("sign") != null)
            {
                p = SignPacked(p, o.Get("sign"), (uint)o.GetInt("secure-version", (int)(p.App?.SecureVersion ?? 0)));
                signedPath = o.Get("signed-out", o.Positional[0] + ".signed");
                File.WriteAllBytes(signedPath, p.Image.Bytes);
                Console.Error.WriteLine("nf-ota: wrote " + signedPath + " (image + 192-byte Ed25519 trailer; release this file)");
            }
            var json = new JsonObject
            {
                ["kind"] = p.Kind,
                ["title"] = p.Image.Title,
                ["version"] = p.Image.Version,
                ["size"] = p.Image.Size,
                ["md5"] = p.Image.Md5,
                ["sha256"] = p.Image.Sha256,
                ["sha384"] = p.Image.Sha384,
                ["sha512"] = p.Image.Sha512,
                ["crc32"] = p.Image.Crc32,
            };
            if (signedPath != null)
            {
                json["signedFile"] = signedPath;
            }

            if (p.App != null)
            {
                json["projectName"] = p.App.ProjectName;
                json["secureVersion"] = p.App.SecureVersion;
                json["idfVersion"] = p.App.IdfVersion;
                json["chipId"] = p.App.ChipId;
            }

            string text = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine(text);
            string output = o.Get("out");
            if (output != null)
            {
                File.WriteAllText(output, text + "\n");
                Console.Error.WriteLine("nf-ota: wrote " + output);
            }

            return 0;
        }

        public static Packed Describe(string path, string version, string title, string chip, string kind = "firmware")
        {
            if (!File.Exists(path))
            {
                throw new ToolException("image not found: " + path);
            }

            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0)
            {
                throw new ToolException(path + ": the file is empty");
            }

            if (kind == "deployment")
            {
                if (version == null)
                {
                    throw new ToolException("a deployment image needs --version");
                }

                return new Packed(new PackagedImage { Bytes = bytes, Version = version, Title = title }, null, kind);
            }

            if (kind != "firmware")
            {
                throw new ToolException("--kind must be firmware or deployment, not '" + kind + "'");
            }

            EspAppImage app = EspAppImage.Parse(bytes, 0, bytes.Length);
            if (!app.Ok)
            {
                throw new ToolException(path + " is not an ESP-IDF app image (" + app.Error + "); use --kind deployment for a managed deployment");
            }

            int expectedChip = ChipId(chip ?? "esp32");
            if (app.ChipId != expectedChip)
            {
                throw new ToolException(path + " is built for chip id " + app.ChipId + ", not " + (chip ?? "esp32") + " (" + expectedChip + ")");
            }

            if (version != null && version != app.Version)
            {
                throw new ToolException("--version " + version + " differs from the version inside the image (" + app.Version + ")");
            }

            return new Packed(new PackagedImage { Bytes = bytes, Version = app.Version, Title = title }, app, kind);
        }

        /// <summary>
        /// Signs the image for its version and secure version: what the platform then offers is the
        /// signed file, whose digests the manifest gives.
        /// </summary>
        public static Packed SignPacked(Packed p, string keyPath, uint secureVersion)
        {
            byte[] seed;
            try
            {
                seed = ImageSigner.LoadPrivateKey(keyPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ToolException("cannot read the signing key " + keyPath + ": " + ex.Message);
            }

            byte[] signed;
            try
            {
                signed = ImageSigner.Sign(p.Image.Bytes, p.Image.Version, secureVersion, seed);
            }
            catch (ArgumentException ex)
            {
                throw new ToolException(ex.Message);
            }

            return p with { Image = new PackagedImage { Bytes = signed, Version = p.Image.Version, Title = p.Image.Title } };
        }

        /// <summary>`nf-ota keygen --out FILE`: a new Ed25519 signing key; prints the public key for the settings.</summary>
        public static int KeyGen(Options o)
        {
            string path = o.Require("out");
            string publicKey;
            try
            {
                publicKey = ImageSigner.KeyGen(path);
            }
            catch (IOException ex)
            {
                throw new ToolException(ex.Message);
            }

            Console.WriteLine("private key written to " + path + " (keep it off the devices and out of version control)");
            Console.WriteLine("public key for security.signingPublicKey in the device settings:");
            Console.WriteLine(publicKey);
            return 0;
        }

        public static int MakeImage(Options o)
        {
            var builder = new EspAppImageBuilder
            {
                Version = o.Require("version"),
                Size = o.GetInt("size", 600 * 1024),
                SecureVersion = (uint)o.GetInt("secure-version", 0),
                ChipId = (ushort)ChipId(o.Get("chip", "esp32")),
                Seed = o.GetInt("seed", 1),
            };
            string selfTest = o.Get("selftest");
            if (selfTest != null && selfTest != "pass" && selfTest != "fail")
            {
                throw new ToolException("--selftest must be pass or fail");
            }

            builder.SelfTest = selfTest;
            string output = o.Require("out");
            File.WriteAllBytes(output, builder.Build());
            Console.WriteLine("nf-ota: wrote " + output + " (app image " + builder.Version + ", " + builder.Size + " bytes"
                + (selfTest != null ? ", self-test " + selfTest : "") + ")");
            return 0;
        }

        private static int ChipId(string chip) => chip.ToLowerInvariant() switch
        {
            "esp32" => EspChipId.Esp32,
            "esp32s2" => EspChipId.Esp32S2,
            "esp32c3" => EspChipId.Esp32C3,
            "esp32s3" => EspChipId.Esp32S3,
            "esp32c6" => EspChipId.Esp32C6,
            "esp32h2" => EspChipId.Esp32H2,
            _ => throw new ToolException("unknown chip '" + chip + "' (esp32, esp32s2, esp32c3, esp32s3, esp32c6, esp32h2)"),
        };
    }
}
