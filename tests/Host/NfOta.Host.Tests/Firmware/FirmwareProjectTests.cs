using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace NfOta.Host.Tests.Firmware
{
    /// <summary>
    /// The nanoFramework projects cannot be built here (no nanoFramework build tools on Linux), so these
    /// tests check what can be checked without them: the project files and package lists are well-formed
    /// and agree with each other, every compile item exists, and the interop library's C# declarations
    /// and its native stubs describe the same functions.
    /// </summary>
    public class FirmwareProjectTests
    {
        private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

        private static readonly string Root = FindRepoRoot();

        public static IEnumerable<object[]> Projects()
        {
            return NfProjects().Select(p => new object[] { Relative(p) });
        }

        [Fact]
        public void TheSolutionListsEveryNanoFrameworkProject()
        {
            // nf-ota.sln holds the device projects too: built in its "Device" configuration by Visual
            // Studio's nanoFramework extension, skipped by `dotnet build` (no Build.0 outside Device).
            string sln = Path.Combine(Root, "nf-ota.sln");
            Assert.True(File.Exists(sln), "nf-ota.sln is missing");

            var entries = Regex.Matches(File.ReadAllText(sln),
                    "Project\\(\"\\{11A8DD76-328B-46DF-9F39-F559912D0360\\}\"\\) = \"[^\"]+\", \"([^\"]+)\", \"(\\{[0-9A-F-]+\\})\"")
                .Select(m => (Path: Normalize(Path.Combine(Root, m.Groups[1].Value.Replace('\\', '/'))), Guid: m.Groups[2].Value))
                .ToList();

            var expected = NfProjects().Where(p => !p.Contains("/NfOta.InFieldUpdate/")).Select(Normalize).OrderBy(p => p).ToList();
            Assert.Equal(expected, entries.Select(e => e.Path).OrderBy(p => p).ToList());

            foreach (var entry in entries)
            {
                string guid = Element(XDocument.Load(entry.Path), "ProjectGuid");
                Assert.Equal(entry.Guid, guid.StartsWith("{") ? guid.ToUpperInvariant() : "{" + guid.ToUpperInvariant() + "}");
            }
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void ProjectIsANanoFrameworkProject(string project)
        {
            XDocument doc = XDocument.Load(Path.Combine(Root, project));

            Assert.Equal(Msb + "Project", doc.Root.Name);
            Assert.StartsWith("{11A8DD76-328B-46DF-9F39-F559912D0360}", Element(doc, "ProjectTypeGuids"));
            Assert.Contains(doc.Root.Elements(Msb + "Import"), i => ((string)i.Attribute("Project")).EndsWith("NFProjectSystem.props"));
            Assert.Contains(doc.Root.Elements(Msb + "Import"), i => ((string)i.Attribute("Project")).EndsWith("NFProjectSystem.CSharp.targets"));
            Assert.False(string.IsNullOrEmpty(Element(doc, "AssemblyName")));
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void PackagesConfigListsEveryReferencedPackageWithAVersion(string project)
        {
            string dir = Path.GetDirectoryName(Path.Combine(Root, project));
            string config = Path.Combine(dir, "packages.config");
            Assert.True(File.Exists(config), project + " has no packages.config");

            var packages = XDocument.Load(config).Root.Elements("package").ToList();
            Assert.NotEmpty(packages);
            var listed = new Dictionary<string, string>();
            foreach (var package in packages)
            {
                string id = (string)package.Attribute("id");
                string version = (string)package.Attribute("version");
                Assert.False(string.IsNullOrEmpty(id), config + ": a package without an id");
                Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", version ?? "");
                Assert.Equal("netnano1.0", (string)package.Attribute("targetFramework"));
                Assert.True(listed.TryAdd(id, version), config + " lists " + id + " twice");
            }

            // every HintPath names a package (id.version) that packages.config lists, and vice versa
            var hinted = HintPaths(XDocument.Load(Path.Combine(Root, project)))
                .Select(h => Regex.Match(h, @"\$\(NfOtaPackagesDir\)([^\\/]+)[\\/]lib[\\/]"))
                .ToList();
            Assert.All(hinted, m => Assert.True(m.Success, "HintPath outside $(NfOtaPackagesDir): " + m.Value));
            var hintedPackages = hinted.Select(m => m.Groups[1].Value).Distinct().ToList();
            var listedPackages = listed.Select(p => p.Key + "." + p.Value).ToList();

            Assert.Equal(listedPackages.OrderBy(p => p), hintedPackages.OrderBy(p => p));
        }

        [Fact]
        public void APackageHasOneVersionAcrossTheFirmware()
        {
            var versions = NfProjects()
                .Select(p => Path.Combine(Path.GetDirectoryName(p), "packages.config"))
                .Where(File.Exists)
                .SelectMany(c => XDocument.Load(c).Root.Elements("package"))
                .GroupBy(p => (string)p.Attribute("id"))
                .Where(g => g.Select(p => (string)p.Attribute("version")).Distinct().Count() > 1)
                .Select(g => g.Key)
                .ToList();

            Assert.Empty(versions);
        }

        [Theory]
        [MemberData(nameof(Projects))]
        public void EveryCompileItemAndProjectReferenceExists(string project)
        {
            string path = Path.Combine(Root, project);
            string dir = Path.GetDirectoryName(path);
            XDocument doc = XDocument.Load(path);

            foreach (var compile in doc.Descendants(Msb + "Compile"))
            {
                var files = ExpandGlob(dir, (string)compile.Attribute("Include"), (string)compile.Attribute("Exclude"));
                Assert.True(files.Count > 0, project + ": Compile Include=\"" + (string)compile.Attribute("Include") + "\" matches no file");
            }

            foreach (var reference in doc.Descendants(Msb + "ProjectReference"))
            {
                string target = Path.Combine(dir, ((string)reference.Attribute("Include")).Replace('\\', '/'));
                Assert.True(File.Exists(target), project + ": ProjectReference " + target + " does not exist");
            }
        }

        [Fact]
        public void CoreLibraryProjectCompilesTheSameSourcesAsThePcBuild()
        {
            string coreDir = Path.Combine(Root, "firmware", "NfOta.Core");
            XDocument doc = XDocument.Load(Path.Combine(coreDir, "NfOta.Core.nfproj"));

            var compiled = doc.Descendants(Msb + "Compile")
                .SelectMany(c => ExpandGlob(coreDir, (string)c.Attribute("Include"), (string)c.Attribute("Exclude")))
                .Select(Normalize)
                .ToHashSet();

            // what tools/NfOta.Core.Pc compiles: every .cs except bin/, obj/, Properties/
            var pc = Directory.EnumerateFiles(coreDir, "*.cs", SearchOption.AllDirectories)
                .Select(Normalize)
                .Where(f => !Regex.IsMatch(f, "/NfOta.Core/(bin|obj|Properties)/"))
                .ToList();

            Assert.NotEmpty(pc);
            Assert.All(pc, f => Assert.Contains(f, compiled));
            Assert.Contains(compiled, f => f.EndsWith("/Properties/AssemblyInfo.cs"));
        }

        [Fact]
        public void CoreTestProjectCompilesEveryCoreTest()
        {
            string testDir = Path.Combine(Root, "tests", "NfOta.Core.Tests");
            XDocument doc = XDocument.Load(Path.Combine(testDir, "NfOta.Core.Tests.nfproj"));

            var compiled = doc.Descendants(Msb + "Compile")
                .SelectMany(c => ExpandGlob(testDir, (string)c.Attribute("Include"), (string)c.Attribute("Exclude")))
                .Select(Normalize)
                .ToHashSet();
            var tests = Directory.EnumerateFiles(testDir, "*.cs", SearchOption.AllDirectories)
                .Select(Normalize)
                .Where(f => !Regex.IsMatch(f, "/NfOta.Core.Tests/(bin|obj)/"))
                .ToList();

            Assert.All(tests, f => Assert.Contains(f, compiled));
            Assert.Contains(doc.Descendants(Msb + "ProjectReference"), r => ((string)r.Attribute("Include")).EndsWith("NfOta.Core.nfproj"));
            Assert.Contains(doc.Descendants(Msb + "ProjectCapability"), c => (string)c.Attribute("Include") == "TestContainer");
        }

        [Fact]
        public void InteropDeclarationsMatchTheNativeStubs()
        {
            string managed = File.ReadAllText(Path.Combine(Root, "firmware", "NfOta.Esp32Ota", "OtaNative.cs"));
            string header = File.ReadAllText(Path.Combine(Root, "firmware", "NfOta.Esp32Ota", "native", "NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.h"));
            string source = File.ReadAllText(Path.Combine(Root, "firmware", "NfOta.Esp32Ota", "native", "NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.cpp"));

            var declared = Regex.Matches(managed, @"\[MethodImpl\(MethodImplOptions\.InternalCall\)\]\s*public static extern (\w+(?:\[\])?) (\w+)\(([^)]*)\);")
                .Select(m => Signature(m.Groups[2].Value, NativeType(m.Groups[1].Value), m.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => NativeType(p.Trim().Split(' ')[0]))))
                .ToList();
            var stubs = Regex.Matches(header, @"static ([\w ]+?) (\w+)\( (.*?)HRESULT &hr \);")
                .Select(m => Signature(m.Groups[2].Value, m.Groups[1].Value.Trim(), ParamTypes(m.Groups[3].Value)))
                .ToList();
            var implemented = Regex.Matches(source, @"^([\w ]+?) OtaNative::(\w+)\( (.*?)HRESULT &hr \)$", RegexOptions.Multiline)
                .Select(m => Signature(m.Groups[2].Value, m.Groups[1].Value.Trim(), ParamTypes(m.Groups[3].Value)))
                .ToList();

            Assert.NotEmpty(declared);
            Assert.Equal(declared, stubs);
            Assert.Equal(declared, implemented);

            // the image kind constants are the same on both sides
            foreach (string kind in new[] { "KindFirmware", "KindDeployment" })
            {
                string value = Regex.Match(managed, "public const int " + kind + @" = (\d+);").Groups[1].Value;
                Assert.Matches("static const signed int " + kind + " = " + value + ";", source);
            }
        }

        [Fact]
        public void NativeCodeNeverWritesTheRunningSlot()
        {
            string source = File.ReadAllText(Path.Combine(Root, "firmware", "NfOta.Esp32Ota", "native", "NfOta_Esp32Ota_NfOta_Esp32Ota_OtaNative.cpp"));

            foreach (var (method, flashCall) in new[] { ("Erase", "esp_partition_erase_range("), ("Write", "esp_partition_write(") })
            {
                string body = Regex.Match(source, "OtaNative::" + method + @"\(.*?\n\}", RegexOptions.Singleline).Value;
                int guard = body.IndexOf("IsRunningSlot(", StringComparison.Ordinal);
                int flash = body.IndexOf(flashCall, StringComparison.Ordinal);
                Assert.True(guard > 0 && flash > guard, method + " must refuse the running slot before touching flash");
            }

            string copy = Regex.Match(source, @"OtaNative::CopyRunning\(.*?\n\}", RegexOptions.Singleline).Value;
            Assert.Contains("source == destination", copy);
        }

        [Fact]
        public void SettingsExampleInTheEsp32GuideParses()
        {
            string guide = File.ReadAllText(Path.Combine(Root, "docs", "esp32.md"));
            string section = guide.Substring(guide.IndexOf("## 3. The settings file", StringComparison.Ordinal));
            string json = Regex.Match(section, "```json\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;

            var result = NfOta.Settings.SettingsParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));

            Assert.True(result.Ok, result.Error);
            Assert.Equal("thingsboard", result.Settings.Platform);
            Assert.Equal("192.168.1.20", result.Settings.BrokerHost);
        }

        private static string Signature(string name, string returnType, IEnumerable<string> parameters)
        {
            return returnType + " " + name + "(" + string.Join(", ", parameters) + ")";
        }

        private static IEnumerable<string> ParamTypes(string list)
        {
            return list.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim())
                .Where(p => p.Length > 0)
                .Select(p => Regex.Replace(p, @"\s+param\d+$", ""));
        }

        // the metadata processor's type mapping for interop stubs (nanoframework/Samples samples/Interop)
        private static string NativeType(string managedType)
        {
            switch (managedType)
            {
                case "int": return "signed int";
                case "void": return "void";
                case "bool": return "bool";
                case "byte[]": return "CLR_RT_TypedArray_UINT8";
                default: throw new InvalidOperationException("no interop mapping for " + managedType);
            }
        }

        private static List<string> NfProjects()
        {
            return new[] { "firmware", "tests" }
                .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.nfproj", SearchOption.AllDirectories))
                .Where(p => !Regex.IsMatch(Normalize(p), "/(bin|obj|packages)/"))
                .OrderBy(p => p)
                .ToList();
        }

        private static IEnumerable<string> HintPaths(XDocument doc)
        {
            return doc.Descendants(Msb + "HintPath").Select(h => h.Value);
        }

        private static string Element(XDocument doc, string name)
        {
            return doc.Descendants(Msb + name).Select(e => e.Value).FirstOrDefault();
        }

        /// <summary>MSBuild item globs as the nanoFramework projects use them: **, * and literal paths, with Exclude.</summary>
        private static List<string> ExpandGlob(string dir, string include, string exclude)
        {
            var includes = Patterns(include);
            var excludes = Patterns(exclude);
            return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
                .Where(f => includes.Any(r => r.IsMatch(f)) && !excludes.Any(r => r.IsMatch(f)))
                .Select(f => Path.Combine(dir, f))
                .ToList();
        }

        private static List<Regex> Patterns(string spec)
        {
            if (string.IsNullOrEmpty(spec))
            {
                return new List<Regex>();
            }

            return spec.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Trim().Replace('\\', '/'))
                .Select(p => new Regex("^" + Regex.Escape(p)
                    .Replace(@"\*\*/", "(.*/)?")
                    .Replace(@"\*\*", ".*")
                    .Replace(@"\*", "[^/]*") + "$"))
                .ToList();
        }

        private static string Relative(string path)
        {
            return Path.GetRelativePath(Root, path).Replace('\\', '/');
        }

        private static string Normalize(string path)
        {
            return Path.GetFullPath(path).Replace('\\', '/');
        }

        private static string FindRepoRoot() => NfOta.Pc.Device.RehearsalSettings.RepositoryRoot();
    }
}
