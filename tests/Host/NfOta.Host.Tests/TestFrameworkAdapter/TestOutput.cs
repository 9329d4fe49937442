using System;
using System.Threading;
using Xunit.Abstractions;

namespace nanoFramework.TestFramework
{
    /// <summary>Routes OutputHelper to the running xunit case's output (and to stdout outside a case).</summary>
    internal static class TestOutput
    {
        private static readonly AsyncLocal<ITestOutputHelper> Current = new AsyncLocal<ITestOutputHelper>();
        private static readonly AsyncLocal<System.Text.StringBuilder> Pending = new AsyncLocal<System.Text.StringBuilder>();

        public static void Attach(ITestOutputHelper output)
        {
            Current.Value = output;
            Pending.Value = new System.Text.StringBuilder();
        }

        public static void Write(string text)
        {
            var sb = Pending.Value;
            if (sb == null)
            {
                Console.Write(text);
                return;
            }
            sb.Append(text);
            Flush(false);
        }

        public static void Flush(bool all)
        {
            var sb = Pending.Value;
            var output = Current.Value;
            if (sb == null || output == null) return;
            string s = sb.ToString();
            int nl = s.LastIndexOf('\n');
            if (all && s.Length > 0) nl = s.Length - 1;
            if (nl < 0) return;
            foreach (var line in s.Substring(0, nl + 1).Split('\n'))
            {
                if (line.Length > 0) output.WriteLine(line.TrimEnd('\r'));
            }
            sb.Remove(0, nl + 1);
        }
    }
}
