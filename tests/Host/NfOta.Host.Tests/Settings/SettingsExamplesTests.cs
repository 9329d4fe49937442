using System;
using System.IO;
using System.Linq;
using NfOta.Settings;
using Xunit;

namespace NfOta.Host.Tests.Settings
{
    /// <summary>The example settings files the docs point users to must stay valid.</summary>
    public class SettingsExamplesTests
    {
        public static string ExamplesDir()
        {
            return Path.Combine(NfOta.Pc.Device.RehearsalSettings.RepositoryRoot(), "examples", "settings");
        }

        [Theory]
        [InlineData("thingsboard")]
        [InlineData("alibaba")]
        [InlineData("tencent")]
        [InlineData("enos")]
        [InlineData("golioth")]
        [InlineData("selfhosted")]
        public void ExampleParses(string platform)
        {
            string path = Path.Combine(ExamplesDir(), platform + ".json");
            SettingsResult r = SettingsParser.Parse(File.ReadAllBytes(path));
            Assert.True(r.Ok, path + ": " + r.Error);
            Assert.Equal(platform, r.Settings.Platform);
            Assert.False(string.IsNullOrEmpty(r.Settings.BrokerHost));
        }

        [Fact]
        public void EveryExampleFileIsAKnownPlatform()
        {
            var names = Directory.GetFiles(ExamplesDir(), "*.json").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "alibaba", "enos", "golioth", "selfhosted", "tencent", "thingsboard" }, names);
            foreach (string name in names)
            {
                Assert.True(SettingsParser.Parse(File.ReadAllText(Path.Combine(ExamplesDir(), name + ".json"))).Ok, name);
            }
        }
    }
}
